// libFuzzer target for `ktriage lint`: arbitrary bytes as a YAML or JSON manifest file, loaded
// with the sources kept (as lint loads), built into a Cluster and linted against 1.33, so every
// lint check and the position lookup (locate.h) meet malformed input. Any crash, leak, hang or
// sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lint/lint.h"
#include "load/source.h"
#include "model/cluster.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the file name: the name decides JSON or YAML for ambiguous text.
  static constexpr std::string_view kNames[] = {"in.yaml", "in.json", "in.yml", "manifest"};
  const std::string_view name = kNames[data[0] % std::size(kNames)];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  ktriage::Inputs in;
  in.keep_sources = true;
  ktriage::load_buffer(name, body, in);
  auto cluster = ktriage::Cluster::build(std::move(in));
  auto report = ktriage::lint::lint(*cluster, 33);
  return 0;
}
