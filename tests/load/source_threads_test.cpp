// load_sources on several threads: the result must be the sequential one, object for object and
// issue for issue, in the same order, with the same file indices.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "live/temp_dir.h"
#include "load/source.h"
#include "support/test_support.h"

namespace ktriage {
namespace {

// A Value as text with its type, so that 1 and "1" differ.
void dump(const Value& v, std::string& out) {
  switch (v.type()) {
    case Value::Type::kObject:
      out += '{';
      for (const Member& m : v.members()) {
        out.append(m.key).append(": ");
        dump(m.value, out);
        out += ", ";
      }
      out += '}';
      return;
    case Value::Type::kArray:
      out += '[';
      for (const Value& i : v.items()) {
        dump(i, out);
        out += ", ";
      }
      out += ']';
      return;
    case Value::Type::kString:
      out.append("\"").append(v.str()).append("\"");
      return;
    case Value::Type::kInt:
      out += "i" + std::to_string(v.as_int());
      return;
    case Value::Type::kDouble:
      out += "d" + std::to_string(v.as_double());
      return;
    case Value::Type::kBool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Value::Type::kNull:
      out += "null";
      return;
  }
}

std::string pos(SourcePos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

// Everything load_sources hands on, one line per item, in order.
std::string describe(const Inputs& in) {
  std::string out;
  for (std::size_t i = 0; i < in.files.size(); ++i) out += "file " + in.files[i] + "\n";
  for (const RawObject& o : in.objects) {
    out += "object file=" + std::to_string(o.file) + " at " + pos(o.pos) +
           " kind=" + std::string(o.kind) + " ";
    dump(o.root, out);
    out += " last_applied=";
    dump(o.last_applied, out);
    out += " managed=";
    dump(o.managed_fields, out);
    out += "\n";
  }
  for (const InputIssue& i : in.issues) {
    out +=
        "issue " + i.where.to_string() + " " + i.message + (i.skipped_file ? " (skipped)\n" : "\n");
  }
  for (const DuplicateKey& d : in.duplicate_keys) {
    out += "duplicate " + d.key + " file=" + std::to_string(d.file) + " " + pos(d.first) + " " +
           pos(d.again) + " in " + d.object.kind + "/" + d.object.name + "\n";
  }
  for (const ContainerLog& l : in.logs) {
    out += "log " + l.ns + "/" + l.pod + "/" + l.container + (l.previous ? " previous " : " ") +
           l.file + " from " + std::to_string(l.first_line) + ": " + l.text + "\n";
  }
  for (const NodeLog& l : in.node_logs) {
    out += "node log " + l.node + " " + l.component + " " + l.file + ": " + l.text + "\n";
  }
  for (const HelmRelease& h : in.helm_releases) {
    out += "helm " + h.name + " file=" + std::to_string(h.file) + "\n";
  }
  out += "sources " + std::to_string(in.sources.size()) + "\n";
  for (const std::string& s : in.sources)
    out += "source " + std::to_string(s.size()) + ": " + s + "\n";
  out += "version " + in.server_version.value_or("-") + "\n";
  out += "files_read " + std::to_string(in.files_read) + " bytes_read " +
         std::to_string(in.bytes_read) + "\n";
  return out;
}

// "" when `a` and `b` are equal, else the first line where they differ. (gtest's string
// comparison would diff these long texts in quadratic time.)
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t line = 1, at = 0;
  while (at < a.size() || at < b.size()) {
    const std::size_t ea = std::min(a.find('\n', at), a.size());
    const std::size_t eb = std::min(b.find('\n', at), b.size());
    if (a.compare(at, ea - at, b, at, eb - at) != 0) {
      return "line " + std::to_string(line) + ":\n  " + a.substr(at, ea - at) + "\n  " +
             (at < b.size() ? b.substr(at, eb - at) : "<end>");
    }
    at = ea + 1;
    ++line;
  }
  return "";
}

constexpr std::string_view kConfigMap = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{}
  namespace: app
data:
  key: "{}"
)";

std::string config_map(int i) {
  std::string s(kConfigMap);
  for (std::size_t at; (at = s.find("{}")) != std::string::npos;)
    s.replace(at, 2, std::to_string(i));
  return s;
}

// A folder of every kind of file a run meets, enough of them for load_sources to use threads.
void write_mixed_folder(const testing::TempDir& dir) {
  for (int i = 0; i < 40; ++i) {
    dir.write("filler/cm-" + std::to_string(100 + i) + ".yaml", config_map(i));
  }
  // Several documents, one with a key written twice, and a second file using anchors.
  dir.write("apps/multi.yaml",
            config_map(1) +
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  "
                "namespace: app\n  labels: {a: b}\n  labels: {c: d}\nspec:\n  ports: "
                "[{port: 80}]\n---\n" +
                config_map(2));
  dir.write("apps/anchors.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: anchored, namespace: app}\n"
            "data: {a: '1'}\n");
  dir.write("apps/pods.json", R"({"apiVersion":"v1","kind":"PodList","items":[
  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"app"},"spec":{"containers":[{"name":"c","image":"x"}]}},
  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p2","namespace":"app"},"spec":{"containers":"wrong"}}]})");
  dir.write("apps/bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b\n");
  dir.write("apps/empty.yaml", "");
  dir.write("apps/notes.txt", "just text\n");
  dir.write("apps/blob.yaml", std::string("\0\1\2binary", 9));
  dir.write("logs/app/p1/c.log", "line one\nline two\n");
  dir.write("nodes/n1/kubelet.log", "kubelet started\n");
  dir.write("version.json", R"({"serverVersion":{"gitVersion":"v1.30.4"}})");
  dir.write("zz/version.json", R"({"serverVersion":{"gitVersion":"v1.31.0"}})");
  dir.write("zz/bundle.tar.gz",
            testing::read_file(testing::shared_dir() +
                               "/peers/troubleshoot/testdata/supportbundle/support-bundle.tar.gz"));
}

Inputs load_with(const std::vector<std::string>& paths, unsigned threads, bool keep_sources) {
  LoadOptions options;
  options.threads = threads;
  options.keep_sources = keep_sources;
  return load_sources(paths, options);
}

TEST(SourceThreadsTest, ManyThreadsReadExactlyWhatOneThreadReads) {
  testing::TempDir dir;
  write_mixed_folder(dir);
  const std::vector<std::string> paths{dir.path(), dir.path() + "/missing.yaml",
                                       dir.path() + "/apps/pods.json"};
  for (bool keep_sources : {false, true}) {
    const Inputs one = load_with(paths, 1, keep_sources);
    const Inputs four = load_with(paths, 4, keep_sources);
    // The folder has what the comparison is meant to cover.
    ASSERT_GE(one.files.size(), 40u + kMinFilesForThreads);
    ASSERT_FALSE(one.duplicate_keys.empty());
    ASSERT_FALSE(one.logs.empty());
    ASSERT_FALSE(one.node_logs.empty());
    ASSERT_GE(one.issues.size(), 5u);
    EXPECT_EQ(one.server_version.value_or(""), "v1.31.0");  // the last one read wins
    EXPECT_EQ(first_difference(describe(one), describe(four)), "")
        << "keep_sources=" << keep_sources;
    EXPECT_EQ(first_difference(describe(one), describe(load_with(paths, 3, keep_sources))), "");
  }
}

TEST(SourceThreadsTest, AFewFilesAreReadTheSameWhateverTheThreads) {
  testing::TempDir dir;
  dir.write("a.yaml", config_map(1));
  dir.write("b.yaml", config_map(2));
  const std::vector<std::string> paths{dir.path()};
  EXPECT_EQ(
      first_difference(describe(load_with(paths, 1, true)), describe(load_with(paths, 8, true))),
      "");
}

}  // namespace
}  // namespace ktriage
