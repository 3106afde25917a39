// The matcher: one Vectorscan database for all patterns, RE2 for what Vectorscan rejects, and
// errors naming file, line and signature id for patterns neither accepts.
#include "logs/matcher.h"

#include <gtest/gtest.h>

namespace ktriage::logs {
namespace {

Signature sig(std::string id, std::string pattern) {
  Signature s;
  s.id = std::move(id);
  s.pattern = std::move(pattern);
  s.where = SourceLocation{"mine.yaml", {7, 3}};
  return s;
}

std::vector<std::uint32_t> match(Matcher& m, std::string_view text) {
  std::vector<std::uint32_t> out;
  m.match(text, out);
  return out;
}

TEST(MatcherTest, MatchesEverySignatureOnceInIndexOrder) {
  std::vector<Signature> sigs = {sig("a", "disk full"), sig("b", "^panic: "),
                                 sig("c", "full|panic")};
  auto m = Matcher::compile(sigs);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(m->fallback_count(), 0u);
  EXPECT_EQ(match(*m, "panic: disk full, disk full"), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(match(*m, "no panic: here"), (std::vector<std::uint32_t>{2}));
  EXPECT_TRUE(match(*m, "").empty());
  EXPECT_TRUE(match(*m, "all good").empty());
}

TEST(MatcherTest, PatternsVectorscanRejectsRunOnRe2WithANote) {
  // Without UTF-8 mode Vectorscan calls \p{Greek} unmatchable; RE2 reads it.
  std::vector<Signature> sigs = {sig("plain", "error"), sig("greek", "\\p{Greek}+ failed")};
  auto m = Matcher::compile(sigs);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(m->fallback_count(), 1u);
  ASSERT_EQ(m->notes().size(), 1u);
  EXPECT_NE(m->notes()[0].find("mine.yaml:7:3: signature greek: Vectorscan: "), std::string::npos);
  EXPECT_EQ(match(*m, "error: αβγ failed"), (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(match(*m, "abc failed"), (std::vector<std::uint32_t>{}));
}

TEST(MatcherTest, BadPatternsAreErrorsNamingFileLineAndId) {
  std::vector<Signature> bad = {sig("ok", "fine"), sig("broken", "unclosed (group")};
  auto m = Matcher::compile(bad);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().find("mine.yaml:7:3: signature broken: pattern 'unclosed (group': "), 0u)
      << m.error();

  std::vector<Signature> empty = {sig("everything", "x*")};
  auto e = Matcher::compile(empty);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().find("matches the empty string"), std::string::npos);
}

TEST(MatcherTest, AnchorsMeanTheEndsOfTheMessageEvenWithLineBreaksInIt) {
  std::vector<Signature> sigs = {sig("start", "^panic"), sig("end", "failed$"),
                                 sig("any", "disk full")};
  auto m = Matcher::compile(sigs);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(match(*m, "panic: x failed"), (std::vector<std::uint32_t>{0, 1}));
  // Decoded JSON messages can hold line breaks: ^ and $ still mean the message's ends.
  EXPECT_EQ(match(*m, "x\npanic failed\ny disk full"), (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(match(*m, "panic\nfailed"), (std::vector<std::uint32_t>{0, 1}));
  // Each signature once, however often it matches.
  EXPECT_EQ(match(*m, "disk full disk full disk full"), (std::vector<std::uint32_t>{2}));
}

// prefilter() marks every message match() matches (here exactly those), one scan for all.
TEST(MatcherTest, PrefilterMarksTheMessagesThatMatch) {
  std::vector<Signature> sigs = {sig("start", "^panic"), sig("end", "failed$"),
                                 sig("any", "disk full")};
  auto m = Matcher::compile(sigs);
  ASSERT_TRUE(m.has_value()) << m.error();
  const std::vector<std::string> messages = {"panic: x",  "no panic", "it failed", "failed later",
                                             "disk full", "",         "all good",  "panic"};
  std::string block;
  std::vector<std::uint32_t> starts;
  for (const std::string& msg : messages) {
    starts.push_back(static_cast<std::uint32_t>(block.size()));
    block += msg + "\n";
  }
  std::vector<char> maybe;
  m->prefilter(block, starts, maybe);
  ASSERT_EQ(maybe.size(), messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i)
    EXPECT_EQ(maybe[i] != 0, !match(*m, messages[i]).empty()) << messages[i];
}

TEST(MatcherTest, PrefilterMarksEveryMessageWhenAPatternRunsOnRe2) {
  std::vector<Signature> sigs = {sig("plain", "error"), sig("greek", "\\p{Greek}+ failed")};
  auto m = Matcher::compile(sigs);
  ASSERT_TRUE(m.has_value()) << m.error();
  std::vector<char> maybe;
  std::vector<std::uint32_t> starts = {0, 3};
  m->prefilter("ab\ncd\n", starts, maybe);
  EXPECT_EQ(maybe, (std::vector<char>{1, 1}));
}

TEST(MatcherTest, NoSignaturesMatchNothing) {
  std::vector<Signature> none;
  auto m = Matcher::compile(none);
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(match(*m, "anything").empty());
}

}  // namespace
}  // namespace ktriage::logs
