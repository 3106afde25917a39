// libFuzzer target for the loaders: arbitrary bytes as a JSON, YAML or log file, then the whole
// model and every analyzer on whatever was read. Any crash, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzers/registry.h"
#include "correlate/correlate.h"
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
  ktriage::Inputs in;
  ktriage::load_buffer(name, body, in);
  auto cluster = ktriage::Cluster::build(std::move(in));
  ktriage::AnalysisContext ctx{*cluster, cluster->now()};
  auto findings = ktriage::correlate(*cluster, ktriage::run_analyzers(ctx, 1));
  return 0;
}
