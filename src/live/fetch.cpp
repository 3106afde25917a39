#include "live/fetch.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/json_text.h"
#include "core/redact.h"
#include "live/page.h"
#include "load/document.h"

namespace ktriage {

namespace {

/// A resource the analyzers read. `versions`: preferred first; the first one the server offers
/// is used. `consequence`: what a 403 on it costs the diagnosis.
struct ResourceSpec {
  std::string_view group;  ///< "" for the core group
  std::string_view versions;
  std::string_view resource;
  std::string_view list_kind;
  bool namespaced;
  PageKind page;
  std::string_view consequence;
};

constexpr ResourceSpec kResources[] = {
    {"", "v1", "pods", "PodList", true, PageKind::kPod, "no pod can be diagnosed"},
    {"", "v1", "events", "EventList", true, PageKind::kEvent,
     "findings lose the scheduler's, kubelet's and controllers' events"},
    {"", "v1", "nodes", "NodeList", false, PageKind::kGeneric,
     "node conditions and scheduling fits are unknown"},
    {"", "v1", "services", "ServiceList", true, PageKind::kGeneric,
     "Services and Ingress backends are not checked"},
    {"", "v1", "endpoints", "EndpointsList", true, PageKind::kGeneric,
     "Service endpoints are read from EndpointSlices only"},
    {"", "v1", "configmaps", "ConfigMapList", true, PageKind::kConfigMap,
     "diagnosis of ConfigMap references is partial"},
    {"", "v1", "secrets", "SecretList", true, PageKind::kSecretMeta,
     "diagnosis of env references is partial"},
    {"", "v1", "persistentvolumeclaims", "PersistentVolumeClaimList", true, PageKind::kGeneric,
     "volume claims are not checked"},
    {"", "v1", "persistentvolumes", "PersistentVolumeList", false, PageKind::kGeneric,
     "volume binding is not checked"},
    {"", "v1", "namespaces", "NamespaceList", false, PageKind::kGeneric,
     "namespaces stuck Terminating are not found"},
    {"", "v1", "serviceaccounts", "ServiceAccountList", true, PageKind::kGeneric,
     "missing ServiceAccounts are not found"},
    {"", "v1", "resourcequotas", "ResourceQuotaList", true, PageKind::kGeneric,
     "quota exhaustion is not checked"},
    {"", "v1", "limitranges", "LimitRangeList", true, PageKind::kGeneric,
     "LimitRange rejections are not explained"},
    {"", "v1", "componentstatuses", "ComponentStatusList", false, PageKind::kGeneric,
     "control-plane health is read from pods only"},
    {"discovery.k8s.io", "v1,v1beta1", "endpointslices", "EndpointSliceList", true,
     PageKind::kGeneric, "Service endpoints are read from Endpoints only"},
    {"apps", "v1", "deployments", "DeploymentList", true, PageKind::kGeneric,
     "Deployments are not checked"},
    {"apps", "v1", "replicasets", "ReplicaSetList", true, PageKind::kGeneric,
     "rollouts are not traced"},
    {"apps", "v1", "statefulsets", "StatefulSetList", true, PageKind::kGeneric,
     "StatefulSets are not checked"},
    {"apps", "v1", "daemonsets", "DaemonSetList", true, PageKind::kGeneric,
     "DaemonSets and add-ons are not checked"},
    {"batch", "v1", "jobs", "JobList", true, PageKind::kGeneric, "Jobs are not checked"},
    {"batch", "v1,v1beta1", "cronjobs", "CronJobList", true, PageKind::kGeneric,
     "CronJobs are not checked"},
    {"autoscaling", "v2,v2beta2", "horizontalpodautoscalers", "HorizontalPodAutoscalerList", true,
     PageKind::kGeneric, "HPAs are not checked"},
    {"policy", "v1,v1beta1", "poddisruptionbudgets", "PodDisruptionBudgetList", true,
     PageKind::kGeneric, "PDBs are not checked"},
    {"networking.k8s.io", "v1", "ingresses", "IngressList", true, PageKind::kGeneric,
     "Ingresses are not checked"},
    {"networking.k8s.io", "v1", "ingressclasses", "IngressClassList", false, PageKind::kGeneric,
     "Ingress classes are not checked"},
    {"networking.k8s.io", "v1", "networkpolicies", "NetworkPolicyList", true, PageKind::kGeneric,
     "NetworkPolicies are not read"},
    {"storage.k8s.io", "v1", "storageclasses", "StorageClassList", false, PageKind::kGeneric,
     "StorageClass problems are not found"},
    {"storage.k8s.io", "v1", "volumeattachments", "VolumeAttachmentList", false, PageKind::kGeneric,
     "volume attach failures are read from events only"},
    {"admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations",
     "MutatingWebhookConfigurationList", false, PageKind::kGeneric,
     "blocking admission webhooks are not found"},
    {"admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations",
     "ValidatingWebhookConfigurationList", false, PageKind::kGeneric,
     "blocking admission webhooks are not found"},
    {"apiregistration.k8s.io", "v1", "apiservices", "APIServiceList", false, PageKind::kGeneric,
     "unavailable APIServices are not found"},
    {"scheduling.k8s.io", "v1", "priorityclasses", "PriorityClassList", false, PageKind::kGeneric,
     "priority classes are not checked"},
    {"rbac.authorization.k8s.io", "v1", "roles", "RoleList", true, PageKind::kGeneric,
     "RBAC refusals in logs are not checked against Roles"},
    {"rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBindingList", true, PageKind::kGeneric,
     "RBAC refusals in logs are not checked against RoleBindings"},
    {"rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRoleList", false,
     PageKind::kGeneric, "RBAC refusals in logs are not checked against ClusterRoles"},
    {"rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBindingList", false,
     PageKind::kGeneric, "RBAC refusals in logs are not checked against ClusterRoleBindings"},
};

/// The Accept header for Secrets: kubectl's table form with each row's metadata (it carries the
/// Type column, never the data), else metadata only; a server that offers neither answers JSON
/// (whose data the page writer drops).
constexpr std::string_view kMetadataAccept =
    "application/json;as=Table;g=meta.k8s.io;v=v1,"
    "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

/// One resource to list: at one group-version, in all namespaces (or cluster-scoped), and, when
/// that is refused and -n names a namespace, in the namespaces diagnosis needs.
struct ListTask {
  const ResourceSpec* spec;
  std::string group_version;  ///< "v1", "apps/v1"
  std::string items;          ///< header() and the items read, one per line
  std::vector<WantedLog> wanted;
  bool served = true;  ///< false: the server does not serve it, or nothing of it could be read
};

struct LogTask {
  WantedLog c;
  bool previous = false;
  std::string text;
  bool found = false;
};

std::string list_path(const ListTask& t, std::string_view ns) {
  std::string root = t.group_version == "v1" ? "/api/v1" : "/apis/" + t.group_version;
  if (!ns.empty()) return fmt::format("{}/namespaces/{}/{}", root, ns, t.spec->resource);
  return fmt::format("{}/{}", root, t.spec->resource);
}

/// How reading one list ended.
enum class ListOutcome { kComplete, kNotServed, kForbidden, kFailed };

/// Runs `n` tasks on up to `workers` threads; `run(i)` must be thread-safe across i.
template <typename F>
void run_parallel(std::size_t n, int workers, F run) {
  std::atomic<std::size_t> next{0};
  auto loop = [&] {
    for (std::size_t i = next++; i < n; i = next++) run(i);
  };
  const std::size_t threads =
      std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, workers)));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(loop);
  loop();
  for (std::thread& t : pool) t.join();
}

class Fetcher {
 public:
  Fetcher(ApiClient& client, const FetchOptions& options) : client_(client), options_(options) {}

  Expected<LiveSnapshot, std::string> run() {
    auto version = client_.get("/version");
    if (!version) return Unexpected(fatal(version.error()));
    if (version->status != 200) return Unexpected(http_fatal("/version", *version));
    auto groups = discover();
    if (!groups) return Unexpected(groups.error());

    std::vector<ListTask> tasks = plan(*groups);
    progress_.lists_total = tasks.size();
    report();
    run_parallel(tasks.size(), options_.workers, [&](std::size_t i) { read_list(tasks[i]); });

    LiveSnapshot snap;
    snap.files.push_back({"version.json", "{\"serverVersion\":" + version->body + "}\n"});
    assemble_lists(tasks, snap);
    if (options_.logs) read_logs(tasks, snap);
    std::sort(problems_.begin(), problems_.end());
    problems_.erase(std::unique(problems_.begin(), problems_.end()), problems_.end());
    snap.problems = problems_;
    return snap;
  }

 private:
  ApiClient& client_;
  const FetchOptions& options_;
  std::mutex mu_;  // guards problems_ and progress_
  std::vector<std::string> problems_;
  FetchProgress progress_;

  void problem(std::string text) {
    std::lock_guard lock(mu_);
    problems_.push_back(std::move(text));
  }
  void report() {
    if (options_.progress) options_.progress(progress_);
  }
  void count(std::size_t pages, std::size_t bytes, std::size_t lists, std::size_t logs) {
    std::lock_guard lock(mu_);
    progress_.pages += pages;
    progress_.bytes += bytes;
    progress_.lists_done += lists;
    progress_.logs_done += logs;
    report();
  }

  std::string fatal(const HttpError& e) const { return fmt::format("{}: {}", e.url, e.message); }
  std::string http_fatal(std::string_view path, const HttpResponse& r) const {
    const RestConfig& c = client_.config();
    std::string msg = status_message(r.body);
    if (r.status == 401) {
      return fmt::format(
          "{}{}: HTTP 401 Unauthorized: the server rejected the credentials of {} (expired "
          "token or certificate, or the wrong user)",
          c.server, path, c.origin);
    }
    return fmt::format("{}{}: HTTP {}{}{}", c.server, path, r.status, msg.empty() ? "" : ": ", msg);
  }

  // Group -> served versions, from /apis (the core group is always v1).
  Expected<std::map<std::string, std::set<std::string>>, std::string> discover() {
    auto r = client_.get("/apis");
    if (!r) return Unexpected(fatal(r.error()));
    if (r->status != 200) return Unexpected(http_fatal("/apis", *r));
    std::map<std::string, std::set<std::string>> out;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    simdjson::dom::array groups;
    if (parser.parse(r->body).get(doc) != simdjson::SUCCESS ||
        doc["groups"].get_array().get(groups) != simdjson::SUCCESS) {
      return Unexpected(fmt::format("{}/apis: not an APIGroupList", client_.config().server));
    }
    for (simdjson::dom::element g : groups) {
      std::string_view name;
      if (g["name"].get_string().get(name) != simdjson::SUCCESS) continue;
      simdjson::dom::array versions;
      if (g["versions"].get_array().get(versions) != simdjson::SUCCESS) continue;
      for (simdjson::dom::element v : versions) {
        std::string_view version;
        if (v["version"].get_string().get(version) == simdjson::SUCCESS)
          out[std::string(name)].insert(std::string(version));
      }
    }
    return out;
  }

  // One task per resource the server serves, at the first version of ours it offers. Lists are
  // cluster-wide even with -n, so that absence ("no pod matches", "Service does not exist") is
  // judged on the whole cluster exactly as offline; -n only scopes the report.
  std::vector<ListTask> plan(const std::map<std::string, std::set<std::string>>& groups) {
    std::vector<ListTask> tasks;
    for (const ResourceSpec& spec : kResources) {
      if (!options_.only_resources.empty() &&
          std::find(options_.only_resources.begin(), options_.only_resources.end(),
                    spec.resource) == options_.only_resources.end())
        continue;
      std::string chosen;
      if (spec.group.empty()) {
        chosen = "v1";
      } else if (auto g = groups.find(std::string(spec.group)); g != groups.end()) {
        std::string_view list = spec.versions;
        while (!list.empty() && chosen.empty()) {
          const std::size_t comma = std::min(list.find(','), list.size());
          std::string v(list.substr(0, comma));
          if (g->second.count(v) > 0) chosen = std::string(spec.group) + "/" + v;
          list.remove_prefix(std::min(comma + 1, list.size()));
        }
      }
      if (!chosen.empty()) tasks.push_back(ListTask{&spec, chosen, {}, {}, true});
    }
    return tasks;
  }

  // The namespaces to read one by one when a cluster-wide list is refused: -n's, kube-system
  // (add-ons), and for events "default" (node events).
  std::vector<std::string> fallback_namespaces(const ListTask& t) const {
    std::vector<std::string> out{options_.ns};
    for (const char* extra : {"kube-system", "default"}) {
      if (std::string_view(extra) == "default" && t.spec->resource != "events") continue;
      if (options_.ns != extra) out.emplace_back(extra);
    }
    return out;
  }

  static std::string where(const ListTask& t, std::string_view ns) {
    if (!ns.empty()) return fmt::format("in namespace {}", ns);
    return t.spec->namespaced ? "in all namespaces" : "at the cluster scope";
  }

  // Appends the list of `t` in `ns` ("" = all) to t.items, page by page. On anything but
  // success what this call appended is removed again: a list cut short would make diagnosis
  // judge absence on part of the cluster. `failure` gets the reason.
  ListOutcome read_pages(ListTask& t, const std::string& ns, std::string& failure) {
    const std::string base = list_path(t, ns);
    const std::string_view accept =
        t.spec->page == PageKind::kSecretMeta ? kMetadataAccept : "application/json";
    const std::size_t items_mark = t.items.size(), wanted_mark = t.wanted.size();
    auto rollback = [&] {
      t.items.resize(items_mark);
      t.wanted.resize(wanted_mark);
    };
    std::string_view item_kind = t.spec->list_kind;
    item_kind.remove_suffix(4);  // "PodList" -> "Pod"
    std::string token;
    bool paginate = true;
    int expired = 0;
    for (;;) {
      std::string path = base + "?";
      if (paginate) path += fmt::format("limit={}&", options_.page_size);
      if (t.spec->page == PageKind::kSecretMeta) path += "includeObject=Metadata&";
      if (!token.empty()) path += "continue=" + url_escape(token) + "&";
      path.pop_back();
      auto r = client_.get(path, accept);
      if (!r) {
        rollback();
        failure = r.error().message;
        return ListOutcome::kFailed;
      }
      if (r->status == 410 && !token.empty() && expired < 2) {
        // The continue token expired (the list took longer than etcd keeps its revision).
        // Like client-go's pager: start again, and after a second expiry list in one request.
        rollback();
        token.clear();
        paginate = ++expired < 2;
        continue;
      }
      if (r->status != 200) {
        rollback();
        if (r->status == 404) return ListOutcome::kNotServed;
        if (r->status == 403) return ListOutcome::kForbidden;
        const std::string msg = status_message(r->body);
        failure = fmt::format("HTTP {}{}{}", r->status, msg.empty() ? "" : ": ", msg);
        return ListOutcome::kFailed;
      }
      PageInfo info;
      const std::string error =
          append_page(r->body, t.spec->page, item_kind, t.group_version, t.items, info);
      if (!error.empty()) {
        rollback();
        failure = fmt::format("the answer to {} is not a {}: {}", path, t.spec->list_kind, error);
        return ListOutcome::kFailed;
      }
      t.wanted.insert(t.wanted.end(), info.wanted.begin(), info.wanted.end());
      count(1, r->body.size(), 0, 0);
      token = info.continue_token;
      if (token.empty()) return ListOutcome::kComplete;
    }
  }

  void read_list(ListTask& t) {
    t.items = header(t);
    std::string failure;
    const ListOutcome whole = read_pages(t, "", failure);
    if (whole == ListOutcome::kNotServed) {
      t.served = false;
    } else if (whole == ListOutcome::kForbidden && t.spec->namespaced && !options_.ns.empty()) {
      read_namespaces_one_by_one(t);
    } else if (whole != ListOutcome::kComplete) {
      t.served = false;
      problem(whole == ListOutcome::kForbidden
                  ? fmt::format("cannot list {} {}: {}", t.spec->resource, where(t, ""),
                                t.spec->consequence)
                  : fmt::format("cannot list {} {}: {}; {}", t.spec->resource, where(t, ""),
                                failure, t.spec->consequence));
    }
    count(0, 0, 1, 0);
  }

  // A namespace admin with -n: the namespaces in scope, one list each.
  void read_namespaces_one_by_one(ListTask& t) {
    // -n goes into a URL path here: only a valid namespace name (DNS-1123 label) may.
    const bool valid =
        !options_.ns.empty() && options_.ns.size() <= 63 &&
        options_.ns.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
    if (!valid) {
      t.served = false;
      problem(fmt::format("cannot list {} in all namespaces, and \"{}\" is not a namespace name",
                          t.spec->resource, options_.ns));
      return;
    }
    std::string read, failure;
    for (const std::string& ns : fallback_namespaces(t)) {
      const ListOutcome one = read_pages(t, ns, failure);
      if (one == ListOutcome::kComplete) {
        read += (read.empty() ? "" : ", ") + ns;
      } else if (one == ListOutcome::kForbidden) {
        const std::string_view cost = ns == options_.ns     ? t.spec->consequence
                                      : ns == "kube-system" ? "add-ons there are not checked"
                                                            : "node events are missing";
        problem(fmt::format("cannot list {} {}: {}", t.spec->resource, where(t, ns), cost));
      } else if (one == ListOutcome::kFailed) {
        problem(fmt::format("cannot list {} {}: {}", t.spec->resource, where(t, ns), failure));
      }
    }
    t.served = !read.empty();
    if (t.served) {
      problem(fmt::format(
          "cannot list {} in all namespaces, read {} only: findings that depend on other "
          "namespaces may be missing",
          t.spec->resource, read));
    }
  }

  // A List file as `kubectl get -o json` lays it out (list_split.h reads that on all cores);
  // the items come between header() and footer().
  static std::string header(const ListTask& t) {
    return fmt::format("{{\n    \"apiVersion\": \"{}\",\n    \"items\": [\n", t.group_version);
  }
  static std::string footer(const ResourceSpec& spec, bool any_items) {
    return fmt::format("{}    ],\n    \"kind\": \"{}\",\n    \"metadata\": {{}}\n}}\n",
                       any_items ? "\n" : "", spec.list_kind);
  }

  // One file per resource: objects/<resource>[.<group>].json. The task's items already follow
  // the header, so the file is made without a copy.
  void assemble_lists(std::vector<ListTask>& tasks, LiveSnapshot& snap) {
    for (ListTask& t : tasks) {
      if (!t.served) continue;
      std::string data = std::move(t.items);
      data += footer(*t.spec, data.back() != '\n');
      // simdjson reads up to kJsonPadding bytes past the end: keep them allocated, so that
      // load_snapshot parses in place.
      if (data.capacity() < data.size() + kJsonPadding) data.reserve(data.size() + kJsonPadding);
      const ResourceSpec& spec = *t.spec;
      std::string name = spec.group.empty()
                             ? fmt::format("objects/{}.json", spec.resource)
                             : fmt::format("objects/{}.{}.json", spec.resource, spec.group);
      snap.files.push_back({std::move(name), std::move(data)});
    }
  }

  void read_logs(const std::vector<ListTask>& tasks, LiveSnapshot& snap) {
    std::vector<WantedLog> wanted;
    for (const ListTask& t : tasks) wanted.insert(wanted.end(), t.wanted.begin(), t.wanted.end());
    // One entry per container (keeping "restarted" and "failing" when either note says so),
    // failing containers first (crash causes), then Ingress controllers.
    std::sort(wanted.begin(), wanted.end(), [](const auto& a, const auto& b) {
      return std::tie(a.ns, a.pod, a.container) < std::tie(b.ns, b.pod, b.container);
    });
    std::vector<WantedLog> unique;
    for (WantedLog& w : wanted) {
      if (!unique.empty() && unique.back().ns == w.ns && unique.back().pod == w.pod &&
          unique.back().container == w.container) {
        unique.back().previous = unique.back().previous || w.previous;
        unique.back().failing = unique.back().failing || w.failing;
      } else {
        unique.push_back(std::move(w));
      }
    }
    std::stable_partition(unique.begin(), unique.end(),
                          [](const WantedLog& w) { return w.failing; });
    wanted = std::move(unique);
    if (wanted.size() > options_.max_logs) {
      problem(fmt::format(
          "{} containers have logs worth reading; logs were read for the first {} (--max-logs)",
          wanted.size(), options_.max_logs));
      wanted.resize(options_.max_logs);
    }
    std::vector<LogTask> logs;
    for (const WantedLog& c : wanted) {
      logs.push_back(LogTask{c, false, {}, false});
      if (c.previous) logs.push_back(LogTask{c, true, {}, false});
    }
    {
      std::lock_guard lock(mu_);
      progress_.logs_total = logs.size();
    }
    std::atomic<bool> forbidden{false};
    run_parallel(logs.size(), options_.workers, [&](std::size_t i) {
      LogTask& l = logs[i];
      std::string path =
          fmt::format("/api/v1/namespaces/{}/pods/{}/log?container={}&tailLines={}&limitBytes={}{}",
                      l.c.ns, l.c.pod, url_escape(l.c.container), options_.log_tail_lines,
                      options_.log_limit_bytes, l.previous ? "&previous=true" : "");
      auto r = client_.get(path, "text/plain, */*");
      if (r && r->status == 200 && !r->body.empty()) {  // an empty log tells nothing
        l.text = redact_credentials(r->body, Placeholders::kMask);
        l.found = true;
      } else if (r && r->status == 403 && !forbidden.exchange(true)) {
        problem("cannot get pods/log: crash causes that only the logs show are not found");
      }
      count(0, r ? r->body.size() : 0, 0, 1);
    });
    for (LogTask& l : logs) {
      if (!l.found) continue;
      snap.files.push_back({fmt::format("logs/{}/{}/{}{}", l.c.ns, l.c.pod, l.c.container,
                                        l.previous ? ".previous.log" : ".log"),
                            std::move(l.text)});
    }
  }
};

}  // namespace

Expected<LiveSnapshot, std::string> fetch_snapshot(ApiClient& client, const FetchOptions& options) {
  Fetcher fetcher(client, options);
  return fetcher.run();
}

std::vector<std::pair<std::string, std::string>> fetched_resources() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ResourceSpec& r : kResources)
    out.emplace_back(std::string(r.group), std::string(r.resource));
  out.emplace_back("", "pods/log");
  return out;
}

std::string collect_info_json(const RestConfig& config, std::string_view collected_at,
                              const std::vector<std::string>& problems) {
  std::string out = "{\"collector\":\"ktriage\",\"server\":";
  append_json_string(out, config.server);
  out += ",\"context\":";
  append_json_string(out, config.context);
  out += ",\"collectedAt\":";
  append_json_string(out, collected_at);
  out += ",\"problems\":[";
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (i > 0) out += ",";
    out += "\n  ";
    append_json_string(out, redact_credentials(problems[i], Placeholders::kMask));
  }
  out += "]}\n";
  return out;
}

}  // namespace ktriage
