// Every line format: detection from a file's first lines, and the split of one line into time,
// message and journal identifier.
#include "logs/line_format.h"

#include <gtest/gtest.h>

#include <vector>

namespace ktriage::logs {
namespace {

constexpr int kYear = 2026;
const UnixSeconds k104102 = *parse_rfc3339("2026-11-29T10:41:02Z");

LineFormat detect(std::vector<std::string_view> lines) { return detect_format(lines, kYear); }

struct Split {
  bool ok = false;
  std::optional<UnixSeconds> time;
  std::string message, identifier;
  bool partial = false;
};

Split split(LineFormat f, std::string_view line) {
  std::string scratch;
  ParsedLine p;
  Split s;
  s.ok = parse_line(f, line, kYear, scratch, p);
  s.time = p.time;
  s.message = std::string(p.message);
  s.identifier = std::string(p.identifier);
  s.partial = p.partial;
  return s;
}

TEST(LineFormatTest, Klog) {
  std::string_view line =
      "E1129 10:41:02.123456    1234 kubelet.go:2386] \"Skipping pod synchronization\" err=\"x\"";
  EXPECT_EQ(detect({line, "I1129 10:41:03.000000 1234 a.go:1] ok"}), LineFormat::kKlog);
  Split s = split(LineFormat::kKlog, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.message, line);  // whole, header included
  EXPECT_TRUE(split(LineFormat::kKlog, "F1129 10:41:02 7 main.go:9]").ok);
  EXPECT_FALSE(split(LineFormat::kKlog, "X1129 10:41:02.1 1 a.go:1] no").ok);
  EXPECT_FALSE(split(LineFormat::kKlog, "E1399 10:41:02.1 1 a.go:1] bad month").ok);
  EXPECT_FALSE(split(LineFormat::kKlog, "goroutine 1 [running]:").ok);
}

TEST(LineFormatTest, Logrus) {
  std::string_view line =
      R"(time="2026-11-29T10:41:02.123456789Z" level=error msg="RunPodSandbox failed" error="failed to reserve sandbox name \"web-1\"")";
  EXPECT_EQ(detect({line}), LineFormat::kLogrus);
  Split s = split(LineFormat::kLogrus, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.message, "RunPodSandbox failed error=failed to reserve sandbox name \"web-1\"");
  Split docker = split(LineFormat::kLogrus,
                       R"(time="2026-11-29T12:41:02+02:00" level=info msg=started pid=7)");
  ASSERT_TRUE(docker.ok);
  EXPECT_EQ(docker.time, k104102);
  EXPECT_EQ(docker.message, "started pid=7");
  EXPECT_FALSE(split(LineFormat::kLogrus, R"(time="2026-11-29T10:41:02Z" msg="no level")").ok);
  // Go's slog text handler and logfmt: the same shape, time unquoted.
  Split slog = split(LineFormat::kLogrus,
                     R"(time=2026-11-29T10:41:02.365Z level=WARN msg="check failed" err="dial")");
  ASSERT_TRUE(slog.ok);
  EXPECT_EQ(slog.time, k104102);
  EXPECT_EQ(slog.message, "check failed err=dial");
  EXPECT_FALSE(split(LineFormat::kLogrus, R"(time="yesterday" level=info msg=x)").ok);
}

// Escaped quotes and backslash runs end a value where Go's quoting does; an empty key is a field;
// a line with many fields keeps them all, in order.
TEST(LineFormatTest, LogrusQuotingAndManyFields) {
  Split s =
      split(LineFormat::kLogrus,
            R"(time="2026-11-29T10:41:02Z" level=error msg="a \"q\" \\ b" err="x\\\"y" =bare k=v)");
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.message, R"(a "q" \ b err=x\"y =bare k=v)");
  EXPECT_FALSE(
      split(LineFormat::kLogrus, R"(time="2026-11-29T10:41:02Z" level=error msg="open \")").ok);
  std::string many = R"(time="2026-11-29T10:41:02Z" level=info msg=m)", want = "m";
  for (int k = 1; k <= 20; ++k) {
    many += " k" + std::to_string(k) + "=\"" + std::to_string(k) + "\"";
    want += " k" + std::to_string(k) + "=" + std::to_string(k);
  }
  Split m = split(LineFormat::kLogrus, many);
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.message, want);
}

TEST(LineFormatTest, JournalShort) {
  std::string_view line =
      "Nov 29 10:41:02 node-1 kubelet[1234]: E1129 10:41:02.000001 1234 "
      "kubelet.go:1] PLEG is not healthy";
  EXPECT_EQ(detect({line, "Nov 29 10:41:03 node-1 kernel: eth0: link up"}),
            LineFormat::kJournalShort);
  Split s = split(LineFormat::kJournalShort, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.identifier, "kubelet");
  EXPECT_EQ(s.message, "E1129 10:41:02.000001 1234 kubelet.go:1] PLEG is not healthy");
  Split kernel = split(LineFormat::kJournalShort, "Nov  9 10:41:02 n kernel: Out of memory");
  ASSERT_TRUE(kernel.ok);
  EXPECT_EQ(kernel.identifier, "kernel");
  EXPECT_EQ(kernel.time, *parse_rfc3339("2026-11-09T10:41:02Z"));
  EXPECT_FALSE(split(LineFormat::kJournalShort, "-- Logs begin at Mon 2026-11-23 --").ok);
}

TEST(LineFormatTest, JournalShortPrecise) {
  std::string_view line = "Nov 29 10:41:02.123456 node-1 containerd[88]: level=error msg=x";
  EXPECT_EQ(detect({line}), LineFormat::kJournalPrecise);
  Split s = split(LineFormat::kJournalPrecise, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.identifier, "containerd");
  EXPECT_EQ(s.message, "level=error msg=x");
  EXPECT_FALSE(split(LineFormat::kJournalShort, line).ok);
}

TEST(LineFormatTest, JournalShortIso) {
  std::string_view line = "2026-11-29T12:41:02+0200 node-1 dockerd[77]: Cannot connect";
  EXPECT_EQ(detect({line}), LineFormat::kJournalIso);
  Split s = split(LineFormat::kJournalIso, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.identifier, "dockerd");
  EXPECT_EQ(s.message, "Cannot connect");
}

TEST(LineFormatTest, JournalJson) {
  std::string_view line =
      R"({"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1796035262123456","_HOSTNAME":"node-1","SYSLOG_IDENTIFIER":"kubelet","_PID":"1234","MESSAGE":"PLEG is not healthy: \"x\"\tdone"})";
  EXPECT_EQ(detect({line}), LineFormat::kJournalJson);
  Split s = split(LineFormat::kJournalJson, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, 1796035262);
  EXPECT_EQ(s.identifier, "kubelet");
  EXPECT_EQ(s.message, "PLEG is not healthy: \"x\"\tdone");
  // A MESSAGE journald stored as bytes is not text: the line is read, the message is empty.
  Split bytes = split(LineFormat::kJournalJson,
                      R"({"__REALTIME_TIMESTAMP":"1","MESSAGE":[104,105],"_COMM":"app"})");
  ASSERT_TRUE(bytes.ok);
  EXPECT_EQ(bytes.message, "");
  EXPECT_EQ(bytes.identifier, "app");
  EXPECT_FALSE(split(LineFormat::kJournalJson, R"({"level":"warn","msg":"etcd"})").ok);
}

TEST(LineFormatTest, Cri) {
  std::string_view line = "2026-11-29T10:41:02.123456789Z stderr F panic: boom";
  EXPECT_EQ(detect({line, "2026-11-29T10:41:02.2Z stdout P part"}), LineFormat::kCri);
  Split s = split(LineFormat::kCri, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.message, "panic: boom");
  EXPECT_FALSE(s.partial);
  Split p = split(LineFormat::kCri, "2026-11-29T10:41:02.2Z stdout P part one ");
  ASSERT_TRUE(p.ok);
  EXPECT_TRUE(p.partial);
  EXPECT_EQ(p.message, "part one ");
  EXPECT_TRUE(split(LineFormat::kCri, "2026-11-29T10:41:02.2Z stdout F").ok);  // empty line
  EXPECT_FALSE(split(LineFormat::kCri, "2026-11-29T10:41:02.2Z stdin F x").ok);
  // apiserver in a container: klog inside CRI, kept whole
  Split klog = split(LineFormat::kCri,
                     "2026-11-29T10:41:02Z stderr F E1129 10:41:02.1 1 etcd.go:1] timeout");
  EXPECT_EQ(klog.message, "E1129 10:41:02.1 1 etcd.go:1] timeout");
}

TEST(LineFormatTest, DockerJsonFile) {
  std::string_view line =
      R"({"log":"java.lang.OutOfMemoryError: Java heap space\n","stream":"stderr","time":"2026-11-29T10:41:02.123456789Z"})";
  EXPECT_EQ(detect({line}), LineFormat::kDockerJson);
  Split s = split(LineFormat::kDockerJson, line);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.message, "java.lang.OutOfMemoryError: Java heap space");
  EXPECT_FALSE(s.partial);
  Split part =
      split(LineFormat::kDockerJson, R"({"log":"first 16k","stream":"stdout","time":"x"})");
  ASSERT_TRUE(part.ok);
  EXPECT_TRUE(part.partial);
  EXPECT_FALSE(part.time.has_value());  // an unknown timestamp is no timestamp
}

TEST(LineFormatTest, PlainText) {
  EXPECT_EQ(detect({"hello", "world", ""}), LineFormat::kPlain);
  EXPECT_EQ(detect({}), LineFormat::kPlain);
  Split s = split(LineFormat::kPlain, "2026-11-29T10:41:02.5Z app started");
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.time, k104102);
  EXPECT_EQ(s.message, "2026-11-29T10:41:02.5Z app started");  // plain lines match whole
  EXPECT_FALSE(split(LineFormat::kPlain, "Tuesday 10:41 app").time.has_value());
  // JSON lines (zap, etcd): matched whole, the time from ts/time/timestamp.
  std::string_view zap = R"({"level":"warn","ts":"2026-11-29T10:41:02.123Z","msg":"slow"})";
  EXPECT_EQ(detect({zap}), LineFormat::kPlain);
  Split z = split(LineFormat::kPlain, zap);
  EXPECT_EQ(z.time, k104102);
  EXPECT_EQ(z.message, zap);
  EXPECT_EQ(split(LineFormat::kPlain, R"({"level":"info","ts":1795948862.5,"msg":"x"})").time,
            k104102);
  EXPECT_FALSE(split(LineFormat::kPlain, R"({"ts":"soon"})").time.has_value());
}

TEST(LineFormatTest, MajorityDecides) {
  EXPECT_EQ(detect({"E1129 10:41:02.1 1 a.go:1] x", "goroutine 7 [running]:", "main.main()",
                    "I1129 10:41:02.1 1 a.go:1] y"}),
            LineFormat::kKlog);
}

TEST(LineFormatTest, NamesAreStable) {
  EXPECT_EQ(to_string(LineFormat::kCri), "cri");
  EXPECT_EQ(to_string(LineFormat::kJournalJson), "journal-json");
}

}  // namespace
}  // namespace ktriage::logs
