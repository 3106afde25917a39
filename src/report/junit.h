// JUnit XML for CI dashboards (Jenkins, GitLab, Azure DevOps): findings as failed test cases.
// Reads a Diagnosis only; never sees the Cluster, never reads files.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnosis.h"

namespace ktriage {

/// The JUnit XML report of `d`: one <testsuite> per input file (findings without a file go to
/// the suite "(no file)"), sorted by name; in it one <testcase> per object and rule, named
/// "Kind ns/name: rule", with a <failure> (message = the first summary, type = the rule id, text
/// = every summary, fix and location) when one of its findings is at warning or above, else its
/// summaries in <system-out>. Input problems are <error type="input"> test cases in their file's
/// suite. With nothing at all, one passing test case says so, so that a dashboard counts the run.
/// Secrets are scrubbed and control characters shown as `\x1b` (XML 1.0 cannot carry them);
/// invalid UTF-8 becomes U+FFFD. Deterministic. O(findings log files).
std::string render_junit(const Diagnosis& d);

/// `text` with invalid UTF-8 sequences and code points XML 1.0 forbids (U+FFFE, U+FFFF,
/// surrogates) replaced by U+FFFD. Control characters must already be gone (printable()).
std::string xml_safe_utf8(std::string_view text);

}  // namespace ktriage
