// ktriage-gen-logs: writes the log mix of the `ktriage logs` benchmark (bench/run_logs_bench.sh):
// kubelet and containerd logs and a kubelet/containerd journal per node, kube-apiserver logs and
// application container logs, with known-failure lines (the positive lines of the signature file)
// planted at a low rate. Also exports the signature patterns for grep -E -f and rg -f.
//
//   ktriage-gen-logs --out DIR [--size 2G] [--seed 1] [--rate 10000]
//                    [--signatures knowledge/log-signatures.yaml] [--patterns FILE]
//
// The bytes depend only on the flags and the signature file.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "log_lines.h"
#include "logs/signature.h"

namespace {

namespace fs = std::filesystem;
using loggen::Kind;

struct Options {
  std::string out, signatures = "knowledge/log-signatures.yaml", patterns;
  std::uint64_t size = 2'000'000'000;
  std::uint64_t seed = 1;
  std::uint32_t rate = 10000;  // one planted failure per this many lines
};

// "2G", "200M", "64K" or bytes.
bool parse_size(const std::string& s, std::uint64_t& out) {
  if (s.empty()) return false;
  std::size_t used = 0;
  std::uint64_t v = std::stoull(s, &used);
  std::string unit = s.substr(used);
  std::uint64_t mul = unit.empty()  ? 1
                      : unit == "K" ? 1000
                      : unit == "M" ? 1000'000
                      : unit == "G" ? 1000'000'000
                                    : 0;
  out = v * mul;
  return mul != 0 && out > 0;
}

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--out") {
      o.out = v;
    } else if (k == "--signatures") {
      o.signatures = v;
    } else if (k == "--patterns") {
      o.patterns = v;
    } else if (k == "--size") {
      if (!parse_size(v, o.size)) return false;
    } else if (k == "--seed") {
      o.seed = std::stoull(v);
    } else if (k == "--rate") {
      o.rate = static_cast<std::uint32_t>(std::stoul(v));
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && (!o.out.empty() || !o.patterns.empty()) && o.rate > 0;
}

// One output file: where, what kind, what share of the total size.
struct FilePlan {
  std::string path;
  Kind kind;
  double share;
};

// 4 nodes (kubelet.log, containerd.log, journal.log), 2 API servers, 24 application containers.
std::vector<FilePlan> plan_files() {
  std::vector<FilePlan> files;
  for (int n = 1; n <= 4; ++n) {
    std::string node = fmt::format("nodes/cn-hangzhou.10.0.3.{}/", n);
    files.push_back({node + "kubelet.log", Kind::kKubelet, 0.30 / 4});
    files.push_back({node + "containerd.log", Kind::kContainerd, 0.15 / 4});
    files.push_back({node + "journal.log", Kind::kJournal, 0.15 / 4});
  }
  for (int n = 1; n <= 2; ++n) {
    files.push_back(
        {fmt::format("control-plane/kube-apiserver-master-{}.log", n), Kind::kApiserver, 0.15 / 2});
  }
  static constexpr const char* kNs[] = {"shop", "payments", "search", "batch"};
  for (int n = 0; n < 24; ++n) {
    files.push_back({fmt::format("logs/{}/app-{}-7d9c5b-x2bq{}/app.log", kNs[n % 4], n, n % 10),
                     Kind::kApp, 0.25 / 24});
  }
  return files;
}

// Positive lines that fit a file kind: application signatures in application logs, node and
// control-plane ones elsewhere (ktriage applies them that way).
std::vector<std::string> positives_for(Kind kind, const std::vector<ktriage::logs::Signature>& s) {
  std::vector<std::string> out;
  for (const auto& sig : s) {
    const bool app = sig.component == "app";
    const bool fits =
        kind == Kind::kApp          ? app
        : kind == Kind::kApiserver  ? sig.component == "apiserver" || sig.component == "etcd"
        : kind == Kind::kContainerd ? sig.component == "containerd" || sig.component == "docker"
                                    : !app;
    if (fits) out.insert(out.end(), sig.positive.begin(), sig.positive.end());
  }
  return out;
}

struct Written {
  std::uint64_t bytes = 0, lines = 0, planted = 0;
};

Written write_file(const fs::path& path, Kind kind, std::uint64_t size,
                   const std::vector<std::string>& positives, const Options& o,
                   std::uint64_t seed) {
  fs::create_directories(path.parent_path());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + path.string());
  loggen::Rng rng(seed);
  // 2026-12-01T00:00:00Z, a little later for each file.
  loggen::Clock clock(1'796'083'200'000'000LL + static_cast<std::int64_t>(seed % 3600) * 1000000);
  std::string buf;
  buf.reserve(1u << 20);
  Written w;
  while (w.bytes + buf.size() < size) {
    if (!positives.empty() && rng.below(o.rate) == 0) {
      loggen::planted(kind, positives[rng.below(static_cast<std::uint32_t>(positives.size()))], rng,
                      clock, buf);
      ++w.planted;
      ++w.lines;
    } else {
      w.lines += static_cast<std::uint64_t>(loggen::noise(kind, rng, clock, buf));
    }
    if (buf.size() >= (1u << 20) - 8192) {
      std::fwrite(buf.data(), 1, buf.size(), f);
      w.bytes += buf.size();
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  w.bytes += buf.size();
  if (std::fclose(f) != 0) throw std::runtime_error("cannot write " + path.string());
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) {
    std::fputs(
        "usage: ktriage-gen-logs --out DIR [--size 2G] [--seed N] [--rate 10000] "
        "[--signatures FILE] [--patterns FILE]\n",
        stderr);
    return 2;
  }
  std::ifstream in(o.signatures, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto sigs = ktriage::logs::parse_signatures(o.signatures, text.str());
  if (!in || !sigs) {
    fmt::print(stderr, "ktriage-gen-logs: {}\n",
               sigs ? "cannot read " + o.signatures : sigs.error());
    return 2;
  }
  if (!o.patterns.empty()) {
    std::ofstream p(o.patterns, std::ios::binary);
    for (const auto& s : *sigs) p << s.pattern << '\n';
    if (!p) return 2;
  }
  if (o.out.empty()) return 0;
  Written total;
  std::uint64_t seed = o.seed;
  for (const FilePlan& fp : plan_files()) {
    auto size = static_cast<std::uint64_t>(static_cast<double>(o.size) * fp.share);
    Written w = write_file(fs::path(o.out) / fp.path, fp.kind, size, positives_for(fp.kind, *sigs),
                           o, loggen::Rng(++seed).next());
    total.bytes += w.bytes;
    total.lines += w.lines;
    total.planted += w.planted;
  }
  fmt::print("{} bytes, {} lines, {} planted failure lines in {}\n", total.bytes, total.lines,
             total.planted, o.out);
  return 0;
}
