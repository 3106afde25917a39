// load_rest_config: kubeconfig files found and merged as client-go's clientcmd does
// (loader.go: first file to define a name wins), one context resolved into a RestConfig, or the
// in-cluster service account.
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/base64.h"
#include "live/rest_config.h"
#include "load/document.h"

namespace ktriage {
namespace {

namespace fs = std::filesystem;

// One kubeconfig file, parsed. Values point into `arena`.
struct SourceFile {
  std::string path;  // as named by the flag, KUBECONFIG or HOME
  std::string dir;   // absolute folder of the file, for relative paths inside it
  std::unique_ptr<Arena> arena = std::make_unique<Arena>();
  Value root;
  std::unordered_map<std::string, SourcePos> pos;  // "users[2].user.token" → line:column
};

// A named entry of clusters/contexts/users and where it is.
struct Entry {
  const SourceFile* file = nullptr;
  std::string list;  // "clusters"
  std::size_t index = 0;
  std::string name;
  Value body;  // the entry's `cluster`, `context` or `user` object
};

struct Merged {
  std::vector<std::unique_ptr<SourceFile>> files;
  std::map<std::string, Entry> clusters, contexts, users;  // first file wins
  std::string current_context;
  const SourceFile* current_context_file = nullptr;
  bool empty() const { return clusters.empty() && contexts.empty() && users.empty(); }
};

std::string at(const SourceFile& f, const std::string& path) {
  auto it = f.pos.find(path);
  if (it == f.pos.end() || it->second.line == 0) return f.path;
  return f.path + ":" + std::to_string(it->second.line) + ":" + std::to_string(it->second.column);
}

std::string line_of(const Entry& e) {
  auto it = e.file->pos.find(e.list + "[" + std::to_string(e.index) + "]");
  if (it == e.file->pos.end() || it->second.line == 0) return "";
  return " (line " + std::to_string(it->second.line) + ")";
}

std::string names(const std::map<std::string, Entry>& m) {
  if (m.empty()) return "none";
  std::string out;
  for (const auto& [name, e] : m) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void record_positions(const Value& v, std::vector<PathStep>& steps, const std::string& key,
                      const Locator& loc, SourceFile& f, int depth) {
  if (depth > 8) return;
  if (!key.empty()) f.pos.emplace(key, loc.locate(steps));
  if (v.is_object()) {
    for (const Member& m : v.members()) {
      steps.push_back(PathStep{m.key, -1});
      record_positions(m.value, steps,
                       key.empty() ? std::string(m.key) : key + "." + std::string(m.key), loc, f,
                       depth + 1);
      steps.pop_back();
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      steps.push_back(PathStep{{}, static_cast<int>(i)});
      record_positions(v[i], steps, key + "[" + std::to_string(i) + "]", loc, f, depth + 1);
      steps.pop_back();
    }
  }
}

// Reads and parses one file. `missing_ok`: a file that does not exist yields nullptr.
Expected<std::unique_ptr<SourceFile>, std::string> load_file(const std::string& path,
                                                             bool missing_ok) {
  std::error_code dir_ec;
  if (fs::is_directory(path, dir_ec)) return Unexpected{path + ": cannot read: Is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int e = errno;
    if (missing_ok && e == ENOENT) return std::unique_ptr<SourceFile>();
    return Unexpected{path + ": cannot read: " + std::strerror(e)};
  }
  const std::string text(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) return Unexpected{path + ": cannot read: " + std::strerror(errno)};
  auto f = std::make_unique<SourceFile>();
  f->path = path;
  std::error_code ec;
  f->dir = fs::absolute(fs::path(path), ec).parent_path().string();
  bool first = true;
  auto errors =
      read_yaml(path, text, *f->arena, [&](const ParsedDocument& doc, const Locator& loc) {
        if (!first) return;  // client-go reads one document
        first = false;
        f->root = doc.root;
        std::vector<PathStep> steps;
        record_positions(doc.root, steps, "", loc, *f, 0);
      });
  if (!errors.empty()) {
    const ParseError& e = errors.front();
    std::string where = path;
    if (e.pos.line > 0)
      where += ":" + std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column);
    return Unexpected{where + ": not valid YAML: " + e.message};
  }
  if (!f->root.is_null() && !f->root.is_object()) {
    return Unexpected{path + ": not a kubeconfig (the top level is " +
                      std::string(Value::type_name(f->root.type())) + ", not a mapping)"};
  }
  return f;
}

// Adds one file's clusters/contexts/users to `m`, the earlier files' entries winning.
Expected<bool, std::string> merge(Merged& m, const SourceFile& f) {
  struct List {
    const char* list;
    const char* body;
    std::map<std::string, Entry>* into;
  };
  for (const List& l :
       {List{"clusters", "cluster", &m.clusters}, List{"contexts", "context", &m.contexts},
        List{"users", "user", &m.users}}) {
    const Value& items = f.root[l.list];
    if (items.is_null()) continue;
    if (!items.is_array()) {
      return Unexpected{at(f, l.list) + ": " + l.list + " must be a list, not " +
                        std::string(Value::type_name(items.type()))};
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string key = std::string(l.list) + "[" + std::to_string(i) + "]";
      const Value& item = items[i];
      const std::string name(item["name"].str());
      if (name.empty()) return Unexpected{at(f, key) + ": " + key + " has no name"};
      if (!seen.insert(name).second) {
        return Unexpected{at(f, key) + ": " + l.list + ": duplicate name \"" + name + "\""};
      }
      const Value& body = item[l.body];
      if (!body.is_null() && !body.is_object()) {
        return Unexpected{at(f, key + "." + l.body) + ": " + l.list + "[" + name + "]." + l.body +
                          " must be a mapping"};
      }
      l.into->emplace(name, Entry{&f, l.list, i, name, body});
    }
  }
  const std::string_view current = f.root["current-context"].str();
  if (m.current_context.empty() && !current.empty()) {
    m.current_context = std::string(current);
    m.current_context_file = &f;
  }
  return true;
}

std::vector<std::string> split_paths(const std::string& list) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(':', start);
    if (end == std::string::npos) end = list.size();
    std::string p = list.substr(start, end - start);
    if (!p.empty() && seen.insert(p).second) out.push_back(std::move(p));
    start = end + 1;
  }
  return out;
}

// Reads the fields of one cluster or user entry; the first problem is kept in `error`.
class Fields {
 public:
  Fields(const Entry& e, const char* body, std::string context)
      : e_(e),
        key_(e.list + "[" + std::to_string(e.index) + "]." + body),
        shown_(e.list + "[" + e.name + "]." + body),
        context_(std::move(context)) {}

  std::string error;

  bool has(const char* field) const { return !e_.body[field].is_null(); }
  const Value& value(const char* field) const { return e_.body[field]; }

  std::string str(const char* field) {
    const Value& v = e_.body[field];
    if (v.is_null()) return {};
    if (!v.is_string()) {
      fail(field, "must be a string, not " + std::string(Value::type_name(v.type())));
      return {};
    }
    return std::string(v.str());
  }
  bool boolean(const char* field) {
    const Value& v = e_.body[field];
    if (v.is_null()) return false;
    if (!v.is_bool()) fail(field, "must be true or false");
    return v.as_bool();
  }
  // A file path, made absolute against the folder of the file that defined it.
  std::string path(const char* field) {
    std::string p = str(field);
    if (p.empty() || p[0] == '/') return p;
    return (fs::path(e_.file->dir) / p).string();
  }
  std::string base64(const char* field) {
    const std::string text = str(field);
    if (text.empty()) return {};
    auto bytes = base64_decode(text);
    if (!bytes) fail(field, "not valid base64");  // never the content: it may be a key
    return bytes ? *bytes : std::string();
  }
  void fail(const std::string& field, const std::string& problem) {
    if (!error.empty()) return;
    error = at(*e_.file, key_ + "." + field) + ": " + shown_ + "." + field + ": " + problem;
    if (!context_.empty()) error += " (context \"" + context_ + "\")";
  }
  // For nested fields (exec): the path key below this entry's body.
  const std::string& key() const { return key_; }
  const Entry& entry() const { return e_; }

 private:
  const Entry& e_;
  std::string key_, shown_, context_;
};

std::string server_url(std::string server, bool tls) {
  while (!server.empty() && server.back() == '/') server.pop_back();
  if (!server.empty() && server.find("://") == std::string::npos) {
    server = (tls ? "https://" : "http://") + server;  // client-go's DefaultServerURL
  }
  return server;
}

void read_cluster(Fields& f, RestConfig& rc) {
  rc.server = f.str("server");
  rc.ca_file = f.path("certificate-authority");
  rc.ca_data = f.base64("certificate-authority-data");
  rc.insecure_skip_tls_verify = f.boolean("insecure-skip-tls-verify");
  rc.tls_server_name = f.str("tls-server-name");
  rc.proxy_url = f.str("proxy-url");
  if (!f.error.empty()) return;
  if (!rc.ca_file.empty() && f.has("certificate-authority-data")) {
    f.fail("certificate-authority-data",
           "certificate-authority-data and certificate-authority are both set; keep one");
  } else if (rc.insecure_skip_tls_verify && (!rc.ca_file.empty() || !rc.ca_data.empty())) {
    f.fail("insecure-skip-tls-verify",
           "a certificate authority together with insecure-skip-tls-verify is not allowed");
  }
}

void read_exec(Fields& f, RestConfig& rc) {
  const Value& x = f.value("exec");
  if (!x.is_object()) {
    f.fail("exec", "must be a mapping");
    return;
  }
  auto fail = [&f](const std::string& field, const std::string& problem) {
    f.fail("exec." + field, problem);
  };
  auto text = [&](const char* field) -> std::string {
    const Value& v = x[field];
    if (v.is_null()) return {};
    if (!v.is_string()) fail(field, "must be a string");
    return std::string(v.str());
  };
  ExecConfig e;
  e.api_version = text("apiVersion");
  const bool v1 = e.api_version == "client.authentication.k8s.io/v1";
  if (e.api_version.empty()) {
    fail("apiVersion", "is required (client.authentication.k8s.io/v1 or v1beta1)");
  } else if (e.api_version == "client.authentication.k8s.io/v1alpha1") {
    fail("apiVersion",
         "client.authentication.k8s.io/v1alpha1 is no longer supported by kubectl; use "
         "client.authentication.k8s.io/v1 or v1beta1");
  } else if (!v1 && e.api_version != "client.authentication.k8s.io/v1beta1") {
    fail("apiVersion", "\"" + e.api_version +
                           "\" is not supported; use client.authentication.k8s.io/v1 or v1beta1");
  }
  e.command = text("command");
  if (e.command.empty()) fail("command", "is required");
  if (e.command.find('/') != std::string::npos && e.command[0] != '/') {
    e.command = (fs::path(f.entry().file->dir) / e.command).string();
  }
  const Value& args = x["args"];
  if (!args.is_null() && !args.is_array()) fail("args", "must be a list of strings");
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!args[i].is_string()) fail("args[" + std::to_string(i) + "]", "must be a string");
    e.args.emplace_back(args[i].str());
  }
  const Value& env = x["env"];
  if (!env.is_null() && !env.is_array()) fail("env", "must be a list of {name, value}");
  for (std::size_t i = 0; i < env.size(); ++i) {
    const std::string name(env[i]["name"].str());
    if (name.empty()) fail("env[" + std::to_string(i) + "].name", "is required");
    const Value& value = env[i]["value"];
    if (!value.is_null() && !value.is_string()) {
      fail("env[" + std::to_string(i) + "].value", "must be a string");
    }
    e.env.emplace_back(name, std::string(value.str()));
  }
  const std::string mode = text("interactiveMode");
  if (mode == "Never") {
    e.interactive = ExecConfig::Interactive::kNever;
  } else if (mode == "IfAvailable") {
    e.interactive = ExecConfig::Interactive::kIfAvailable;
  } else if (mode == "Always") {
    e.interactive = ExecConfig::Interactive::kAlways;
  } else if (mode.empty() && v1) {
    fail("interactiveMode",
         "is required in client.authentication.k8s.io/v1 (Never, IfAvailable "
         "or Always)");
  } else if (!mode.empty()) {
    fail("interactiveMode", "\"" + mode + "\" is not Never, IfAvailable or Always");
  }
  const Value& pci = x["provideClusterInfo"];
  if (!pci.is_null() && !pci.is_bool()) fail("provideClusterInfo", "must be true or false");
  e.provide_cluster_info = pci.as_bool();
  e.install_hint = text("installHint");
  rc.exec = std::move(e);
}

void read_user(Fields& f, RestConfig& rc) {
  if (f.has("auth-provider")) {
    const std::string name(f.value("auth-provider")["name"].str());
    f.fail("auth-provider", "auth-provider" + (name.empty() ? "" : " \"" + name + "\"") +
                                " is not supported (kubectl removed the gcp, azure and oidc "
                                "providers); use an exec credential plugin (users[].user.exec)");
    return;
  }
  rc.client_cert_file = f.path("client-certificate");
  rc.client_cert_data = f.base64("client-certificate-data");
  rc.client_key_file = f.path("client-key");
  rc.client_key_data = f.base64("client-key-data");
  rc.token = f.str("token");
  rc.token_file = f.path("tokenFile");
  rc.username = f.str("username");
  rc.password = f.str("password");
  if (f.has("exec")) read_exec(f, rc);
  if (!f.error.empty()) return;
  const bool cert = !rc.client_cert_file.empty() || !rc.client_cert_data.empty();
  const bool key = !rc.client_key_file.empty() || !rc.client_key_data.empty();
  if (!rc.client_cert_file.empty() && !rc.client_cert_data.empty()) {
    f.fail("client-certificate-data",
           "client-certificate-data and client-certificate are both "
           "set; keep one");
  } else if (!rc.client_key_file.empty() && !rc.client_key_data.empty()) {
    f.fail("client-key-data", "client-key-data and client-key are both set; keep one");
  } else if (cert && !key) {
    f.fail(rc.client_cert_data.empty() ? "client-certificate" : "client-certificate-data",
           "a client certificate needs client-key or client-key-data");
  } else if (key && !cert) {
    f.fail(rc.client_key_data.empty() ? "client-key" : "client-key-data",
           "a client key needs client-certificate or client-certificate-data");
  } else if (!rc.token.empty() && (!rc.username.empty() || !rc.password.empty())) {
    f.fail("token",
           "more than one authentication method (token and username/password); only one "
           "is allowed");
  }
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// rest.InClusterConfig: the service account of the pod ktriage runs in.
std::optional<RestConfig> in_cluster(const KubeconfigOptions& options, const KubeEnvironment& env,
                                     std::string& why_not) {
  if (env.service_host.empty() || env.service_port.empty()) {
    why_not = "not running in a pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT unset)";
    return std::nullopt;
  }
  const std::string token_file = env.service_account_dir + "/token";
  if (std::ifstream probe(token_file); !probe) {
    why_not =
        "the service account token " + token_file + " cannot be read: " + std::strerror(errno);
    return std::nullopt;
  }
  RestConfig rc;
  const bool ipv6 = env.service_host.find(':') != std::string::npos;
  rc.server = "https://" + (ipv6 ? "[" + env.service_host + "]" : env.service_host) + ":" +
              env.service_port;
  rc.origin = "in-cluster service account (" + env.service_account_dir + ")";
  rc.token_file = token_file;
  const std::string ca = env.service_account_dir + "/ca.crt";
  if (std::ifstream probe(ca); probe) rc.ca_file = ca;
  rc.ns = options.ns;
  if (rc.ns.empty()) {
    if (std::ifstream in(env.service_account_dir + "/namespace"); in) {
      rc.ns = trim(std::string(std::istreambuf_iterator<char>(in), {}));
    }
  }
  if (rc.ns.empty()) rc.ns = "default";
  return rc;
}

Expected<RestConfig, std::string> resolve(const Merged& m, const KubeconfigOptions& options,
                                          const std::string& files) {
  RestConfig rc;
  const Entry* context = nullptr;
  const std::string context_name = !options.context.empty() ? options.context : m.current_context;
  if (!context_name.empty()) {
    auto it = m.contexts.find(context_name);
    if (it == m.contexts.end()) {
      const std::string from = !options.context.empty()
                                   ? files + ": context \"" + context_name + "\" (from --context)"
                                   : at(*m.current_context_file, "current-context") +
                                         ": current-context \"" + context_name + "\"";
      return Unexpected{from + " is not defined (contexts: " + names(m.contexts) + ")"};
    }
    context = &it->second;
  } else if (options.cluster.empty()) {
    return Unexpected{files +
                      ": no current-context is set and --context was not given (contexts: " +
                      names(m.contexts) + ")"};
  }
  auto context_str = [&](const char* field) {
    return context != nullptr ? std::string(context->body[field].str()) : std::string();
  };
  const std::string where = context != nullptr ? context->file->path : files;
  const std::string ctx = context != nullptr
                              ? "context \"" + context->name + "\"" + line_of(*context)
                              : std::string("the flags");

  const std::string cluster_name =
      !options.cluster.empty() ? options.cluster : context_str("cluster");
  if (cluster_name.empty()) return Unexpected{where + ": " + ctx + " names no cluster"};
  auto cluster = m.clusters.find(cluster_name);
  if (cluster == m.clusters.end()) {
    return Unexpected{where + ": " + ctx + " names cluster \"" + cluster_name + "\"" +
                      (options.cluster.empty() ? "" : " (from --cluster)") +
                      ", which is not defined (clusters: " + names(m.clusters) + ")"};
  }
  const std::string user_name = !options.user.empty() ? options.user : context_str("user");
  const Entry* user = nullptr;
  if (!user_name.empty()) {
    auto it = m.users.find(user_name);
    if (it == m.users.end()) {
      return Unexpected{where + ": " + ctx + " names user \"" + user_name + "\"" +
                        (options.user.empty() ? "" : " (from --user)") +
                        ", which is not defined (users: " + names(m.users) + ")"};
    }
    user = &it->second;
  }

  rc.context = context != nullptr ? context->name : std::string();
  rc.origin = where + (context != nullptr ? ", context " + context->name : std::string());
  Fields cf(cluster->second, "cluster", rc.context);
  read_cluster(cf, rc);
  if (!cf.error.empty()) return Unexpected{cf.error};
  if (rc.server.empty()) {
    return Unexpected{cluster->second.file->path + ": cluster \"" + cluster_name +
                      "\" has no server" +
                      (context != nullptr ? " (context \"" + context->name + "\")" : "")};
  }
  if (user != nullptr) {
    Fields uf(*user, "user", rc.context);
    read_user(uf, rc);
    if (!uf.error.empty()) return Unexpected{uf.error};
  }
  const bool tls = rc.insecure_skip_tls_verify || !rc.ca_file.empty() || !rc.ca_data.empty() ||
                   !rc.client_cert_file.empty() || !rc.client_cert_data.empty();
  rc.server = server_url(rc.server, tls);
  rc.ns = !options.ns.empty() ? options.ns : context_str("namespace");
  if (rc.ns.empty()) rc.ns = "default";
  return rc;
}

}  // namespace

Expected<RestConfig, std::string> load_rest_config(const KubeconfigOptions& options,
                                                   const KubeEnvironment& env) {
  Merged m;
  std::string tried;  // for the message when nothing is found
  std::vector<std::string> paths;
  bool explicit_file = false;
  if (!options.kubeconfig.empty()) {
    paths.push_back(options.kubeconfig);
    explicit_file = true;
  } else if (env.kubeconfig && !split_paths(*env.kubeconfig).empty()) {
    paths = split_paths(*env.kubeconfig);
    tried = "KUBECONFIG=" + *env.kubeconfig + " (no file found)";
  } else if (!env.home.empty()) {
    paths.push_back(env.home + "/.kube/config");
    tried = paths.back() + " (not found)";
  } else {
    tried = "no KUBECONFIG and no HOME";
  }
  std::string files;
  for (const std::string& p : paths) {
    auto f = load_file(p, !explicit_file);
    if (!f) return Unexpected{f.error()};
    if (!*f) continue;
    files += (files.empty() ? "" : ", ") + p;
    m.files.push_back(std::move(*f));
    auto merged = merge(m, *m.files.back());
    if (!merged) return Unexpected{merged.error()};
  }
  if (m.empty() && m.current_context.empty() && options.cluster.empty()) {
    std::string why_not;
    if (auto rc = in_cluster(options, env, why_not)) return *rc;
    if (explicit_file)
      return Unexpected{options.kubeconfig + ": no context, cluster or user is defined"};
    if (!files.empty()) tried = files + " (empty)";
    return Unexpected{"no Kubernetes configuration found: tried " + tried + ", and " + why_not +
                      "; set KUBECONFIG or pass --kubeconfig FILE"};
  }
  return resolve(m, options, files);
}

}  // namespace ktriage
