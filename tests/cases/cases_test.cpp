// Runs `ktriage <command> <case> -o json <args>` on every real-world case in ../shared/cases and
// checks each expectation of its expected.yaml: a finding with that catalog id on that object,
// and no causedBy when `root: true`. Cases that need later issues' analyzers are listed in
// kExpectedToFail with the reason; such a case must fail (so a fix is noticed and the entry
// removed), and a summary line counts passes.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "load/document.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::string>& expected_to_fail() {
  static const std::map<std::string, std::string> kList = {};
  return kList;
}

struct Expectation {
  std::string catalog, object;
  bool root = false;
};

struct Case {
  std::string name, dir, command;
  std::vector<std::string> args;
  std::vector<Expectation> expect;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> load_cases() {
  std::vector<Case> out;
  const fs::path root = fs::path(testing::shared_dir()) / "cases";
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory() || !fs::exists(entry.path() / "expected.yaml")) continue;
    Case c;
    c.name = entry.path().filename().string();
    c.dir = entry.path().string();
    std::string text = testing::read_file((entry.path() / "expected.yaml").string());
    Arena arena;
    auto errors =
        read_yaml("expected.yaml", text, arena, [&](const ParsedDocument& d, const Locator&) {
          c.command = std::string(d.root["command"].str());
          for (const Value& a : d.root["args"].items()) c.args.emplace_back(a.str());
          for (const Value& e : d.root["expect"].items()) {
            c.expect.push_back({std::string(e["catalog"].str()), std::string(e["object"].str()),
                                e["root"].as_bool()});
          }
        });
    EXPECT_TRUE(errors.empty()) << c.name;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

// Returns "" when every expectation holds, else what is missing.
std::string check_case(const Case& c) {
  std::string args;
  for (const auto& a : c.args) args += " '" + a + "'";
  auto r = testing::run_ktriage(c.command + " '" + c.dir + "' -o json" + args);
  if (r.exit_code != 0 && r.exit_code != 1)
    return "exit code " + std::to_string(r.exit_code) + ": " + r.err;
  std::string problems;
  std::string padded = r.out + std::string(kJsonPadding, '\0');
  Arena arena;
  auto errors = read_json(
      std::string_view(padded.data(), r.out.size()), arena,
      [&](const ParsedDocument& d, const Locator&) {
        for (const Expectation& e : c.expect) {
          bool found = false;
          for (const Value& f : d.root["findings"].items()) {
            if (f["catalog"].str() != e.catalog) continue;
            const Value& o = f["object"];
            std::string key =
                std::string(o["kind"].str()) + "/" +
                (o["namespace"].str().empty() ? "" : std::string(o["namespace"].str()) + "/") +
                std::string(o["name"].str());
            bool object_ok = e.object.empty() || key == e.object;
            for (const Value& a : f["alsoAffects"].items()) {
              std::string k2 = std::string(a["kind"].str()) + "/" +
                               std::string(a["namespace"].str()) + "/" +
                               std::string(a["name"].str());
              object_ok = object_ok || k2 == e.object;
            }
            if (!object_ok) continue;
            if (e.root && f["causedBy"].size() > 0) continue;
            found = true;
          }
          if (!found)
            problems +=
                " missing " + e.catalog + " on " + e.object + (e.root ? " (root)" : "") + ";";
        }
      });
  if (!errors.empty()) return "output is not JSON: " + errors[0].message;
  return problems;
}

class RealWorldCase : public ::testing::TestWithParam<Case> {};

TEST_P(RealWorldCase, ReportsTheExpectedRootCause) {
  const Case& c = GetParam();
  std::string problems = check_case(c);
  auto xfail = expected_to_fail().find(c.name);
  if (xfail != expected_to_fail().end()) {
    EXPECT_FALSE(problems.empty()) << c.name << " now passes: remove it from kExpectedToFail";
    if (!problems.empty()) GTEST_SKIP() << "expected to fail: " << xfail->second;
    return;
  }
  EXPECT_TRUE(problems.empty()) << c.name << ":" << problems;
}

INSTANTIATE_TEST_SUITE_P(Cases, RealWorldCase, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string n = info.param.name;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return "case_" + n;
                         });

TEST(RealWorldCases, SharedCasesArePresent) {
  EXPECT_GE(load_cases().size(), 10u) << "../shared/cases is missing or empty";
}

}  // namespace
}  // namespace ktriage
