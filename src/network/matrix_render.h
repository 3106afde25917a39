// netcheck --matrix output: a grid for up to 24 groups, else one line per destination listing
// the sources (the shorter of the allowed and denied lists); JSON with the same facts. Pure
// functions; never print.
#pragma once

#include <string>

#include "network/matrix.h"

namespace ktriage::network {

/// Text. `color` marks allowed/denied cells with ANSI colours.
std::string render_matrix_text(const Matrix& m, bool color);

/// JSON: {"groups":[{"name","pods"}],"pods","classes","policies","destinations":[{"to",
/// "allowed","partial","denied","allowedFrom"|"deniedFrom":[...],"partialFrom":[...]}],
/// "hostNetworkPods","scope","scopeNote"} (camelCase, as Kubernetes and the diagnose report).
/// Counts are groups; the explicit list is the shorter side (the other is "every other group").
std::string render_matrix_json(const Matrix& m);

}  // namespace ktriage::network
