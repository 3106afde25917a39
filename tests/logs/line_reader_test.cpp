// Reading lines from plain files, .gz files (whole and truncated), with long lines, CRLF, no final
// newline and nothing at all.
#include "logs/line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "logs/gzip_fixture.h"

namespace ktriage::logs {
namespace {

namespace fs = std::filesystem;
using testing::gzip;

class LineReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ktriage-line-reader-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::vector<std::string> lines(const std::string& path, std::string* error = nullptr,
                                 int* truncated = nullptr) {
    auto r = LineReader::open(path);
    EXPECT_TRUE(r.has_value());
    std::vector<std::string> out;
    std::string_view line;
    bool cut = false;
    while (r->next(line, cut)) {
      out.emplace_back(line);
      if (cut && truncated != nullptr) ++*truncated;
    }
    if (error != nullptr) *error = r->error();
    return out;
  }
  fs::path dir_;
};

TEST_F(LineReaderTest, SplitsLines) {
  EXPECT_EQ(lines(write("a.log", "one\ntwo\r\n\nlast")),
            (std::vector<std::string>{"one", "two", "", "last"}));
  EXPECT_EQ(lines(write("b.log", "x\n")), (std::vector<std::string>{"x"}));
}

TEST_F(LineReaderTest, EmptyFileHasNoLines) {
  std::string error;
  EXPECT_TRUE(lines(write("empty.log", ""), &error).empty());
  EXPECT_EQ(error, "");
}

TEST_F(LineReaderTest, MissingFileIsAnError) {
  auto r = LineReader::open((dir_ / "nope.log").string());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("cannot open"), std::string::npos);
}

TEST_F(LineReaderTest, LongLinesAreCutAndTheRestSkipped) {
  std::string big(3 * kMaxLineBytes + 5, 'a');
  int truncated = 0;
  auto got = lines(write("long.log", "before\n" + big + "\nafter\n" + big), nullptr, &truncated);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "before");
  EXPECT_EQ(got[1].size(), kMaxLineBytes);
  EXPECT_EQ(got[2], "after");
  EXPECT_EQ(got[3].size(), kMaxLineBytes);
  EXPECT_EQ(truncated, 2);
}

TEST_F(LineReaderTest, LinesAcrossBufferRefills) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line number " + std::to_string(i) + "\n";
  auto got = lines(write("many.log", text));
  ASSERT_EQ(got.size(), 200000u);
  EXPECT_EQ(got[123456], "line number 123456");
}

TEST_F(LineReaderTest, GzipIsDecompressed) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "gz line " + std::to_string(i) + "\n";
  std::string error;
  auto got = lines(write("k.log.gz", gzip(text)), &error);
  ASSERT_EQ(got.size(), 50000u);
  EXPECT_EQ(got[49999], "gz line 49999");
  EXPECT_EQ(error, "");
}

TEST_F(LineReaderTest, TruncatedGzipSaysSoAndKeepsWhatCameBefore) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "gz line " + std::to_string(i) + " some padding text\n";
  std::string z = gzip(text);
  std::string error;
  auto got = lines(write("cut.log.gz", z.substr(0, z.size() / 2)), &error);
  EXPECT_GT(got.size(), 1000u);
  EXPECT_LT(got.size(), 50000u);
  EXPECT_EQ(got[1000], "gz line 1000 some padding text");
  EXPECT_NE(error.find("gzip data is truncated"), std::string::npos) << error;
}

// Follow mode: lines until the end, then what `resume` finds.
std::vector<std::string> drain(LineReader& r) {
  std::vector<std::string> out;
  std::string_view line;
  bool truncated = false;
  while (r.next(line, truncated))
    out.push_back(std::to_string(r.line_number()) + ":" + std::string(line));
  return out;
}

TEST_F(LineReaderTest, FollowReadsTheRenamedFileToItsEndThenTheNewOne) {
  const std::string path = write("app.log", "one\ntwo\n");
  auto r = LineReader::open(path);
  ASSERT_TRUE(r);
  r->set_follow(true);
  EXPECT_EQ(drain(*r), (std::vector<std::string>{"1:one", "2:two"}));
  // logrotate (rename and create): the writer's last line went to the old file.
  std::ofstream(path, std::ios::app) << "three\n";
  fs::rename(path, path + ".1");
  write("app.log", "new-1\nnew-2\n");
  r->resume();
  EXPECT_EQ(drain(*r), (std::vector<std::string>{"3:three"}));
  r->resume();
  EXPECT_EQ(drain(*r), (std::vector<std::string>{"1:new-1", "2:new-2"}));
  std::ofstream(path, std::ios::app) << "new-3\n";
  r->resume();
  EXPECT_EQ(drain(*r), (std::vector<std::string>{"3:new-3"}));
}

TEST_F(LineReaderTest, FollowStartsOverAfterCopyTruncate) {
  const std::string path = write("app.log", "one\ntwo\nthree\n");
  auto r = LineReader::open(path);
  ASSERT_TRUE(r);
  r->set_follow(true);
  EXPECT_EQ(drain(*r).size(), 3u);
  write("app.log", "after\n");  // truncated, then written again: shorter than before
  r->resume();
  EXPECT_EQ(drain(*r), (std::vector<std::string>{"1:after"}));
  // Without rotation, resume only picks up what was appended.
  std::ofstream(path, std::ios::app) << "more\n";
  r->resume();
  EXPECT_EQ(drain(*r), (std::vector<std::string>{"2:more"}));
}

}  // namespace
}  // namespace ktriage::logs
