// `ktriage rules`: the analyzers', correlation's and lint's rule records.
#pragma once

namespace ktriage {

/// Prints docs/rules.md (a test keeps the file equal to this output); returns the exit code.
int list_rules_markdown();
/// Prints one line per rule, or a JSON array when `json` (the analyzers' rules only, with their
/// analyzer); returns the exit code.
int list_rules(bool json);

}  // namespace ktriage
