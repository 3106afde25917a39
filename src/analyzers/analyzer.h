// The analyzer interface: a pure function from a Cluster to findings (STYLE.md practice 2).
// An analyzer reads only its AnalysisContext; no files, network, clock, environment or output.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "core/finding.h"
#include "model/cluster.h"

namespace ktriage {

/// One registration record per rule (STYLE.md practice 3). `fix` is the generic fix used in
/// docs; findings carry a concrete one.
struct Rule {
  std::string_view id;       ///< kebab-case, stable: "image-pull-not-found"
  std::string_view catalog;  ///< fault-catalog id: "POD-WAITING-IMAGE-NOT-FOUND"
  Severity severity;
  std::string_view title;  ///< one line, for docs and --list-rules
  std::string_view fix;    ///< the generic fix
  std::string_view doc;    ///< a documentation URL
};

/// The rule of `rules` that implements fault-catalog entry `catalog` (the first one); nullptr
/// when none does. For analyzers that match records against catalog-keyed tables. O(rules).
const Rule* rule_for_catalog(std::span<const Rule> rules, std::string_view catalog);

/// What every analyzer may read.
struct AnalysisContext {
  const Cluster& cluster;
  UnixSeconds now;  ///< the snapshot's time, never the wall clock
};

/// Collects findings; gives each a stable id from rule, object and an optional discriminator
/// (container name), and drops exact repeats.
class FindingSink {
 public:
  explicit FindingSink(std::vector<Finding>& out) : out_(out) {}
  /// Starts a finding for `rule` about `object`; fill evidence and fix on the returned reference
  /// (valid until the next add). `part` tells apart several findings of one rule on one object.
  Finding& add(const Rule& rule, const ObjectRef& object, std::string summary,
               std::string_view part = {});
  Finding& add(const Rule& rule, const Object& object, std::string summary,
               std::string_view part = {}) {
    return add(rule, object.ref(), std::move(summary), part);
  }

 private:
  std::vector<Finding>& out_;
  std::unordered_set<std::string> ids_;
  Finding scratch_;
};

/// The per-Pod part of an analyzer. run_analyzers() reads each Pod once and hands it to every
/// analyzer's pass in turn, instead of letting each analyzer walk all Pods itself: at 150,000
/// pods the tree does not fit in any cache, and with a walk per analyzer three quarters of the
/// analyzers' time went to reading the same Pods from memory again (Value::operator[] misses).
/// A pass holds the analyzer's state for one run; it is created by AnalyzerDef::pod_pass, which
/// may report findings about other objects before the Pods (nodes: each Node first).
class PodPass {
 public:
  virtual ~PodPass() = default;
  /// One Pod, in Cluster::of_kind("Pod") order.
  virtual void pod(const Object& pod, FindingSink& sink) = 0;
  /// After the last Pod (what needs every Pod seen, or other kinds after the Pods).
  virtual void finish(FindingSink& /*sink*/) {}
};

/// A PodPass for a check that needs no state across Pods: `visit` for each Pod.
template <void (*Visit)(const AnalysisContext&, const Object&, FindingSink&)>
class StatelessPodPass final : public PodPass {
 public:
  explicit StatelessPodPass(const AnalysisContext& ctx) : ctx_(ctx) {}
  void pod(const Object& pod, FindingSink& sink) override { Visit(ctx_, pod, sink); }

 private:
  const AnalysisContext& ctx_;
};

/// AnalyzerDef::pod_pass for a pass type `P` built from the context (and the sink, when it
/// reports findings before the Pods): `start_pod_pass<Pass>`.
template <typename P>
std::unique_ptr<PodPass> start_pod_pass(const AnalysisContext& ctx, FindingSink& sink) {
  if constexpr (std::is_constructible_v<P, const AnalysisContext&, FindingSink&>) {
    return std::make_unique<P>(ctx, sink);
  } else {
    return std::make_unique<P>(ctx);
  }
}

/// One analyzer: a named area with its rules. `run` sees the cluster; `pod_pass`, instead of
/// `run` for analyzers that check every Pod, starts a PodPass; `run_after`, when set, runs once
/// all `run`s and passes are done and also sees their findings (the events analyzer reports
/// only what no other finding explains).
struct AnalyzerDef {
  std::string_view name;
  std::span<const Rule> rules;
  void (*run)(const AnalysisContext&, FindingSink&) = nullptr;
  void (*run_after)(const AnalysisContext&, std::span<const Finding>, FindingSink&) = nullptr;
  std::unique_ptr<PodPass> (*pod_pass)(const AnalysisContext&, FindingSink&) = nullptr;
};

}  // namespace ktriage
