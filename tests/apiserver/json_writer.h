// Value -> JSON text for the test API server: member order kept, integers as integers, strings
// escaped as encoding/json does (control characters, quotes, backslashes; other UTF-8 as is).
#pragma once

#include <string>
#include <string_view>

#include "core/json_text.h"
#include "core/value.h"

namespace ktriage::testing {

using ktriage::append_json_string;  // core/json_text.h
/// Appends `v` as JSON. Doubles print in their shortest round-trip form; NaN and infinities
/// (which JSON cannot hold) print as null.
void append_json(std::string& out, const Value& v);
/// append_json into a fresh string.
std::string to_json(const Value& v);

}  // namespace ktriage::testing
