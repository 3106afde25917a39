// Errors of the JSON reader (src/load/json_reader.cpp): where a document goes wrong, and a real
// cut told apart from text that is no JSON at all; which strings it interns.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "load/document.h"

namespace ktriage {
namespace {

std::vector<ParseError> errors_of(const std::string& text) {
  std::string padded = text + std::string(kJsonPadding, '\0');
  Arena arena;
  return read_json(std::string_view(padded.data(), text.size()), arena,
                   [](const ParsedDocument&, const Locator&) {});
}

TEST(JsonReaderTest, TextThatIsNoJsonIsASyntaxErrorWhereItStarts) {
  // An INI file named .json: simdjson calls it cut short at its end (line 3).
  const auto ini = errors_of("[section]\nkey=value\n");
  ASSERT_EQ(ini.size(), 1u);
  EXPECT_EQ(ini[0].pos.line, 1u);
  EXPECT_EQ(ini[0].pos.column, 2u);
  EXPECT_EQ(ini[0].message.rfind("JSON syntax error: invalid literal", 0), 0u) << ini[0].message;
  const auto word = errors_of("{\"a\": 1,\n \"b\": x}\n");
  ASSERT_EQ(word.size(), 1u);
  EXPECT_EQ(word[0].pos.line, 2u);
  EXPECT_EQ(word[0].pos.column, 7u);
}

TEST(JsonReaderTest, ADocumentCutShortIsSaidToBeCutAtItsEnd) {
  const auto cut = errors_of("{\"a\": 1,\n \"b\": [1,2\n");
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].message, "unexpected end of JSON (truncated file?)");
  EXPECT_EQ(cut[0].pos.line, 3u);
  EXPECT_TRUE(errors_of("{\"a\": [1, 2]}\n").empty());
}

// Two documents in one file: the first is read, the second is said where it starts, not
// silently dropped.
TEST(JsonReaderTest, ASecondDocumentIsAnErrorWhereItStarts) {
  std::string padded = std::string("{\"a\": 1}\n  {\"b\": 2}\n") + std::string(kJsonPadding, '\0');
  Arena arena;
  int documents = 0;
  const auto errors = read_json(std::string_view(padded.data(), 19), arena,
                                [&](const ParsedDocument&, const Locator&) { ++documents; });
  EXPECT_EQ(documents, 1);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pos.line, 2u);
  EXPECT_EQ(errors[0].pos.column, 3u);
  EXPECT_EQ(errors[0].message.rfind("a second JSON value starts here", 0), 0u);
  EXPECT_TRUE(errors_of("{\"a\": 1}\n\n  \n").empty());
}

// Values under keys that hardly ever repeat (times, versions, addresses) are copied, not
// interned; the same text under another key is interned, and equal copies are not shared. Uids
// are interned: an owner's repeats in every replica.
TEST(JsonReaderTest, ValuesOfUniqueKeysAreCopiedAndOthersInterned) {
  const std::string text = R"({"metadata": {"uid": "u-1", "name": "u-1",
      "creationTimestamp": "2026-11-29T10:00:00Z", "resourceVersion": "42"},
    "status": {"podIP": "10.0.0.1", "hostIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}],
      "conditions": [{"type": "Ready", "lastTransitionTime": "2026-11-29T10:00:00Z"}],
      "containerStatuses": [{"containerID": "containerd://1", "image": "nginx",
        "state": {"running": {"startedAt": "2026-11-29T10:00:00Z"}}}]}})";
  std::string padded = text + std::string(kJsonPadding, '\0');
  Arena arena;
  Value root;
  const auto errors = read_json(std::string_view(padded.data(), text.size()), arena,
                                [&](const ParsedDocument& d, const Locator&) { root = d.root; });
  ASSERT_TRUE(errors.empty());
  const Value& meta = root["metadata"];
  const Value& status = root["status"];
  const Value& container = status["containerStatuses"][0];
  for (const Value* copied :
       {&meta["creationTimestamp"], &meta["resourceVersion"], &status["podIP"],
        &status["podIPs"][0]["ip"], &status["conditions"][0]["lastTransitionTime"],
        &container["containerID"], &container["state"]["running"]["startedAt"]}) {
    EXPECT_FALSE(arena.is_interned(copied->str())) << copied->str();
  }
  for (const Value* interned : {&meta["uid"], &meta["name"], &status["hostIP"], &container["image"],
                                &status["conditions"][0]["type"]}) {
    EXPECT_TRUE(arena.is_interned(interned->str())) << interned->str();
  }
  EXPECT_EQ(meta["uid"].str().data(), meta["name"].str().data());
  EXPECT_EQ(status["podIP"].str(), status["hostIP"].str());
  EXPECT_NE(status["podIP"].str().data(), status["hostIP"].str().data());
}

}  // namespace
}  // namespace ktriage
