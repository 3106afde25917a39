// TestApiServer: routes, authentication, faults, list paging and recording. The snapshot
// (snapshot.h), discovery (resources.h), OpenAPI (openapi.h) and TLS files (tls.cpp) live apart.
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "apiserver/json_writer.h"
#include "apiserver/openapi.h"
#include "apiserver/paging.h"
#include "apiserver/snapshot.h"
#include "apiserver/status.h"
#include "apiserver/test_apiserver.h"
#include "cli/pipeline.h"
#include "load/document.h"

namespace ktriage::testing {

namespace {

constexpr int kThreads = 8;
constexpr std::string_view kPartialList = "as=PartialObjectMetadataList";
constexpr std::string_view kPartial = "as=PartialObjectMetadata";

// A response before it is written: status, body, content type, extra headers.
struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

Reply status_reply(int code, std::string_view reason, std::string_view message,
                   std::string_view details = "", bool with_details = true) {
  return Reply{code, status_json(code, reason, message, details, with_details)};
}

Reply not_found_path() {
  return status_reply(404, "NotFound", "the server could not find the requested resource");
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > pos) parts.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return parts;
}

// Parses ASCII digits only (as strconv.ParseInt would for these parameters).
std::optional<std::int64_t> parse_int(const std::string& s) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string value_text(const Value& v) {
  if (v.is_string()) return std::string(v.str());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.type() == Value::Type::kInt) return std::to_string(v.as_int());
  return "";
}

// One fieldSelector term.
struct FieldTerm {
  std::string field, value;
  bool negate = false;
};

// The fields kube-apiserver lets a fieldSelector name beyond metadata.name/namespace.
bool field_supported(const ResourceType& type, std::string_view field) {
  if (field == "metadata.name" || field == "metadata.namespace") return true;
  if (type.group.empty() && type.kind == "Pod") {
    return field == "spec.nodeName" || field == "spec.restartPolicy" ||
           field == "spec.schedulerName" || field == "spec.serviceAccountName" ||
           field == "status.phase" || field == "status.podIP" ||
           field == "status.nominatedNodeName";
  }
  if (type.kind == "Event") {
    return field.starts_with("involvedObject.") || field == "reason" || field == "type" ||
           field == "source" || field == "reportingComponent" || field.starts_with("regarding.");
  }
  if (type.kind == "Secret") return field == "type";
  if (type.kind == "Node") return field == "spec.unschedulable";
  if (type.kind == "Namespace") return field == "status.phase";
  return false;
}

const Value& field_value(const Value& root, std::string_view field) {
  if (field == "source") return root["source"]["component"];
  const Value* v = &root;
  while (!field.empty()) {
    const std::size_t dot = field.find('.');
    v = &(*v)[field.substr(0, dot)];
    field = dot == std::string_view::npos ? std::string_view() : field.substr(dot + 1);
  }
  return *v;
}

// A request with its query parsed from the raw target: httplib 0.11 splits a parameter at every
// '=' ("fieldSelector=metadata.name=x" would lose "metadata.name"), real servers at the first.
struct Call {
  const httplib::Request& http;
  const std::string& method;
  const std::string& path;
  const std::string& body;
  std::map<std::string, std::string> params;

  explicit Call(const httplib::Request& r) : http(r), method(r.method), path(r.path), body(r.body) {
    const std::size_t q = r.target.find('?');
    if (q == std::string::npos) return;
    std::string_view rest = std::string_view(r.target).substr(q + 1);
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      const std::size_t eq = pair.find('=');
      std::string key = httplib::detail::decode_url(std::string(pair.substr(0, eq)), true);
      std::string value = eq == std::string_view::npos
                              ? std::string()
                              : httplib::detail::decode_url(std::string(pair.substr(eq + 1)), true);
      params.emplace(std::move(key), std::move(value));  // the first of repeated keys wins
    }
  }
  bool has_param(const std::string& key) const { return params.count(key) > 0; }
  std::string get_param_value(const std::string& key) const {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  }
  std::string get_header_value(const char* key) const { return http.get_header_value(key); }
};

}  // namespace

struct TestApiServer::Impl {
  ServerOptions options;
  TlsFiles tls;
  std::unique_ptr<Snapshot> snapshot;
  OpenApiDocuments openapi;
  std::unique_ptr<httplib::Server> http;
  std::thread thread;
  int port = 0;
  std::string user = "ktriage-test";  ///< the name in 403 messages

  mutable std::mutex mu;  // guards faults and recorded
  Faults faults;
  std::vector<RecordedRequest> recorded;

  void handle(const httplib::Request& http_req, httplib::Response& res);
  Reply route(const Call& req);
  Reply serve_get(const Call& req);
  Reply serve_resource(const Call& req, std::string_view group, std::string_view version,
                       std::span<const std::string_view> rest);
  Reply serve_list(const Call& req, const StoredResource& r, std::string_view ns);
  Reply serve_get_one(const Call& req, const StoredResource& r, std::string_view ns,
                      std::string_view name);
  Reply serve_log(const Call& req, const StoredResource& pods, std::string_view ns,
                  std::string_view name);
  Reply serve_review(const Call& req, std::string_view plural);
  bool authorized(const Call& req) const;
  bool forbidden(std::string_view resource) const;
  Reply forbidden_reply(std::string_view verb, const ResourceType& type, std::string_view resource,
                        std::string_view ns, std::string_view name) const;
};

// ---------------------------------------------------------------------------------------------
// The request path: faults, authentication, routing, recording.

void TestApiServer::Impl::handle(const httplib::Request& http_req, httplib::Response& res) {
  const Call req(http_req);
  const std::size_t q = http_req.target.find('?');
  RecordedRequest rec{req.method, req.path,
                      q == std::string::npos ? "" : http_req.target.substr(q + 1), 0};
  int slow_ms = 0;
  bool drop = false;
  std::optional<Reply> fault;
  {
    std::lock_guard lock(mu);
    Faults& f = faults;
    if (f.only_path.empty() || req.path.find(f.only_path) != std::string::npos) {
      slow_ms = f.slow_ms;
      if (f.unauthorized > 0) {
        --f.unauthorized;
        fault = status_reply(401, "Unauthorized", "Unauthorized", "", false);
      } else if (f.too_many_requests > 0) {
        --f.too_many_requests;
        fault = Reply{
            429, status_json(429, "TooManyRequests", "Too many requests, please try again later.",
                             R"("retryAfterSeconds":)" + std::to_string(f.retry_after_seconds))};
        fault->headers.emplace_back("Retry-After", std::to_string(f.retry_after_seconds));
      } else if (f.server_errors > 0) {
        --f.server_errors;
        fault = status_reply(500, "InternalError",
                             "Internal error occurred: injected by the test API server",
                             R"("causes":[{"message":"injected by the test API server"}])");
      } else if (f.drop_connections > 0) {
        --f.drop_connections;
        drop = true;
      }
    }
  }
  if (slow_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms));

  Reply reply;
  if (fault && fault->status == 401) {
    reply = std::move(*fault);
  } else if (!authorized(req)) {
    reply = status_reply(401, "Unauthorized", "Unauthorized", "", false);
  } else if (fault) {
    reply = std::move(*fault);
  } else {
    reply = route(req);
  }
  rec.status = reply.status;
  {
    std::lock_guard lock(mu);
    recorded.push_back(std::move(rec));
  }
  res.status = reply.status;
  for (auto& [k, v] : reply.headers) res.set_header(k.c_str(), v);
  if (drop) {
    // Announce the whole body, write the first half, then fail: httplib closes the connection.
    auto body = std::make_shared<std::string>(std::move(reply.body));
    res.set_content_provider(body->size(), reply.content_type,
                             [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                               if (offset == 0 && body->size() > 1)
                                 sink.write(body->data(), body->size() / 2);
                               return false;
                             });
    return;
  }
  res.body = std::move(reply.body);
  res.set_header("Content-Type", reply.content_type);
}

bool TestApiServer::Impl::authorized(const Call& req) const {
  if (options.token.empty() && options.basic_auth.empty()) return true;
  const std::string auth = req.get_header_value("Authorization");
  if (!options.token.empty() && auth == "Bearer " + options.token) return true;
  if (!options.basic_auth.empty() && auth == "Basic " + base64_encode(options.basic_auth)) {
    return true;
  }
  return false;
}

bool TestApiServer::Impl::forbidden(std::string_view resource) const {
  std::lock_guard lock(mu);
  return faults.forbidden_resources.count(std::string(resource)) > 0;
}

Reply TestApiServer::Impl::forbidden_reply(std::string_view verb, const ResourceType& type,
                                           std::string_view resource, std::string_view ns,
                                           std::string_view name) const {
  std::string message = std::string(type.plural);
  if (!name.empty()) message += " \"" + std::string(name) + "\"";
  message += " is forbidden: User \"" + user + "\" cannot " + std::string(verb) + " resource \"" +
             std::string(resource) + "\" in API group \"" + type.group + "\"";
  message += ns.empty() ? " at the cluster scope" : " in the namespace \"" + std::string(ns) + "\"";
  return status_reply(403, "Forbidden", message, status_details(name, type.group, type.plural));
}

Reply TestApiServer::Impl::route(const Call& req) {
  if (req.method == "GET") return serve_get(req);
  if (req.method == "POST") {
    constexpr std::string_view kPrefix = "/apis/authorization.k8s.io/v1/";
    const std::string_view path = req.path;
    if (path.starts_with(kPrefix)) {
      const std::string_view plural = path.substr(kPrefix.size());
      if (plural == "selfsubjectaccessreviews" || plural == "selfsubjectrulesreviews") {
        return serve_review(req, plural);
      }
    }
  }
  return status_reply(405, "MethodNotAllowed",
                      "the server does not allow this method on the requested resource");
}

Reply TestApiServer::Impl::serve_get(const Call& req) {
  const std::string_view path = req.path;
  if (path == "/version") {
    const std::string& git = snapshot->git_version;
    std::string major = "1", minor = "0";
    if (git.size() > 1 && git[0] == 'v') {
      const std::size_t dot = git.find('.');
      const std::size_t dot2 = git.find('.', dot + 1);
      if (dot != std::string::npos) {
        major = git.substr(1, dot - 1);
        minor = git.substr(dot + 1, dot2 == std::string::npos ? std::string::npos : dot2 - dot - 1);
      }
    }
    std::string body = R"({"major":)";
    append_json_string(body, major);
    body += R"(,"minor":)";
    append_json_string(body, minor);
    body += R"(,"gitVersion":)";
    append_json_string(body, git);
    body += R"(,"gitCommit":"0000000000000000000000000000000000000000","gitTreeState":"clean",)"
            R"("buildDate":"2024-08-14T19:04:34Z","goVersion":"go1.22.5","compiler":"gc",)"
            R"("platform":"linux/amd64"})";
    return Reply{200, std::move(body)};
  }
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    return Reply{200, "ok", "text/plain; charset=utf-8"};
  }
  if (path == "/api") return Reply{200, api_versions_json("127.0.0.1:" + std::to_string(port))};
  if (path == "/apis") return Reply{200, api_group_list_json(snapshot->types)};
  if (path == "/openapi/v3") return Reply{200, openapi.index};
  if (path.starts_with("/openapi/v3/")) {
    auto it = openapi.v3.find(std::string(path.substr(12)));
    if (it == openapi.v3.end()) return not_found_path();
    return Reply{200, it->second};
  }
  if (path == "/openapi/v2") {
    // kubectl asks for protobuf first; only JSON is on hand, so answer only when JSON is allowed.
    const std::string accept = req.get_header_value("Accept");
    const bool json_ok = accept.empty() || accept.find("application/json") != std::string::npos ||
                         accept.find("*/*") != std::string::npos;
    if (openapi.v2.empty() || !json_ok) return not_found_path();
    return Reply{200, openapi.v2};
  }
  const std::vector<std::string_view> parts = split_path(path);
  if (parts.size() >= 2 && parts[0] == "api" && parts[1] == "v1") {
    if (parts.size() == 2) return Reply{200, api_resource_list_json(snapshot->types, "", "v1")};
    return serve_resource(req, "", "v1", std::span(parts).subspan(2));
  }
  if (parts.size() >= 2 && parts[0] == "apis") {
    if (parts.size() == 2) {  // APIGroup
      for (const ResourceType& t : snapshot->types) {
        if (t.group != parts[1]) continue;
        std::string gv = R"({"groupVersion":)";
        append_json_string(gv, t.group_version());
        gv += R"(,"version":)";
        append_json_string(gv, t.version);
        gv += "}";
        std::string body = R"({"kind":"APIGroup","apiVersion":"v1","name":)";
        append_json_string(body, t.group);
        body += R"(,"versions":[)" + gv + R"(],"preferredVersion":)" + gv + "}";
        return Reply{200, std::move(body)};
      }
      return not_found_path();
    }
    if (parts.size() == 3) {
      std::string body = api_resource_list_json(snapshot->types, parts[1], parts[2]);
      if (body.empty()) return not_found_path();
      return Reply{200, std::move(body)};
    }
    return serve_resource(req, parts[1], parts[2], std::span(parts).subspan(3));
  }
  return not_found_path();
}

// `rest`: RES | RES/NAME | RES/NAME/SUB | namespaces/NS/RES[/NAME[/SUB]].
Reply TestApiServer::Impl::serve_resource(const Call& req, std::string_view group,
                                          std::string_view version,
                                          std::span<const std::string_view> rest) {
  std::string_view ns;
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    ns = rest[1];
    rest = rest.subspan(2);
  }
  if (rest.empty() || rest.size() > 3) return not_found_path();
  const StoredResource* r = snapshot->find(group, version, rest[0]);
  if (r == nullptr) return not_found_path();
  if (!ns.empty() && !r->type.namespaced) return not_found_path();
  if (req.has_param("watch") && req.get_param_value("watch") != "false" &&
      req.get_param_value("watch") != "0") {
    return status_reply(405, "MethodNotAllowed",
                        "the test API server does not serve watches (snapshots do not change)");
  }
  if (rest.size() == 1) {
    if (forbidden(r->type.plural)) return forbidden_reply("list", r->type, r->type.plural, ns, "");
    return serve_list(req, *r, ns);
  }
  // A namespaced object needs its namespace in the path (kube-apiserver: 404 otherwise).
  if (r->type.namespaced && ns.empty()) return not_found_path();
  if (rest.size() == 2) {
    if (forbidden(r->type.plural)) {
      return forbidden_reply("get", r->type, r->type.plural, ns, rest[1]);
    }
    return serve_get_one(req, *r, ns, rest[1]);
  }
  if (rest[2] == "log" && group.empty() && r->type.plural == "pods") {
    if (forbidden("pods/log")) return forbidden_reply("get", r->type, "pods/log", ns, rest[1]);
    return serve_log(req, *r, ns, rest[1]);
  }
  return not_found_path();
}

// ---------------------------------------------------------------------------------------------
// Lists and single objects.

namespace {

// The Table form of a list page as kubectl asks for it (`as=Table;g=meta.k8s.io;v=v1`), with
// kube-apiserver's columns for Secrets (Name, Type, Data, Age; pkg/printers/internalversion)
// and Name, Age for the rest; each row carries the object's metadata unless includeObject=None.
void append_table_rows(std::string& body, const StoredResource& r,
                       const std::vector<const StoredObject*>& page, std::string_view include) {
  const bool secrets = r.type.plural == "secrets" && r.type.group.empty();
  body +=
      R"(},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0})";
  if (secrets) {
    body +=
        R"(,{"name":"Type","type":"string","format":"","description":"Used to facilitate programmatic handling of secret data.","priority":0})";
    body +=
        R"(,{"name":"Data","type":"string","format":"","description":"Data contains the secret data.","priority":0})";
  }
  body +=
      R"(,{"name":"Age","type":"string","format":"","description":"CreationTimestamp is a timestamp representing the server time when this object was created.","priority":0}],"rows":[)";
  for (std::size_t i = 0; i < page.size(); ++i) {
    const StoredObject& o = *page[i];
    if (i > 0) body.push_back(',');
    body += R"({"cells":[)";
    append_json_string(body, o.name);
    if (secrets) {
      body.push_back(',');
      std::string_view type = o.root["type"].str();
      append_json_string(body, type.empty() ? "Opaque" : type);
      body += "," + std::to_string(o.root["data"].size() + o.root["stringData"].size());
    }
    body += R"(,"<unknown>"])";
    if (include != "None") {
      body +=
          R"(,"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":)";
      body += o.metadata_json();
      body.push_back('}');
    }
    body.push_back('}');
  }
  body += "]}";
}

}  // namespace

Reply TestApiServer::Impl::serve_list(const Call& req, const StoredResource& r,
                                      std::string_view ns) {
  std::optional<std::vector<SelectorTerm>> labels;
  if (const std::string text = req.get_param_value("labelSelector"); !text.empty()) {
    std::string error;
    labels = parse_selector(text, &error);
    if (!labels) {
      return status_reply(400, "BadRequest", "unable to parse requirement: " + error);
    }
  }
  std::vector<FieldTerm> fields;
  if (const std::string text = req.get_param_value("fieldSelector"); !text.empty()) {
    std::string_view rest = text;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::string_view term = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (term.empty()) continue;
      FieldTerm f;
      std::size_t op = term.find("!=");
      std::size_t value_at = 0;
      if (op != std::string_view::npos) {
        f.negate = true;
        value_at = op + 2;
      } else if ((op = term.find("==")) != std::string_view::npos) {
        value_at = op + 2;
      } else if ((op = term.find('=')) != std::string_view::npos) {
        value_at = op + 1;
      } else {
        return status_reply(
            400, "BadRequest",
            "invalid selector: '" + text + "'; can't understand '" + std::string(term) + "'");
      }
      f.field = std::string(term.substr(0, op));
      f.value = std::string(term.substr(value_at));
      if (!field_supported(r.type, f.field)) {
        return status_reply(400, "BadRequest", "field label not supported: " + f.field);
      }
      fields.push_back(std::move(f));
    }
  }
  std::int64_t limit = 0;
  // resourceVersion=0 is served from kube-apiserver's watch cache, which ignores limit.
  if (req.has_param("limit") && req.get_param_value("resourceVersion") != "0") {
    auto n = parse_int(req.get_param_value("limit"));
    if (n && *n > 0) limit = *n;
  }
  auto [begin, end] = r.range(ns);
  const std::string cont = req.get_param_value("continue");
  if (!cont.empty()) {
    {
      std::lock_guard lock(mu);
      if (faults.expire_continue > 0 &&
          (faults.only_path.empty() || req.path.find(faults.only_path) != std::string::npos)) {
        --faults.expire_continue;
        return status_reply(410, "Expired",
                            "The provided continue parameter is too old to display a consistent "
                            "list result. You can start a new list without the continue "
                            "parameter, or use the continue value from the response to start a "
                            "new list.",
                            "", false);
      }
    }
    auto token = decode_continue(cont);
    if (!token) {
      return status_reply(400, "BadRequest", "continue key is not valid: " + cont, "", false);
    }
    begin = std::clamp(token->start, begin, end);
  }

  const std::string accept = req.get_header_value("Accept");
  // Accept lists the client's preferences in order; the Table form comes first when asked for.
  const bool table = accept.find("as=Table") != std::string::npos;
  const bool partial = !table && accept.find(kPartialList) != std::string::npos;
  const bool filtered = labels.has_value() || !fields.empty();
  auto matches = [&](const StoredObject& o) {
    if (labels && !selector_matches(*labels, o.root["metadata"]["labels"])) return false;
    for (const FieldTerm& f : fields) {
      const bool equal = f.field == "metadata.name" ? o.name == f.value
                         : f.field == "metadata.namespace"
                             ? o.ns == f.value
                             : value_text(field_value(o.root, f.field)) == f.value;
      if (equal == f.negate) return false;
    }
    return true;
  };

  std::vector<const StoredObject*> page;
  std::size_t next = end;
  std::size_t bytes = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const StoredObject& o = r.objects[i];
    if (filtered && !matches(o)) continue;
    page.push_back(&o);
    bytes += partial ? o.metadata_length + 80 : o.json.size() + 1;
    if (limit > 0 && static_cast<std::int64_t>(page.size()) == limit) {
      next = i + 1;
      break;
    }
  }

  std::string body;
  body.reserve(bytes + 256);
  if (table) {
    body += R"({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":)";
  } else if (partial) {
    body +=
        R"({"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":)";
  } else {
    body += R"({"kind":)";
    append_json_string(body, r.type.kind + "List");
    body += R"(,"apiVersion":)";
    append_json_string(body, r.type.group_version());
    body += R"(,"metadata":{"resourceVersion":)";
  }
  append_json_string(body, snapshot->resource_version);
  if (next < end) {
    body += R"(,"continue":)";
    append_json_string(body, encode_continue({std::stoll(snapshot->resource_version), next}));
    if (!filtered) body += R"(,"remainingItemCount":)" + std::to_string(end - next);
  }
  if (table) {
    append_table_rows(body, r, page, req.get_param_value("includeObject"));
    return Reply{200, std::move(body)};
  }
  body += R"(},"items":[)";
  for (std::size_t i = 0; i < page.size(); ++i) {
    if (i > 0) body.push_back(',');
    if (partial) {
      body += R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":)";
      body += page[i]->metadata_json();
      body.push_back('}');
    } else {
      body += page[i]->json;
    }
  }
  body += "]}";
  return Reply{200, std::move(body)};
}

Reply TestApiServer::Impl::serve_get_one(const Call& req, const StoredResource& r,
                                         std::string_view ns, std::string_view name) {
  const StoredObject* o = r.find(r.type.namespaced ? ns : "", name);
  if (o == nullptr) {
    return status_reply(404, "NotFound", r.type.plural + " \"" + std::string(name) + "\" not found",
                        status_details(name, r.type.group, r.type.plural));
  }
  const std::string accept = req.get_header_value("Accept");
  if (accept.find(kPartial) != std::string::npos &&
      accept.find(kPartialList) == std::string::npos) {
    std::string body =
        R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":)";
    body += o->metadata_json();
    body += "}";
    return Reply{200, std::move(body)};
  }
  if (!r.type.builtin) return Reply{200, o->json};
  std::string body = R"({"kind":)";
  append_json_string(body, r.type.kind);
  body += R"(,"apiVersion":)";
  append_json_string(body, r.type.group_version());
  if (o->json.size() > 2) body += ",";
  body.append(o->json, 1);
  return Reply{200, std::move(body)};
}

// ---------------------------------------------------------------------------------------------
// pods/log.

Reply TestApiServer::Impl::serve_log(const Call& req, const StoredResource& pods,
                                     std::string_view ns, std::string_view name) {
  const StoredObject* pod = pods.find(ns, name);
  if (pod == nullptr) {
    return status_reply(404, "NotFound", "pods \"" + std::string(name) + "\" not found",
                        status_details(name, "", "pods"));
  }
  auto names = [&](std::string_view field) {
    std::vector<std::string> out;
    for (const Value& c : pod->root["spec"][field].items()) out.emplace_back(c["name"].str());
    return out;
  };
  auto bracket = [](const std::vector<std::string>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i > 0 ? " " : "") + v[i];
    return s + "]";
  };
  const std::vector<std::string> containers = names("containers");
  const std::vector<std::string> init = names("initContainers");
  const std::vector<std::string> ephemeral = names("ephemeralContainers");
  std::string container = req.get_param_value("container");
  if (container.empty()) {
    if (containers.size() == 1) {
      container = containers[0];
    } else {
      std::string message = "a container name must be specified for pod " + std::string(name) +
                            ", choose one of: " + bracket(containers);
      if (!init.empty()) message += " or one of the init containers: " + bracket(init);
      if (!ephemeral.empty()) {
        message += " or one of the ephemeral containers: " + bracket(ephemeral);
      }
      return status_reply(400, "BadRequest", message, "", false);
    }
  }
  auto listed = [&](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), container) != v.end();
  };
  if (!listed(containers) && !listed(init) && !listed(ephemeral)) {
    return status_reply(400, "BadRequest",
                        "container " + container + " is not valid for pod " + std::string(name), "",
                        false);
  }
  const std::string previous_param = req.get_param_value("previous");
  const bool previous = previous_param == "true" || previous_param == "1";
  const std::string pod_ns(ns), pod_name(name);
  auto it = snapshot->logs.find({pod_ns, pod_name, container, previous});
  if (it == snapshot->logs.end() && containers.size() == 1) {
    // cluster-info dump logs do not always name their container.
    it = snapshot->logs.find({pod_ns, pod_name, "", previous});
  }
  if (it == snapshot->logs.end() && previous) {
    return status_reply(400, "BadRequest",
                        "previous terminated container \"" + container + "\" in pod \"" +
                            std::string(name) + "\" not found",
                        "", false);
  }
  std::string_view text = it == snapshot->logs.end() ? std::string_view() : it->second;
  if (req.has_param("tailLines")) {
    auto n = parse_int(req.get_param_value("tailLines"));
    if (!n || *n < 0) {
      return status_reply(400, "BadRequest", "tailLines must be a non-negative integer", "", false);
    }
    // The last n lines; a final newline ends the last line rather than starting another.
    std::size_t pos = text.size();
    if (pos > 0 && text[pos - 1] == '\n') --pos;
    std::int64_t lines = 0;
    std::size_t start = text.size();
    if (*n == 0) {
      start = text.size();
    } else {
      start = 0;
      while (pos > 0) {
        const std::size_t nl = text.rfind('\n', pos - 1);
        if (nl == std::string_view::npos) break;
        if (++lines == *n) {
          start = nl + 1;
          break;
        }
        pos = nl;
      }
    }
    text = text.substr(start);
  }
  if (req.has_param("limitBytes")) {
    auto n = parse_int(req.get_param_value("limitBytes"));
    if (!n || *n <= 0) {
      return status_reply(400, "BadRequest", "limitBytes must be a positive integer", "", false);
    }
    text = text.substr(0, static_cast<std::size_t>(*n));
  }
  return Reply{200, std::string(text), "text/plain"};
}

// ---------------------------------------------------------------------------------------------
// SelfSubjectAccessReview / SelfSubjectRulesReview.

Reply TestApiServer::Impl::serve_review(const Call& req, std::string_view plural) {
  std::string padded = req.body;
  const std::size_t size = padded.size();
  padded.append(kJsonPadding, '\0');
  Arena arena;
  Value spec;
  bool parsed = false;
  auto errors = read_json(std::string_view(padded.data(), size), arena,
                          [&](const ParsedDocument& doc, const Locator&) {
                            spec = doc.root["spec"];
                            parsed = doc.root.is_object();
                          });
  if (!errors.empty() || !parsed) {
    return status_reply(400, "BadRequest", "the request body is not a JSON object", "", false);
  }
  if (plural == "selfsubjectaccessreviews") {
    const Value& attrs = spec["resourceAttributes"];
    std::string resource(attrs["resource"].str());
    if (!attrs["subresource"].str().empty())
      resource += "/" + std::string(attrs["subresource"].str());
    const bool allowed = attrs.is_null() || !forbidden(resource);
    std::string body =
        R"({"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":)";
    append_json(body, spec);
    body += allowed ? R"(,"status":{"allowed":true}})"
                    : R"(,"status":{"allowed":false,"reason":"forbidden by the test API server"}})";
    return Reply{201, std::move(body)};
  }
  // Rules: get/list on every served resource that is not forbidden, grouped by API group.
  std::map<std::string, std::vector<std::string>> by_group;
  for (const ResourceType& t : snapshot->types) {
    if (t.group == "authorization.k8s.io" || forbidden(t.plural)) continue;
    by_group[t.group].push_back(t.plural);
  }
  std::string body =
      R"({"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":)";
  append_json(body, spec);
  body +=
      R"(,"status":{"resourceRules":[{"verbs":["create"],"apiGroups":["authorization.k8s.io"],"resources":["selfsubjectaccessreviews","selfsubjectrulesreviews"]})";
  for (const auto& [group, resources] : by_group) {
    body += R"(,{"verbs":["get","list"],"apiGroups":[)";
    append_json_string(body, group);
    body += R"(],"resources":[)";
    for (std::size_t i = 0; i < resources.size(); ++i) {
      if (i > 0) body += ",";
      append_json_string(body, resources[i]);
    }
    body += "]}";
  }
  body +=
      R"(],"nonResourceRules":[{"verbs":["get"],"nonResourceURLs":["/api","/api/*","/apis","/apis/*","/healthz","/livez","/openapi","/openapi/*","/readyz","/version","/version/"]}],"incomplete":false}})";
  return Reply{201, std::move(body)};
}

// ---------------------------------------------------------------------------------------------
// The public class.

Expected<std::unique_ptr<TestApiServer>> TestApiServer::start(const ServerOptions& options,
                                                              const TlsFiles& tls) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->tls = tls;
  if (!options.basic_auth.empty()) {
    impl->user = options.basic_auth.substr(0, options.basic_auth.find(':'));
  }
  auto snap = load_snapshot(options.snapshot, options.version);
  if (!snap) return Unexpected(snap.error());
  impl->snapshot = std::move(*snap);
  try {
    impl->openapi = load_openapi(options.openapi_dir);
  } catch (const std::exception& e) {
    return Unexpected(std::string(e.what()));
  }
  if (options.tls) {
    if (tls.server_cert.empty()) return Unexpected(std::string("tls is on but no TlsFiles given"));
    const std::string& cert = options.wrong_ca ? tls.other_server_cert : tls.server_cert;
    const std::string& key = options.wrong_ca ? tls.other_server_key : tls.server_key;
    auto ssl = std::make_unique<httplib::SSLServer>(
        cert.c_str(), key.c_str(), options.require_client_cert ? tls.ca_cert.c_str() : nullptr);
    if (!ssl->is_valid()) return Unexpected("cannot load TLS files from " + tls.dir);
    impl->http = std::move(ssl);
  } else {
    impl->http = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *impl->http;
  http.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  Impl* self = impl.get();
  auto handler = [self](const httplib::Request& req, httplib::Response& res) {
    self->handle(req, res);
  };
  // Everything is answered before httplib's routing (which would reject a bodiless POST with an
  // unrecorded 400), except the two reviews, whose body the Post route reads first.
  http.set_pre_routing_handler([self](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "POST" && req.path.starts_with("/apis/authorization.k8s.io/v1/selfsubject")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    self->handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  http.Post(".*", handler);
  if (options.port > 0) {
    impl->port = http.bind_to_port("127.0.0.1", options.port) ? options.port : -1;
  } else {
    impl->port = http.bind_to_any_port("127.0.0.1");
  }
  if (impl->port <= 0) return Unexpected(std::string("cannot listen on 127.0.0.1"));
  impl->thread = std::thread([self] { self->http->listen_after_bind(); });
  // httplib's stop() does nothing until listen has started: a server stopped at once (a test
  // that sends no request) would otherwise leave its thread in accept() and hang the join.
  for (int waited = 0; !impl->http->is_running() && waited < 5000; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<TestApiServer>(new TestApiServer(std::move(impl)));
}

TestApiServer::TestApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TestApiServer::~TestApiServer() {
  impl_->http->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string TestApiServer::url() const {
  return std::string(impl_->options.tls ? "https" : "http") +
         "://127.0.0.1:" + std::to_string(impl_->port);
}

int TestApiServer::port() const { return impl_->port; }

namespace {
std::string yaml_quote(const std::string& s) {
  std::string out;
  append_json_string(out, s);  // a JSON string is a valid YAML double-quoted scalar
  return out;
}
}  // namespace

std::string TestApiServer::write_kubeconfig(const std::string& path) const {
  const ServerOptions& o = impl_->options;
  std::string y = "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n";
  y += "    server: " + yaml_quote(url()) + "\n";
  if (o.tls) y += "    certificate-authority: " + yaml_quote(impl_->tls.ca_cert) + "\n";
  y += "contexts:\n- name: test\n  context:\n    cluster: test\n    user: test\n";
  y += "current-context: test\nusers:\n- name: test\n  user:";
  std::string user;
  if (!o.token.empty()) user += "\n    token: " + yaml_quote(o.token);
  if (!o.basic_auth.empty()) {
    const std::size_t colon = o.basic_auth.find(':');
    user += "\n    username: " + yaml_quote(o.basic_auth.substr(0, colon));
    user += "\n    password: " +
            yaml_quote(colon == std::string::npos ? "" : o.basic_auth.substr(colon + 1));
  }
  if (o.require_client_cert) {
    user += "\n    client-certificate: " + yaml_quote(impl_->tls.client_cert);
    user += "\n    client-key: " + yaml_quote(impl_->tls.client_key);
  }
  // kubectl prompts for a user name when a user entry is empty; any token passes when the
  // options require none.
  if (user.empty()) user = "\n    token: \"ktriage-test-unchecked\"";
  y += user + "\n";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << y;
  out.close();
  if (!out) throw std::runtime_error("cannot write kubeconfig " + path);
  return path;
}

void TestApiServer::set_faults(Faults faults) {
  std::lock_guard lock(impl_->mu);
  impl_->faults = std::move(faults);
}

std::vector<RecordedRequest> TestApiServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->recorded;
}

void TestApiServer::clear_requests() {
  std::lock_guard lock(impl_->mu);
  impl_->recorded.clear();
}

}  // namespace ktriage::testing
