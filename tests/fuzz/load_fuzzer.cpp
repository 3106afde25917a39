// libFuzzer target for the loaders: arbitrary bytes as a JSON, YAML or log file, then the whole
// model and every analyzer on whatever was read. Any crash, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzers/registry.h"
#include "correlate/correlate.h"
#include "load/document.h"
#include "load/source.h"
#include "model/cluster.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the file name, so layout rules are fuzzed too.
  static constexpr std::string_view kNames[] = {
      "in.json",
      "in.yaml",
      "logs/ns/pod/c.log",
      "dump/ns/pod/logs.txt",
      "version.json",
      "pods/ns_pod_uid/c/0.log",
      "cloud/ecs-DescribeSecurityGroupAttribute-sg-1.json",
      "cloud/renamed.json"};
  const std::string_view name = kNames[data[0] % std::size(kNames)];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  // Its next bits choose how the file is read: padded as files on disk are (which takes the
  // item-by-item path for damaged kubectl Lists), and with the parallel List path at any size.
  const bool padded = (data[0] / std::size(kNames)) % 2 == 1;
  const bool parallel = (data[0] / std::size(kNames) / 2) % 2 == 1;
  std::string padded_copy;
  if (padded) {
    padded_copy.assign(body);
    padded_copy.append(ktriage::kJsonPadding, '\0');
    body = std::string_view(padded_copy.data(), body.size());
  }
  ktriage::Inputs in;
  ktriage::load_buffer(name, body, in, padded, parallel ? 1 : ktriage::kParallelListBytes);
  auto cluster = ktriage::Cluster::build(std::move(in));
  ktriage::AnalysisContext ctx{*cluster, cluster->now()};
  auto findings = ktriage::correlate(*cluster, ktriage::run_analyzers(ctx, 1));
  return 0;
}
