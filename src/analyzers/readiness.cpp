// Stub: filled in by its own change.
#include "analyzers/analyzer.h"

namespace ktriage {

const AnalyzerDef& readiness_analyzer() {
  static const AnalyzerDef kDef{"readiness", {}, nullptr, nullptr};
  return kDef;
}

}  // namespace ktriage
