// The signature file: the embedded knowledge base parses, each signature's positive lines match
// it and its negative lines do not (through the same format detection and parsing a log file
// gets), and bad files give errors naming file, line and signature id.
#include "logs/signature.h"

#include <gtest/gtest.h>

#include <set>

#include "logs/matcher.h"
#include "logs/scanner.h"

namespace ktriage::logs {
namespace {

std::vector<Signature> builtin() {
  auto s = builtin_signatures();
  EXPECT_TRUE(s.has_value()) << (s ? "" : s.error());
  return s ? *s : std::vector<Signature>{};
}

// The signature ids that match `line` when it is a one-line log file of unknown component.
std::set<std::string> ids_matching(const std::string& line, std::span<const Signature> sigs,
                                   Matcher& matcher) {
  LogScan scan;
  ScanOptions options;
  options.year = 2026;
  scan_text("line.log", line, sigs, matcher, options, scan);
  std::set<std::string> ids;
  for (const auto& [key, hit] : scan.hits) ids.insert(sigs[hit.signature].id);
  return ids;
}

TEST(SignatureTest, EmbeddedFileParses) {
  auto sigs = builtin();
  ASSERT_GE(sigs.size(), 8u);
  for (const Signature& s : sigs) {
    EXPECT_FALSE(s.meaning.empty()) << s.id;
    EXPECT_FALSE(s.fix.empty()) << s.id;
    EXPECT_GT(s.where.pos.line, 0u) << s.id;
  }
}

TEST(SignatureTest, EverySignatureHasPositiveAndNegativeLines) {
  for (const Signature& s : builtin()) {
    EXPECT_FALSE(s.positive.empty()) << s.id << " has no positive line";
    EXPECT_FALSE(s.negative.empty()) << s.id << " has no negative line";
  }
}

TEST(SignatureTest, PositiveLinesMatchAndNegativeLinesDoNot) {
  auto sigs = builtin();
  auto matcher = Matcher::compile(sigs);
  ASSERT_TRUE(matcher.has_value()) << matcher.error();
  for (const Signature& s : sigs) {
    for (const std::string& line : s.positive)
      EXPECT_TRUE(ids_matching(line, sigs, *matcher).count(s.id)) << s.id << " misses: " << line;
    for (const std::string& line : s.negative)
      EXPECT_FALSE(ids_matching(line, sigs, *matcher).count(s.id)) << s.id << " matches: " << line;
  }
}

TEST(SignatureTest, CatalogIdsLookLikeCatalogIds) {
  for (const Signature& s : builtin()) {
    if (s.catalog.empty()) continue;
    for (char c : s.catalog)
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') << s.id;
  }
}

constexpr std::string_view kGood = R"(version: 1
signatures:
- id: my-thing
  component: app
  severity: warning
  pattern: 'thing broke'
  catalog: ""
  meaning: It broke.
  fix: Mend it.
)";

TEST(SignatureTest, ParsesAMinimalFile) {
  auto sigs = parse_signatures("mine.yaml", kGood);
  ASSERT_TRUE(sigs.has_value()) << sigs.error();
  ASSERT_EQ(sigs->size(), 1u);
  EXPECT_EQ((*sigs)[0].id, "my-thing");
  EXPECT_EQ((*sigs)[0].severity, Severity::kWarning);
  EXPECT_EQ((*sigs)[0].where.to_string(), "mine.yaml:3:3");
}

// The parser's error, else check_yields's (as a file is used: parsed, then checked as a set).
std::string error_of(std::string_view text) {
  auto sigs = parse_signatures("mine.yaml", text);
  const auto yields = sigs ? check_yields(*sigs) : std::nullopt;
  EXPECT_TRUE(!sigs.has_value() || yields.has_value());
  return sigs ? yields.value_or("") : sigs.error();
}

std::string with(std::string_view from, std::string_view to) {
  std::string s(kGood);
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(SignatureTest, BadFieldsNameFileLineAndId) {
  EXPECT_EQ(error_of(with("severity: warning", "severity: bad")),
            "mine.yaml:3: signature my-thing: severity \"bad\" is not critical, warning or info");
  EXPECT_EQ(error_of(with("component: app", "component: nginx")).substr(0, 46),
            "mine.yaml:3: signature my-thing: component \"ng");
  EXPECT_EQ(error_of(with("  fix: Mend it.\n", "")),
            "mine.yaml:3: signature my-thing: field \"fix\" is missing");
  EXPECT_EQ(error_of(with("id: my-thing", "id: My_Thing")),
            "mine.yaml:3: signature My_Thing: id \"My_Thing\" is not kebab-case");
  EXPECT_EQ(error_of(with("  fix: Mend it.\n", "  fix: Mend it.\n  colour: red\n")),
            "mine.yaml:3: signature my-thing: unknown field \"colour\"");
  EXPECT_EQ(error_of(with("  fix: Mend it.\n", "  fix: Mend it.\n  yields_to: [nope]\n")),
            "mine.yaml:3: signature my-thing: yields_to names \"nope\", which is not another "
            "signature's id");
  EXPECT_EQ(error_of(with("  fix: Mend it.\n", "  fix: Mend it.\n  yields_to: [my-thing]\n")),
            "mine.yaml:3: signature my-thing: yields_to names \"my-thing\", which is not another "
            "signature's id");
  std::string two = std::string(kGood) + std::string(kGood.substr(kGood.find("- id")));
  two.replace(two.rfind("id: my-thing"), 12, "id: my-other");
  two.replace(two.find("  fix: Mend it.\n"), 16, "  fix: Mend it.\n  yields_to: [my-other]\n");
  two.replace(two.rfind("  fix: Mend it.\n"), 16, "  fix: Mend it.\n  yields_to: [my-thing]\n");
  EXPECT_EQ(error_of(two),
            "mine.yaml:3: signature my-thing: yields_to names \"my-other\", which yields to it (a "
            "line both match would be neither's)");
  EXPECT_EQ(error_of(with("version: 1", "version: 2")), "mine.yaml:1: version must be 1");
  std::string twice = std::string(kGood) + std::string(kGood.substr(kGood.find("- id")));
  EXPECT_EQ(error_of(twice), "mine.yaml:10: signature my-thing: the id is used twice");
  EXPECT_NE(error_of("version: 1\nsignatures: [").find("mine.yaml:"), std::string::npos);
  EXPECT_EQ(error_of(""), "mine.yaml: no signatures (empty file)");
}

}  // namespace
}  // namespace ktriage::logs
