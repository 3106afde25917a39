// The list of analyzers (STYLE.md practice 4): one explicit table, no static initialisers.
#pragma once

#include <span>
#include <vector>

#include "analyzers/analyzer.h"

namespace ktriage {

/// Every analyzer, in registry order: the order their findings are returned in, and the order
/// run_after analyzers run in (the sweeps of the Pods run before the other analyzers' run).
std::span<const AnalyzerDef> all_analyzers();

/// Every rule of every analyzer, with its analyzer's name.
struct RuleEntry {
  const Rule* rule;
  std::string_view analyzer;
};
std::vector<RuleEntry> all_rules();

/// Wall seconds one analyzer took (its run or pod pass, plus its run_after), for --timings and
/// make bench. A pod pass is timed per Pod (two clock reads per Pod and pass), so its figure
/// includes that overhead; the run without --timings does not read the clock.
struct AnalyzerTiming {
  std::string_view analyzer;
  double seconds = 0;
};

/// The order analyzers start in on several threads, as indices into `analyzers`: the slowest
/// first (as measured at 150,000 pods), then the others in registry order, so the threads finish
/// together. Analyzers with a pod pass run in the sweep of the Pods, which starts before all of
/// these. Findings are still returned in registry order.
std::vector<std::size_t> dispatch_order(std::span<const AnalyzerDef> analyzers);

/// Hands each Pod of `cluster` (of_kind("Pod") order) to every pass in turn, passes[k] writing
/// to sinks[k] (same length), then calls each pass's finish() in order: one read of a Pod's tree
/// serves all passes (see PodPass). When `seconds` is given (passes.size() entries) each pass's
/// time is added to its entry; timing every call costs two clock reads per Pod and pass.
void sweep_pods(const Cluster& cluster, std::span<const std::unique_ptr<PodPass>> passes,
                std::span<const std::unique_ptr<FindingSink>> sinks,
                std::vector<double>* seconds = nullptr);

/// The sweeps of the Pods run_analyzers() makes, as indices into `analyzers` (those with a pod
/// pass, each in exactly one group, registry order within a group): one for all on one thread;
/// on more, the slowest passes get one each, so that the sweeps run side by side.
std::vector<std::vector<std::size_t>> sweep_groups(std::span<const AnalyzerDef> analyzers,
                                                   unsigned threads);

/// Runs every analyzer on `ctx` (in parallel where threads > 1) and returns their findings in a
/// deterministic order (analyzer order, then as each produced them). When `timings` is given it
/// receives one entry per analyzer, in registry order.
std::vector<Finding> run_analyzers(const AnalysisContext& ctx, unsigned threads = 1,
                                   std::vector<AnalyzerTiming>* timings = nullptr);

}  // namespace ktriage
