// Stub: filled in by its own change.
#include "analyzers/analyzer.h"

namespace ktriage {

const AnalyzerDef& crashes_analyzer() {
  static const AnalyzerDef kDef{"crashes", {}, nullptr, nullptr};
  return kDef;
}

}  // namespace ktriage
