// `ktriage rules`: the analyzers', correlation's, lint's and upgrade-check's rule records.
#pragma once

namespace ktriage {

/// Prints docs/rules.md (a test keeps the file equal to this output); returns the exit code.
int list_rules_markdown();
/// Prints one line per rule, or a JSON array of {id, severity, catalog, area, title, fix} when
/// `json`: the analyzers', correlation's, lint's and upgrade-check's rules, every id a report
/// can carry; returns the exit code.
int list_rules(bool json);

}  // namespace ktriage
