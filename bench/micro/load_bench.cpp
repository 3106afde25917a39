// Google Benchmark micro-benchmarks of the load, index and analyze phases on one kubectl List,
// each beside simdjson alone on the same bytes (the baseline), so a change shows as a ratio
// measured in the same run rather than as seconds from another day.
//
//   make bench-micro            # generates bench/data/500x15000/ first if needed
//   build/bench/ktriage-micro-bench --benchmark_filter=Load   (BENCH_INPUT=FILE to choose)
//
// BENCH_INPUT names the file (default bench/data/500x15000/pods.json relative to the working
// directory). Throughput is reported as bytes_per_second of that file.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "analyzers/registry.h"
#include "load/source.h"
#include "model/cluster.h"

namespace {

const simdjson::padded_string& input() {
  static const simdjson::padded_string text = [] {
    const char* path = std::getenv("BENCH_INPUT");
    const std::string file = path != nullptr ? path : "bench/data/500x15000/pods.json";
    auto loaded = simdjson::padded_string::load(file);
    if (loaded.error()) {
      std::fprintf(stderr, "ktriage-micro-bench: cannot read %s (set BENCH_INPUT)\n", file.c_str());
      std::exit(2);
    }
    return std::move(loaded).value();
  }();
  return text;
}

ktriage::Inputs load_input() {
  ktriage::Inputs in;
  ktriage::load_buffer("pods.json", std::string_view(input().data(), input().size()), in,
                       /*padded=*/true);
  return in;
}

void BM_SimdjsonDomBaseline(benchmark::State& state) {
  simdjson::dom::parser parser;
  // One untimed parse first, so the parser's buffers are faulted in before timing, as the
  // loader's are after its first iteration.
  if (parser.parse(input()).error()) state.SkipWithError("not valid JSON");
  for (auto _ : state) {
    auto doc = parser.parse(input());
    if (doc.error()) state.SkipWithError(simdjson::error_message(doc.error()));
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_SimdjsonDomBaseline)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Load(benchmark::State& state) {
  for (auto _ : state) {
    ktriage::Inputs in = load_input();
    benchmark::DoNotOptimize(in.objects.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadAndIndex(benchmark::State& state) {
  for (auto _ : state) {
    auto cluster = ktriage::Cluster::build(load_input());
    benchmark::DoNotOptimize(cluster.get());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_LoadAndIndex)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Analyze(benchmark::State& state) {
  const auto cluster = ktriage::Cluster::build(load_input());
  const ktriage::AnalysisContext ctx{*cluster, cluster->now()};
  for (auto _ : state) {
    auto findings = ktriage::run_analyzers(ctx, 2);
    benchmark::DoNotOptimize(findings.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_Analyze)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
