// Assertions shared by the lint check tests: one finding of a rule, evidence at file:line:col.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/finding.h"

namespace ktriage::lint::testing {

/// The single finding of `rule` in `findings`; fails the test (and returns nullptr) otherwise.
inline const Finding* only(const std::vector<Finding>& findings, std::string_view rule) {
  const Finding* found = nullptr;
  int n = 0;
  for (const Finding& f : findings) {
    if (f.rule == rule) {
      found = &f;
      ++n;
    }
  }
  EXPECT_EQ(n, 1) << "findings of " << rule;
  return n == 1 ? found : nullptr;
}

/// Number of findings of `rule`.
inline int count(const std::vector<Finding>& findings, std::string_view rule) {
  int n = 0;
  for (const Finding& f : findings) n += f.rule == rule ? 1 : 0;
  return n;
}

/// Expects evidence `e` to sit at file:line:col.
inline void expect_at(const Evidence& e, const std::string& file, std::uint32_t line,
                      std::uint32_t column) {
  EXPECT_EQ(e.file, file) << e.path;
  EXPECT_EQ(e.line, line) << e.path;
  EXPECT_EQ(e.column, column) << e.path;
}

}  // namespace ktriage::lint::testing
