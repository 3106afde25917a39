// Stub: filled in by its own change.
#include "analyzers/analyzer.h"

namespace ktriage {

const AnalyzerDef& images_analyzer() {
  static const AnalyzerDef kDef{"images", {}, nullptr, nullptr};
  return kDef;
}

}  // namespace ktriage
