// The flat JSON field reader of JSON log lines.
#include "logs/flat_json.h"

#include <gtest/gtest.h>

#include <map>

namespace ktriage::logs {
namespace {

std::map<std::string, std::string> fields(std::string_view line, bool* ok = nullptr) {
  std::map<std::string, std::string> out;
  bool r = for_each_json_field(line, [&](std::string_view k, std::string_view v, bool str) {
    out[std::string(k)] = (str ? "s:" : "v:") + std::string(v);
  });
  if (ok != nullptr) *ok = r;
  return out;
}

TEST(FlatJsonTest, ReadsTopLevelMembers) {
  bool ok = false;
  auto f = fields(R"( {"log":"a\"b\n", "n": 12, "nested": {"x": [1, "]"]}, "t": true} )", &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(f["log"], "s:a\\\"b\\n");
  EXPECT_EQ(f["n"], "v:12");
  EXPECT_EQ(f["nested"], "v:{\"x\": [1, \"]\"]}");
  EXPECT_EQ(f["t"], "v:true");
  EXPECT_TRUE(for_each_json_field("{}", [](auto, auto, bool) {}));
}

TEST(FlatJsonTest, RejectsWhatIsNotOneObject) {
  for (std::string_view bad : {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":\"x", "{\"a\":1} x",
                               "{\"a\":1,}", "{a:1}", "{\"a\":{\"b\":1}"}) {
    EXPECT_FALSE(for_each_json_field(bad, [](auto, auto, bool) {})) << bad;
  }
}

TEST(FlatJsonTest, Unescapes) {
  std::string out;
  unescape_json(R"(a\"b\\c\/d\ne\tf\u00e9\ud83d\ude00\ud800x\q)", out);
  EXPECT_EQ(out, "a\"b\\c/d\ne\tf\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBDxq");
  out.clear();
  unescape_json(R"(\u12)", out);  // cut short: kept as written
  EXPECT_EQ(out, "\\u12");
  out.clear();
  unescape_json("end\\", out);
  EXPECT_EQ(out, "end\\");
}

}  // namespace
}  // namespace ktriage::logs
