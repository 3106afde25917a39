// Image pulls: containers (init and app) waiting in ErrImagePull, ImagePullBackOff,
// RegistryUnavailable, InvalidImageName or ErrImageNeverPull, classified by the runtime's own error
// text, then checked against the snapshot (pull Secrets, ServiceAccount, node architecture).
//
// Kubelet messages, pkg/kubelet/images/image_manager.go (v1.10 to current):
//   Failed event `Failed to pull image "<img>": <runtime error>`; ErrImagePull's waiting message
//     is the runtime error alone.
//   BackOff event `Back-off pulling image "<img>"`, also ImagePullBackOff's waiting message; since
//     v1.32 that message appends the last error (`...: ErrImagePull: <runtime error>`).
//   InspectFailed event `Failed to apply default image tag "<img>": couldn't parse image
//     reference "<img>": invalid reference format` ("image name" in newer releases).
//   ErrImageNeverPull event `Container image "<img>" is not present with pull policy of Never`.
//   RegistryUnavailable `image pull failed for <img> because the registry is unavailable`.
//   Recent kubelets name the image with the default tag applied ("nginx" -> "nginx:latest").
// Runtime errors: containerd CRI 1.5-2.x `failed to pull and unpack image "<ref>": failed to
// resolve reference "<ref>": <ref>: not found`, `pull access denied, repository does not exist or
// may require authorization: server message: insufficient_scope: authorization failed`,
// `unexpected status ...: 401 Unauthorized`; dockershim (kubelet <= v1.23) `manifest for <ref> not
// found: manifest unknown`, `pull access denied for <repo>, repository does not exist or may
// require 'docker login'`; docker <= 17.x v1 pulls `Tag <t> not found in repository <repo>`;
// Docker Hub `toomanyrequests: You have reached your pull rate limit`; Go net and crypto/tls
// `dial tcp ...: i/o timeout`, `no such host`, `TLS handshake timeout`, `x509: ...`.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/common/helpers.h"
#include "model/pod.h"

namespace ktriage {
namespace {

constexpr std::string_view kDoc = "https://kubernetes.io/docs/concepts/containers/images/";
constexpr Severity kCrit = Severity::kCritical;

// The catalog files Docker Hub's rate limit under POD-WAITING-IMAGE-PULL-NETWORK (its strings and
// root cause); a rule of its own keeps the fix specific.
constexpr Rule kRules[] = {
    {"image-pull-not-found", "POD-WAITING-IMAGE-NOT-FOUND", kCrit,
     "Image pull fails: the image, tag or digest does not exist",
     "Correct the image reference or push the missing tag.", kDoc},
    {"image-pull-unauthorized", "POD-WAITING-IMAGE-PULL-UNAUTHORIZED", kCrit,
     "Image pull fails: the registry refuses access (missing or wrong pull credentials)",
     "Create a docker-registry Secret in the pod's namespace; list it in imagePullSecrets.",
     "https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/"},
    {"image-pull-network", "POD-WAITING-IMAGE-PULL-NETWORK", kCrit,
     "Image pull fails: the node cannot reach the registry",
     "Give the nodes a route to the registry, or mirror the image.", kDoc},
    {"image-pull-rate-limited", "POD-WAITING-IMAGE-PULL-NETWORK", kCrit,
     "Image pull fails: the registry's pull rate limit is reached",
     "Authenticate pulls, mirror the image, or use a pull-through cache.",
     "https://docs.docker.com/docker-hub/usage/"},
    {"image-pull-tls", "POD-WAITING-IMAGE-PULL-TLS", kCrit,
     "Image pull fails: the registry's TLS certificate is not trusted",
     "Install the registry's CA on the nodes or fix its certificate.", kDoc},
    {"image-platform-mismatch", "POD-WAITING-IMAGE-PLATFORM-MISMATCH", kCrit,
     "Image pull fails: the image has no variant for the node's platform",
     "Build a multi-arch image or pin the pod to matching nodes.", kDoc},
    {"image-invalid-name", "POD-WAITING-INVALID-IMAGE-NAME", kCrit,
     "Container image reference is malformed",
     "Use a valid lowercase reference registry/namespace/repo:tag.", kDoc},
    {"image-never-pull-absent", "POD-WAITING-ERR-IMAGE-NEVER-PULL", kCrit,
     "imagePullPolicy is Never and the image is not on the node",
     "Preload the image on the nodes or use imagePullPolicy IfNotPresent.",
     "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy"},
    {"image-pull-backoff", "POD-WAITING-IMAGE-PULL-BACKOFF", kCrit,
     "Image pull keeps failing for a reason no other rule recognises",
     "Read the Failed event of the next pull attempt.",
     "https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff"},
};
constexpr const Rule& kNotFound = kRules[0];
constexpr const Rule& kUnauthorized = kRules[1];
constexpr const Rule& kNetwork = kRules[2];
constexpr const Rule& kRateLimited = kRules[3];
constexpr const Rule& kTls = kRules[4];
constexpr const Rule& kPlatform = kRules[5];
constexpr const Rule& kInvalidName = kRules[6];
constexpr const Rule& kNeverPull = kRules[7];
constexpr const Rule& kBackOff = kRules[8];

/// An image reference split as docker's reference grammar does: the first path component is a
/// registry host when it has a '.' or ':' or is "localhost"; otherwise Docker Hub is implied.
struct ImageRef {
  std::string_view host;  // "" when implied (Docker Hub)
  std::string_view repo;  // path without host, tag and digest
  std::string_view tag;
  std::string_view digest;
};

ImageRef parse_image(std::string_view image) {
  ImageRef r;
  if (auto at = image.find('@'); at != std::string_view::npos) {
    r.digest = image.substr(at + 1);
    image = image.substr(0, at);
  }
  if (auto slash = image.find('/'); slash != std::string_view::npos) {
    std::string_view first = image.substr(0, slash);
    if (has(first, ".") || has(first, ":") || first == "localhost") {
      r.host = first;
      image = image.substr(slash + 1);
    }
  }
  auto colon = image.rfind(':');
  auto slash = image.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = image.substr(colon + 1);
    image = image.substr(0, colon);
  }
  r.repo = image;
  return r;
}

bool is_docker_hub(std::string_view host) {
  return host.empty() || host == "docker.io" || host == "index.docker.io" ||
         host == "registry-1.docker.io";
}

std::string registry_of(const ImageRef& r) {
  return is_docker_hub(r.host) ? "docker.io" : std::string(r.host);
}

// "docker.io/library/nginx": the full repository path, as registries and crane name it.
std::string repo_path(const ImageRef& r) {
  const bool official = is_docker_hub(r.host) && !has(r.repo, "/");
  return fmt::format("{}/{}{}", registry_of(r), official ? "library/" : "", r.repo);
}

/// Registries that serve public images anonymously; any other host is taken as private.
bool is_public_registry(std::string_view host) {
  constexpr std::array<std::string_view, 9> kPublic = {
      "quay.io",           "gcr.io",         "registry.k8s.io", "k8s.gcr.io",       "ghcr.io",
      "mcr.microsoft.com", "public.ecr.aws", "nvcr.io",         "docker.elastic.co"};
  return is_docker_hub(host) || std::find(kPublic.begin(), kPublic.end(), host) != kPublic.end();
}

bool tag_ok(std::string_view tag) {
  if (tag.empty() || tag.size() > 128 || tag.front() == '.' || tag.front() == '-') return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
  });
}

/// What is wrong with a reference the kubelet could not parse (docker/distribution grammar).
std::string invalid_reason(std::string_view image) {
  if (image.empty()) return "the image field is empty";
  if (has(image, "${") || has(image, "{{")) return "it holds an unrendered template variable";
  if (image.find_first_of(" \t\n") != std::string_view::npos) return "it contains whitespace";
  if (has(image, "://")) return "it starts with a URL scheme; image references have none";
  if (has(image, "//")) return "it has an empty path component (\"//\")";
  if (image.back() == '/' || image.back() == ':' || image.back() == '@') {
    return fmt::format("it ends with '{}'", image.back());
  }
  const ImageRef r = parse_image(image);
  if (std::any_of(r.repo.begin(), r.repo.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return fmt::format("repository name must be lowercase (\"{}\")", r.repo);
  }
  if (has(r.repo, ":")) return "it has more than one ':' tag separator";
  if (!r.tag.empty() && !tag_ok(r.tag)) {
    return fmt::format("tag \"{}\" does not match [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}", r.tag);
  }
  if (!r.digest.empty() && !has(r.digest, ":")) return "the digest is not <algorithm>:<hex>";
  return "it does not follow [registry/]repository[:tag][@digest]";
}

enum class Cause { kNone, kNotFound, kDenied, kAuth, kNetwork, kRateLimit, kTls, kPlatform };

struct Classified {
  Cause cause = Cause::kNone;
  std::string_view marker;  // the matched text, quoted in the summary
};

// Runtime error texts by cause, '|'-separated, tried in this order: containerd says "no match for
// platform in manifest: not found", an x509 error can follow "Get https://...", and Docker Hub
// answers "pull access denied ... insufficient_scope: authorization failed" (kDenied) both for a
// private and for a missing repository.
struct Pattern {
  Cause cause;
  std::string_view any_of;
};
constexpr Pattern kPatterns[] = {
    {Cause::kRateLimit, "toomanyrequests|429 Too Many Requests|pull rate limit"},
    {Cause::kPlatform, "no matching manifest for|no match for platform in manifest"},
    {Cause::kTls, "x509:|server gave HTTP response to HTTPS client|tls: failed to verify"},
    {Cause::kNetwork,
     "i/o timeout|no such host|connection refused|TLS handshake timeout|no route to host|"
     "network is unreachable|connection reset by peer|while waiting for connection|dial tcp|"
     "registry is unavailable"},
    {Cause::kDenied, "pull access denied|does not exist or may require|insufficient_scope"},
    {Cause::kAuth,
     "401 Unauthorized|403 Forbidden|unauthorized:|authentication required|requested access to "
     "the resource is denied|no basic auth credentials|authorization failed|failed to authorize"},
    {Cause::kNotFound,
     "manifest unknown|not found|code = NotFound|name unknown|NAME_UNKNOWN|MANIFEST_UNKNOWN|"
     "does not exist"},
};

Classified classify(std::string_view msg) {
  for (const Pattern& p : kPatterns) {
    if (std::string_view text = find_any(msg, p.any_of); !text.empty()) return {p.cause, text};
  }
  return {};
}

/// Everything known about one container's failing pull.
struct PullCase {
  const Cluster& cluster;
  const Object& pod;
  const ContainerView& c;
  std::string_view image;
  ImageRef ref;
  std::string_view reason;   // waiting reason
  std::string_view message;  // waiting message
  const Event* failed = nullptr;
  const Event* backoff = nullptr;
  const Event* other = nullptr;  // InspectFailed / ErrImageNeverPull
  Classified cls{};
  std::string_view error{};  // the runtime error the classification came from
};

// Kubelet events quote the image as the spec has it, or with the default tag added.
const Event* image_event(const Cluster& cluster, const Object& pod, std::string_view reason,
                         std::string_view image, std::string_view lead = "image \"") {
  if (const Event* e = latest_event(cluster, pod, reason, fmt::format("{}{}\"", lead, image))) {
    return e;
  }
  const ImageRef r = parse_image(image);
  if (!r.tag.empty() || !r.digest.empty()) return nullptr;
  return latest_event(cluster, pod, reason, fmt::format("{}{}:latest\"", lead, image));
}

std::string on_node(const Object& pod) {
  std::string_view node = PodView(pod).node_name();
  return node.empty() ? "the node" : fmt::format("node {}", node);
}

/// Starts a finding "Container C cannot pull image "I": <why>" with the container's evidence.
Finding& start(const Rule& rule, const PullCase& pc, std::string_view why, FindingSink& sink) {
  Finding& f = sink.add(
      rule, pc.pod,
      fmt::format("{} {} cannot pull image \"{}\": {}", noun(pc.c), pc.c.name, pc.image, why),
      pc.c.name);
  if (const std::string sp = pc.c.status_path(); !sp.empty()) {
    f.evidence.push_back(field_evidence(pc.pod, sp + ".state.waiting.reason", pc.reason));
    if (!pc.message.empty()) {
      f.evidence.push_back(field_evidence(pc.pod, sp + ".state.waiting.message", pc.message));
    }
  }
  f.evidence.push_back(field_evidence(pc.pod, pc.c.spec_path() + ".image", pc.image));
  for (const Event* e : {pc.failed, pc.other, pc.backoff}) {
    if (e != nullptr) f.evidence.push_back(event_evidence(pc.cluster, *e));
  }
  return f;
}

std::string set_image_fix(const PullCase& pc, std::string_view new_image) {
  const std::string owner = declared_workload(pc.cluster, pc.pod);
  if (owner.starts_with("job/")) {
    return fmt::format("a Job's pod template is immutable: recreate {} with image {} for {}", owner,
                       new_image, pc.c.name);
  }
  return fmt::format("{}set image {} {}={}", kubectl_ns(pc.pod), owner, pc.c.name, new_image);
}

void report_not_found(const PullCase& pc, FindingSink& sink, bool ambiguous) {
  const std::string repo = repo_path(pc.ref);
  std::string why;
  if (ambiguous || has(pc.error, "repository does not exist") || has(pc.error, "name unknown") ||
      has(pc.error, "NAME_UNKNOWN") || has(pc.error, "repository not found")) {
    why = fmt::format("repository {} does not exist{}", repo,
                      ambiguous ? " (or is private and needs credentials)" : "");
  } else if (!pc.ref.digest.empty()) {
    why = fmt::format("the digest {} does not exist in {}", pc.ref.digest, repo);
  } else if (pc.ref.tag.empty()) {
    why = fmt::format("no tag is given, so \"latest\" is pulled, and {} has no tag latest", repo);
  } else {
    why = fmt::format("the tag \"{}\" does not exist in {}", pc.ref.tag, repo);
  }
  Finding& f = start(kNotFound, pc, why, sink);
  const std::string host = pc.ref.host.empty() ? "" : std::string(pc.ref.host) + "/";
  f.fix = fmt::format(
      "Use an image that exists (list the tags: crane ls {0} or skopeo list-tags docker://{0}), "
      "or push the missing tag; then: {1}",
      repo, set_image_fix(pc, host + std::string(pc.ref.repo) + ":<existing-tag>"));
  if (ambiguous) {
    f.fix +=
        ". If the repository is private, give pull credentials instead (a docker-registry "
        "Secret listed in imagePullSecrets)";
  }
}

/// The snapshot's view of a pod's pull credentials: the pod's and its ServiceAccount's
/// imagePullSecrets, each looked up in the pod's namespace. Only names and types are read.
struct PullSecrets {
  std::vector<std::string> names;
  std::string problem;  // what is confirmed wrong, "" when nothing is
  std::string missing;  // the first named Secret absent from the namespace
  std::string account;  // the ServiceAccount's name
};

// Whether Secret `name` is usable for pulls in the pod's namespace: "" when it is (or when the
// snapshot holds no Secrets to tell), else what is wrong. Finding a misplaced copy scans all
// Secrets, O(Secrets), only for pods already failing with an auth error.
std::string secret_problem(const Cluster& cluster, const Object& pod, const std::string& name,
                           Finding& f) {
  if (const Object* secret = cluster.find("Secret", pod.ns, name)) {
    std::string_view type = (*secret)["type"].str();
    if (type.empty()) type = "Opaque";
    // Field evidence of the Secret, so `why secret/NAME` finds this finding (select_mentions).
    f.evidence.push_back(Evidence::field("secret/" + name, ".type", std::string(type)));
    if (type == "kubernetes.io/dockerconfigjson" || type == "kubernetes.io/dockercfg") return "";
    return fmt::format("pull Secret {} has type {}, not kubernetes.io/dockerconfigjson", name,
                       type);
  }
  if (cluster.of_kind("Secret").empty()) {
    f.evidence.push_back(Evidence::note(fmt::format(
        "the snapshot holds no Secrets: cannot confirm that Secret {}/{} exists", pod.ns, name)));
    return "";
  }
  std::string text = fmt::format("pull Secret {} does not exist in namespace {}", name, pod.ns);
  for (const Object* s : cluster.of_kind("Secret")) {
    if (s->name != name || s->ns == pod.ns) continue;
    text += fmt::format("; it exists in namespace {} only (Secrets are not shared)", s->ns);
    break;
  }
  f.evidence.push_back(Evidence::note(text));
  return text;
}

PullSecrets check_pull_secrets(const Cluster& cluster, const Object& pod, Finding& f) {
  PullSecrets ps;
  std::string_view sa = pod.spec()["serviceAccountName"].str();
  ps.account = sa.empty() ? "default" : std::string(sa);
  auto collect = [&](const Value& list) {
    std::string text;
    for (const Value& ref : list.items()) {
      std::string name(ref["name"].str());
      text += (text.empty() ? "" : ", ") + name;
      if (std::find(ps.names.begin(), ps.names.end(), name) == ps.names.end()) {
        ps.names.push_back(name);
      }
    }
    return text.empty() ? std::string("(none)") : text;
  };
  const Value& own = pod.spec()["imagePullSecrets"];
  f.evidence.push_back(field_evidence(pod, ".spec.imagePullSecrets", collect(own)));
  if (const Object* account = cluster.find("ServiceAccount", pod.ns, ps.account)) {
    f.evidence.push_back(
        field_evidence(*account, ".imagePullSecrets", collect((*account)["imagePullSecrets"])));
  } else {
    f.evidence.push_back(Evidence::note(
        fmt::format("ServiceAccount {}/{} is not in the snapshot", pod.ns, ps.account)));
  }
  for (const std::string& name : ps.names) {
    std::string problem = secret_problem(cluster, pod, name, f);
    if (problem.empty() || !ps.problem.empty()) continue;
    ps.problem = std::move(problem);
    if (cluster.find("Secret", pod.ns, name) == nullptr) ps.missing = name;
  }
  if (ps.names.empty()) {
    ps.problem =
        fmt::format("neither the pod nor ServiceAccount {} lists imagePullSecrets", ps.account);
  }
  return ps;
}

// Whether two registry hosts are the public and the VPC endpoint of one Alibaba Cloud ACR
// instance ("acme-registry.cn-hangzhou.cr.aliyuncs.com" and
// "acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com", or registry[-vpc].cn-hangzhou.aliyuncs.com):
// the same credentials work for both, but a docker config entry names one host.
bool same_acr_instance(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view h) {
    std::string out(h);
    if (const std::size_t vpc = out.find("-vpc."); vpc != std::string::npos) out.erase(vpc, 4);
    return out;
  };
  return a != b && a.ends_with(".aliyuncs.com") && b.ends_with(".aliyuncs.com") &&
         strip(a) == strip(b);
}

// The fix when the snapshot shows which registries the pod's pull Secrets hold (read at load,
// before their values were zeroed); "" when it does not know them all. Adds their registries as
// evidence and, when none holds `host`, what they hold to the summary.
std::string known_registries_fix(const PullCase& pc, const PullSecrets& ps, std::string_view host,
                                 Finding& f) {
  std::string holder;       // a Secret that holds this host
  std::string public_twin;  // a Secret holding the other endpoint of the same ACR instance
  std::size_t holder_count = 0;
  std::string held;  // every registry of every Secret, for the summary
  for (const std::string& name : ps.names) {
    const PullSecretRegistries* p = pc.cluster.pull_secret(pc.pod.ns, name);
    if (p == nullptr) return "";  // not every Secret is known: say nothing certain
    const Object* secret = pc.cluster.find("Secret", pc.pod.ns, name);
    const std::string list = fmt::format("{}", fmt::join(p->registries, ", "));
    if (!list.empty()) held += (held.empty() ? "" : ", ") + list;
    if (secret != nullptr)
      f.evidence.push_back(field_evidence(*secret, ".data registries (read at load)",
                                          list.empty() ? "(none)" : list));
    for (const std::string& r : p->registries) {
      if (r == host) {
        if (holder.empty()) holder = name;
        holder_count = p->registries.size();
      } else if (public_twin.empty() && same_acr_instance(r, host)) {
        public_twin = name;
      }
    }
  }
  const std::string ns = kubectl_ns(pc.pod);
  const std::string workload = declared_workload(pc.cluster, pc.pod);
  if (!holder.empty()) {
    return fmt::format(
        "Secret {0} holds credentials for {1}, and {1} refuses them: they are wrong or expired, "
        "or that account may not pull {2}. {3}",
        holder, host, pc.ref.repo,
        holder_count == 1
            ? fmt::format("Renew them: {0}delete secret {1}; {0}create secret docker-registry "
                          "{1} --docker-server={2} --docker-username=USER "
                          "--docker-password=PASSWORD, then restart the pods of {3}.",
                          ns, holder, host, workload)
            : fmt::format("Renew the {} entry of {} (it holds other registries too: edit its "
                          ".dockerconfigjson rather than recreating it), or grant that account "
                          "pull access to {}.",
                          host, holder, pc.ref.repo));
  }
  // None holds this host (the usual mistake): the summary says what they hold.
  f.summary +=
      fmt::format("; its pull Secret{} {} hold{} credentials for {}",
                  ps.names.size() == 1 ? "" : "s", fmt::join(ps.names, ", "),
                  ps.names.size() == 1 ? "s" : "", held.empty() ? "no registry" : held + " only");
  std::string label = std::string(host.substr(0, host.find('.')));
  if (label.empty()) label = "registry";
  const std::string added = "pull-" + label;
  return fmt::format(
      "No pull Secret of the pod holds credentials for {0}{1}. Add one next to the others: "
      "{2}create secret docker-registry {3} --docker-server={0} --docker-username=USER "
      "--docker-password=PASSWORD, then list {3} under imagePullSecrets in {4}.",
      host,
      public_twin.empty()
          ? std::string()
          : fmt::format(" ({} holds the other endpoint of the same ACR instance; a docker "
                        "config entry serves one host, and the same credentials work for both)",
                        public_twin),
      ns, added, workload);
}

// `inferred`: no pull error is recorded; the registry is private and no credentials are set.
void report_unauthorized(const PullCase& pc, FindingSink& sink, bool inferred) {
  const std::string host = registry_of(pc.ref);
  Finding& f = start(kUnauthorized, pc, "", sink);
  const PullSecrets ps = check_pull_secrets(pc.cluster, pc.pod, f);
  std::string why = fmt::format("registry {} refuses access ({})", host, pc.cls.marker);
  if (inferred)
    why = fmt::format("registry {} is private and {} (no pull error recorded)", host, ps.problem);
  if (!inferred && !ps.problem.empty()) why += ": " + ps.problem;
  f.summary =
      fmt::format("{} {} cannot pull image \"{}\": {}", noun(pc.c), pc.c.name, pc.image, why);
  const std::string name = !ps.missing.empty() ? ps.missing
                           : ps.names.empty()  ? "regcred"
                                               : ps.names.front();
  const std::string create = fmt::format(
      "{}create secret docker-registry {} --docker-server={} --docker-username=USER "
      "--docker-password=PASSWORD",
      kubectl_ns(pc.pod), name, is_docker_hub(pc.ref.host) ? "https://index.docker.io/v1/" : host);
  if (!ps.missing.empty()) {
    f.fix = fmt::format("Create the pull Secret {} in namespace {}, where the pod runs: {}", name,
                        pc.pod.ns, create);
  } else if (ps.names.empty()) {
    f.fix = fmt::format(
        "Create a pull Secret: {}; then attach it to the ServiceAccount: {}patch serviceaccount "
        "{} -p '{{\"imagePullSecrets\":[{{\"name\":\"{}\"}}]}}' (new pods get it), or add it to "
        "imagePullSecrets in {}",
        create, kubectl_ns(pc.pod), ps.account, name, declared_workload(pc.cluster, pc.pod));
  } else if (const std::string known = known_registries_fix(pc, ps, host, f); !known.empty()) {
    f.fix = known;
  } else {
    // A Secret kubectl creates holds one registry; recreating the pod's Secret for this host
    // would drop the registries it serves now (other images may pull with it). So: look at what
    // it holds, and add a Secret for this host next to it.
    const std::string server = is_docker_hub(pc.ref.host) ? "https://index.docker.io/v1/" : host;
    std::string label = std::string(host.substr(0, host.find('.')));
    if (label.empty()) label = "registry";
    const std::string added = "pull-" + label;
    f.fix = fmt::format(
        "{} refuses the credentials the pod offers (Secret {}). See which registries {} holds: "
        "{}get secret {} -o jsonpath='{{.data.\\.dockerconfigjson}}' | base64 -d. If it has no "
        "valid entry for {} (missing, expired, or not allowed to pull {}), add a Secret for it "
        "next to {} rather than recreating {} (that would drop the registries it serves now): "
        "{}create secret docker-registry {} --docker-server={} --docker-username=USER "
        "--docker-password=PASSWORD, then list {} under imagePullSecrets in {}.",
        host, name, name, kubectl_ns(pc.pod), name, host, pc.ref.repo, name, name,
        kubectl_ns(pc.pod), added, server, added, declared_workload(pc.cluster, pc.pod));
  }
}

void report_platform(const PullCase& pc, FindingSink& sink) {
  std::string platform = "the node's platform";
  if (auto p = pc.error.find("no matching manifest for "); p != std::string_view::npos) {
    std::string_view rest = pc.error.substr(p + 25);
    platform = std::string(rest.substr(0, rest.find(' ')));
  }
  const std::string_view node_name = PodView(pc.pod).node_name();
  const Object* node = node_name.empty() ? nullptr : pc.cluster.find("Node", "", node_name);
  std::string_view arch = node == nullptr ? "" : node->label("kubernetes.io/arch");
  if (arch.empty() && node != nullptr) arch = node->status()["nodeInfo"]["architecture"].str();
  Finding& f =
      start(kPlatform, pc,
            fmt::format("the image has no variant for {}{}", platform,
                        arch.empty() ? "" : fmt::format(" (node {} is {})", node_name, arch)),
            sink);
  if (!arch.empty()) {
    f.evidence.push_back(field_evidence(*node, ".metadata.labels[kubernetes.io/arch]", arch));
  }
  f.fix = fmt::format(
      "Build and push a multi-arch image (docker buildx build --platform linux/amd64,linux/arm64 "
      "-t {} --push .), or pin the pod to nodes of the image's architecture (nodeSelector "
      "kubernetes.io/arch) in {}",
      pc.image, declared_workload(pc.cluster, pc.pod));
}

void report_transport(const PullCase& pc, FindingSink& sink) {
  const std::string host = registry_of(pc.ref);
  const std::string on = on_node(pc.pod);
  if (pc.cls.cause == Cause::kRateLimit) {
    start(kRateLimited, pc,
          fmt::format("rate limit: registry {} refuses more pulls ({})", host, pc.cls.marker), sink)
        .fix = fmt::format(
        "Authenticate the pulls (a docker-registry Secret for {} in imagePullSecrets raises the "
        "limit), mirror the image into your own registry (ACR) and change the image, or use a "
        "pull-through cache; pulls resume when the limit window resets",
        host);
  } else if (pc.cls.cause == Cause::kTls) {
    start(kTls, pc,
          fmt::format("{} does not trust registry {}'s TLS certificate ({})", on, host,
                      pc.cls.marker),
          sink)
        .fix = fmt::format(
        "Trust the registry's CA on every node (containerd: /etc/containerd/certs.d/{0}/hosts.toml "
        "with ca = \"/etc/containerd/certs.d/{0}/ca.crt\"; docker: /etc/docker/certs.d/{0}/ca.crt),"
        " or renew its certificate so it is valid for {0}; declare an HTTP-only registry in "
        "hosts.toml",
        host);
  } else {
    start(kNetwork, pc,
          fmt::format("registry {} is unreachable from {} ({})", host, on, pc.cls.marker), sink)
        .fix = fmt::format(
        "From {}: nslookup {} and curl -sv https://{}/v2/ ; give the nodes a route to the "
        "registry (NAT gateway/SNAT, proxy, security-group egress, DNS), or mirror the image into "
        "a registry the nodes reach (an ACR VPC endpoint) and change the image",
        on, host, host);
  }
}

void report_invalid(const PullCase& pc, FindingSink& sink) {
  start(kInvalidName, pc, "the reference is invalid: " + invalid_reason(pc.image), sink).fix =
      fmt::format(
          "Write the image as [registry/]repository[:tag], lowercase, without spaces or template "
          "leftovers; then: {}",
          set_image_fix(pc, "<registry/repository:tag>"));
}

void report_never_pull(const PullCase& pc, FindingSink& sink) {
  const std::string on = on_node(pc.pod);
  Finding& f =
      start(kNeverPull, pc,
            fmt::format("imagePullPolicy is Never and the image is not present on {}", on), sink);
  f.evidence.push_back(field_evidence(pc.pod, pc.c.spec_path() + ".imagePullPolicy", "Never"));
  f.fix = fmt::format(
      "Load the image on {} under exactly this name (ctr -n k8s.io images import, kind load "
      "docker-image, minikube image load), or set imagePullPolicy: IfNotPresent on container {} "
      "in {}",
      on, pc.c.name, declared_workload(pc.cluster, pc.pod));
}

// No rule recognises the error, or only the back-off is recorded.
void report_backoff(const PullCase& pc, std::string_view error, FindingSink& sink) {
  std::string why = error.empty()
                        ? "the kubelet is backing off and the snapshot holds no pull error"
                        : shorten(error);
  start(kBackOff, pc, why, sink).fix = fmt::format(
      "The registry's answer is in the Failed event of the next attempt: {}describe pod {} (or "
      "crictl pull {} on {})",
      kubectl_ns(pc.pod), pc.pod.name, pc.image, on_node(pc.pod));
}

// Whether the pod or its ServiceAccount names a pull Secret.
bool has_pull_credentials(const Cluster& cluster, const Object& pod) {
  if (pod.spec()["imagePullSecrets"].size() > 0) return true;
  std::string_view sa = pod.spec()["serviceAccountName"].str();
  const Object* account = cluster.find("ServiceAccount", pod.ns, sa.empty() ? "default" : sa);
  return account != nullptr && (*account)["imagePullSecrets"].size() > 0;
}

void report_classified(const PullCase& pc, FindingSink& sink) {
  switch (pc.cls.cause) {
    case Cause::kNotFound:
      return report_not_found(pc, sink, false);
    case Cause::kDenied:
      // Docker Hub denies a missing repository as it denies a private one; with no credentials
      // offered, a missing (mistyped) repository is the likelier cause there.
      if (is_docker_hub(pc.ref.host) && !has_pull_credentials(pc.cluster, pc.pod)) {
        return report_not_found(pc, sink, true);
      }
      return report_unauthorized(pc, sink, false);
    case Cause::kAuth:
      return report_unauthorized(pc, sink, false);
    case Cause::kPlatform:
      return report_platform(pc, sink);
    case Cause::kNetwork:
    case Cause::kRateLimit:
    case Cause::kTls:
      return report_transport(pc, sink);
    case Cause::kNone:
      break;
  }
  // The unrecognised error, if any: "Back-off pulling image "<img>"" alone says nothing, v1.32+
  // kubelets append ": <error>".
  std::string_view error = pc.failed != nullptr ? pc.failed->message : pc.message;
  if (pc.failed == nullptr && error.starts_with("Back-off pulling image")) {
    const auto p = error.find("\": ");
    error = p == error.npos ? std::string_view() : error.substr(p + 3);
  }
  if (error.empty() && !is_public_registry(pc.ref.host) &&
      !has_pull_credentials(pc.cluster, pc.pod)) {
    return report_unauthorized(pc, sink, true);
  }
  report_backoff(pc, error, sink);
}

void analyze_container(const Cluster& cluster, const Object& pod, const ContainerView& c,
                       FindingSink& sink) {
  const std::string_view image = (*c.spec)["image"].str();
  PullCase pc{cluster, pod, c, image, parse_image(image), c.waiting_reason(), c.waiting_message()};
  if (pc.reason.empty()) {
    // The snapshot has no status for the container: a Pending pod's pull events still tell.
    if (!c.status->is_null() || PodView(pod).phase() != "Pending") return;
    pc.failed = image_event(cluster, pod, "Failed", image);
    if (pc.failed == nullptr) return;
    pc.reason = "ErrImagePull";
  }
  constexpr std::array<std::string_view, 5> kPullReasons = {
      "ErrImagePull", "ImagePullBackOff", "RegistryUnavailable", "InvalidImageName",
      "ErrImageNeverPull"};
  if (std::find(kPullReasons.begin(), kPullReasons.end(), pc.reason) == kPullReasons.end()) return;
  if (pc.reason == "InvalidImageName") {
    pc.other = image_event(cluster, pod, "InspectFailed", image, "\"");
    return report_invalid(pc, sink);
  }
  if (pc.reason == "ErrImageNeverPull") {
    pc.other = image_event(cluster, pod, "ErrImageNeverPull", image);
    return report_never_pull(pc, sink);
  }
  if (pc.failed == nullptr) pc.failed = image_event(cluster, pod, "Failed", image);
  pc.backoff = image_event(cluster, pod, "BackOff", image);
  // The status is the current truth; the Failed event holds the error when the status says only
  // "Back-off pulling image".
  pc.cls = classify(pc.message);
  pc.error = pc.message;
  if (pc.cls.cause == Cause::kNone && pc.failed != nullptr) {
    pc.cls = classify(pc.failed->message);
    pc.error = pc.failed->message;
  }
  if (pc.cls.cause == Cause::kNone && pc.reason == "RegistryUnavailable") {
    pc.cls = {Cause::kNetwork, "registry is unavailable"};
  }
  report_classified(pc, sink);
}

void check_pod(const AnalysisContext& ctx, const Object& pod, FindingSink& sink) {
  PodView pv(pod);
  if (pv.terminated() || pv.being_deleted()) return;
  for (const ContainerView& c : pv.containers()) analyze_container(ctx.cluster, pod, c, sink);
}

}  // namespace

const AnalyzerDef& images_analyzer() {
  static const AnalyzerDef kDef{"images", kRules, nullptr, nullptr,
                                start_pod_pass<StatelessPodPass<check_pod>>};
  return kDef;
}

}  // namespace ktriage
