// The YAML report (`-o yaml`): the JSON report's document in YAML block style, for people who
// read `kubectl get -o yaml` all day. Reads a Diagnosis only.
#pragma once

#include <string>

#include "core/diagnosis.h"

namespace ktriage {

/// render_json(d)'s document in YAML 1.2 block style: the same keys in the same order, the same
/// values, so `yq -o json` of it equals the JSON report. Strings that YAML would read as another
/// type ("true", "1.30", "null", "") are quoted. Deterministic. O(report size).
std::string render_yaml(const Diagnosis& d);

}  // namespace ktriage
