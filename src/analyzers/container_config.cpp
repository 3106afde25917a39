// Stub: filled in by its own change.
#include "analyzers/analyzer.h"

namespace ktriage {

const AnalyzerDef& container_config_analyzer() {
  static const AnalyzerDef kDef{"container_config", {}, nullptr, nullptr};
  return kDef;
}

}  // namespace ktriage
