// Scanning: bad input (binary, invalid UTF-8, very long lines, truncated .gz, unknown timestamps,
// empty files), partial lines joined, time windows, folders, components, and the same matches as
// `grep -E -f` on a mixed file.
#include "logs/scanner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "logs/gzip_fixture.h"
#include "logs/line_reader.h"
#include "logs/matcher.h"

namespace ktriage::logs {
namespace {

namespace fs = std::filesystem;

Signature sig(std::string id, std::string component, std::string pattern) {
  Signature s;
  s.id = std::move(id);
  s.component = std::move(component);
  s.pattern = std::move(pattern);
  s.severity = Severity::kCritical;
  return s;
}

class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sigs_ = {sig("panic", "app", "^panic: "), sig("pleg", "kubelet", "PLEG is not healthy"),
             sig("oom", "kernel", "Out of memory: Killed process [0-9]+")};
    auto m = Matcher::compile(sigs_);
    ASSERT_TRUE(m.has_value()) << m.error();
    matcher_.emplace(std::move(*m));
    options_.year = 2026;
    dir_ = fs::temp_directory_path() / ("ktriage-scanner-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  LogScan scan(const std::string& name, std::string_view text) {
    LogScan s;
    scan_text(name, text, sigs_, *matcher_, options_, s);
    return s;
  }
  // "id@line" for every match.
  std::set<std::string> found(const LogScan& s) {
    std::set<std::string> out;
    for (const auto& [key, hit] : s.hits) {
      for (const Sample& x : hit.samples)
        out.insert(sigs_[hit.signature].id + "@" + std::to_string(x.line));
    }
    return out;
  }
  std::string write(const std::string& rel, const std::string& bytes) {
    fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

  std::vector<Signature> sigs_;
  std::optional<Matcher> matcher_;
  ScanOptions options_;
  fs::path dir_;
};

TEST_F(ScannerTest, BinaryAndInvalidUtf8LinesAreCountedAndSkipped) {
  std::string text = "ok\n";
  text += std::string("bin\0ary panic: x\n", 17);
  text += "caf\xE9 panic: latin-1\n";
  text += "panic: real\n";
  LogScan s = scan("app.txt", text);
  ASSERT_EQ(s.files.size(), 1u);
  EXPECT_EQ(s.files[0].lines, 4u);
  EXPECT_EQ(s.files[0].binary_lines, 1u);
  EXPECT_EQ(s.files[0].invalid_utf8, 1u);
  EXPECT_EQ(found(s), (std::set<std::string>{"panic@4"}));
}

TEST_F(ScannerTest, AVeryLongLineIsCutNotFatal) {
  std::string text =
      "panic: at the start " + std::string(3 * kMaxLineBytes, 'x') + "\npanic: after\n";
  LogScan s = scan("app.txt", text);
  EXPECT_EQ(s.files[0].truncated, 1u);
  EXPECT_EQ(found(s), (std::set<std::string>{"panic@1", "panic@2"}));
  ASSERT_EQ(s.hits.size(), 1u);
  EXPECT_LT(s.hits.begin()->second.samples[0].text.size(), 500u);  // samples are short
}

TEST_F(ScannerTest, EmptyFileIsFine) {
  LogScan s = scan("empty.log", "");
  ASSERT_EQ(s.files.size(), 1u);
  EXPECT_EQ(s.files[0].lines, 0u);
  EXPECT_TRUE(s.hits.empty());
  EXPECT_EQ(s.files[0].error, "");
}

TEST_F(ScannerTest, CriPartialLinesAreJoined) {
  LogScan s = scan("c.log",
                   "2026-11-29T10:41:00Z stdout F starting\n"
                   "2026-11-29T10:41:02Z stderr P pan\n"
                   "2026-11-29T10:41:02Z stderr P ic: \n"
                   "2026-11-29T10:41:02Z stderr F nil map\n");
  EXPECT_EQ(s.files[0].format, LineFormat::kCri);
  EXPECT_EQ(found(s), (std::set<std::string>{"panic@2"}));
  EXPECT_EQ(s.hits.begin()->second.samples[0].text, "panic: nil map");
  EXPECT_EQ(s.hits.begin()->second.first, *parse_rfc3339("2026-11-29T10:41:02Z"));
}

TEST_F(ScannerTest, DockerJsonPartialLinesAreJoined) {
  LogScan s =
      scan("d-json.log", R"({"log":"pan","stream":"stderr","time":"2026-11-29T10:41:02Z"})"
                         "\n"
                         R"({"log":"ic: boom\n","stream":"stderr","time":"2026-11-29T10:41:02Z"})"
                         "\n");
  EXPECT_EQ(s.files[0].format, LineFormat::kDockerJson);
  EXPECT_EQ(found(s), (std::set<std::string>{"panic@1"}));
}

TEST_F(ScannerTest, SinceAndUntilSkipLinesOutside) {
  std::string text =
      "E1129 10:00:00.0 1 k.go:1] PLEG is not healthy\n"
      "E1129 11:00:00.0 1 k.go:1] PLEG is not healthy\n"
      "E1129 12:00:00.0 1 k.go:1] PLEG is not healthy\n";
  options_.since = *parse_rfc3339("2026-11-29T10:30:00Z");
  options_.until = *parse_rfc3339("2026-11-29T11:30:00Z");
  LogScan s = scan("kubelet.log", text);
  EXPECT_EQ(found(s), (std::set<std::string>{"pleg@2"}));
  EXPECT_EQ(s.files[0].outside_time, 2u);
}

TEST_F(ScannerTest, UnknownTimestampsLeaveTimeUnknown) {
  LogScan s = scan("app.txt", "at teatime: started\npanic: x\n");
  ASSERT_EQ(s.hits.size(), 1u);
  EXPECT_FALSE(s.hits.begin()->second.first.has_value());
  // Lines that do not parse in the file's format (a stack trace in a klog file) keep the time
  // of the line before.
  LogScan k =
      scan("kubelet.log", "E1129 10:41:02.0 1 k.go:1] start\nPLEG is not healthy (continued)\n");
  EXPECT_EQ(k.files[0].untimed, 1u);
  EXPECT_EQ(k.hits.begin()->second.first, *parse_rfc3339("2026-11-29T10:41:02Z"));
}

TEST_F(ScannerTest, ComponentsDecideWhichSignaturesApply) {
  // An app signature is not matched in the kubelet's log; the override makes it an app log.
  std::string text = "E1129 10:41:02.0 1 k.go:1] start\npanic: x\nPLEG is not healthy\n";
  EXPECT_EQ(found(scan("nodes/n1/kubelet.log", text)), (std::set<std::string>{"pleg@3"}));
  options_.component = "app";
  EXPECT_EQ(found(scan("nodes/n1/kubelet.log", text)), (std::set<std::string>{"panic@2"}));
}

// A catch-all that yields to a specific signature leaves it the lines both match, and keeps
// the lines only it matches.
TEST_F(ScannerTest, ACatchAllYieldsTheLinesASpecificSignatureMatches) {
  sigs_ = {sig("generic", "app", "permission denied"),
           sig("db", "app", "permission denied for schema ")};
  sigs_[0].yields_to = {"db"};
  auto m = Matcher::compile(sigs_);
  ASSERT_TRUE(m.has_value()) << m.error();
  matcher_.emplace(std::move(*m));
  options_.component = "app";
  const std::string text =
      "pq: permission denied for schema reporting\nopen /data/x: permission denied\n";
  EXPECT_EQ(found(scan("app.log", text)), (std::set<std::string>{"db@1", "generic@2"}));
  // Without yields_to both report the first line.
  sigs_[0].yields_to.clear();
  EXPECT_EQ(found(scan("app.log", text)),
            (std::set<std::string>{"db@1", "generic@1", "generic@2"}));
}

TEST_F(ScannerTest, JournalLinesNameTheirComponent) {
  LogScan s = scan("journal.txt",
                   "Nov 29 10:41:02 n1 kernel: Out of memory: Killed process 42 (java)\n"
                   "Nov 29 10:41:03 n1 myapp[7]: panic: boom\n"
                   "Nov 29 10:41:04 n1 kubelet[9]: panic: not an app line here\n");
  EXPECT_EQ(found(s), (std::set<std::string>{"oom@1", "panic@2"}));
}

using testing::gzip;

TEST_F(ScannerTest, FoldersGzAndTruncatedGz) {
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "line " + std::to_string(i) + " of padding text\n";
  write("b/app.log", "panic: one\n");
  write("a/old.log.gz", gzip("panic: zipped\n"));
  std::string z = gzip("panic: early\n" + many + "panic: late\n");
  write("c/cut.log.gz", z.substr(0, z.size() / 2));
  write("a/empty.log", "");
  write("a/pods.json", "{\"message\": \"panic: in an object, not a log\"}\n");
  std::vector<std::string> paths = {dir_.string(), (dir_ / "missing").string()};
  LogScan s = scan_paths(paths, sigs_, *matcher_, options_);
  ASSERT_EQ(s.files.size(), 5u);
  EXPECT_EQ(fs::path(s.files[0].path).filename(), "empty.log");  // sorted
  EXPECT_EQ(fs::path(s.files[1].path).filename(), "old.log.gz");
  EXPECT_EQ(fs::path(s.files[3].path).filename(), "cut.log.gz");
  EXPECT_NE(s.files[3].error.find("gzip data is truncated"), std::string::npos);
  EXPECT_EQ(s.files[4].error, "no such file or folder");
  std::uint64_t hits = 0;
  for (const auto& [k, h] : s.hits) hits += h.count;
  EXPECT_EQ(hits, 3u);  // one, zipped, early (late is in the missing half)
}

TEST_F(ScannerTest, FollowReadsWhatIsAppendedAndWaitsForALineToEnd) {
  std::string path = write("grow.log", "panic: one\npan");
  std::vector<std::uint64_t> seen;
  options_.on_match = [&](const Signature&, const Sample& s) { seen.push_back(s.line); };
  int waits = 0;
  LogScan s;
  follow_file(path, sigs_, *matcher_, options_, s, [&] {
    if (++waits == 1) std::ofstream(path, std::ios::app) << "ic: two\nno match\n";
    return waits < 3;
  });
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(waits, 3);
  EXPECT_EQ(s.files[0].lines, 3u);
}

// The set of (signature, line) pairs equals what grep -E finds with the same patterns.
TEST(ScannerGrepTest, SameMatchesAsGrep) {
  if (std::system("grep --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "grep is absent";
  auto sigs = builtin_signatures();
  ASSERT_TRUE(sigs.has_value()) << sigs.error();
  auto matcher = Matcher::compile(*sigs);
  ASSERT_TRUE(matcher.has_value());
  fs::path dir = fs::temp_directory_path() / ("ktriage-grep-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string text;
  for (int i = 0; i < 30; ++i) text += "plain noise line " + std::to_string(i) + " nothing here\n";
  for (const Signature& s : *sigs) {
    for (const std::string& l : s.positive) text += l + "\n";
    for (const std::string& l : s.negative) text += l + "\n";
    text += "noise between " + s.id + "\n";
  }
  std::ofstream(dir / "mixed.txt") << text;
  std::set<std::pair<std::string, std::uint64_t>> ours, theirs;
  ScanOptions options;
  options.year = 2026;
  options.on_match = [&](const Signature& s, const Sample& x) { ours.emplace(s.id, x.line); };
  LogScan scan;
  scan_file((dir / "mixed.txt").string(), *sigs, *matcher, options, scan);
  ASSERT_EQ(scan.files[0].format, LineFormat::kPlain);
  for (const Signature& s : *sigs) {
    std::ofstream(dir / "pattern") << s.pattern << "\n";
    std::string cmd = "LC_ALL=C grep -n -E -f '" + (dir / "pattern").string() + "' '" +
                      (dir / "mixed.txt").string() + "' | cut -d: -f1";
    FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[64];
    while (std::fgets(buf, sizeof buf, p) != nullptr) theirs.emplace(s.id, std::stoull(buf));
    ::pclose(p);
  }
  fs::remove_all(dir);
  // A line that a signature's yields_to also matches is theirs alone.
  for (const Signature& s : *sigs) {
    for (const std::string& other : s.yields_to) {
      for (auto it = theirs.begin(); it != theirs.end();) {
        it = it->first == s.id && theirs.contains({other, it->second}) ? theirs.erase(it)
                                                                       : std::next(it);
      }
    }
  }
  EXPECT_EQ(ours, theirs);
  EXPECT_GE(ours.size(), sigs->size() / 2);
}

}  // namespace
}  // namespace ktriage::logs
