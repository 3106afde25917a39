#include "live/page.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <tuple>

#include "core/json_text.h"
#include "core/redact.h"

namespace ktriage {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Items are written as kubectl prints a List's items (an item opens on a line of eight spaces
// and `{`, and closes on one of eight spaces and `}`), with the members compact in between: the
// loader then splits a large List on all cores (load/list_split.h) and each item has a line.
constexpr std::string_view kItemOpen = "        {\n";
constexpr std::string_view kItemClose = "\n        }";

constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

class RedactingWriter {
 public:
  RedactingWriter(std::string& out, PageKind kind, bool secret_values = false)
      : out_(out), kind_(kind), secret_values_(secret_values || kind == PageKind::kSecretMeta) {}

  void item(element e) { write(e, 0); }

  // A row of a Table answer (Secrets): the row's object metadata and the Type column.
  void table_row(element object, std::string_view kind, std::string_view api_version,
                 std::string_view type) {
    out_ += kItemOpen;
    out_ += "\"kind\":";
    append_json_string(out_, kind);
    out_ += ",\"apiVersion\":";
    append_json_string(out_, api_version);
    out_ += ",\"metadata\":";
    simdjson::dom::object meta;
    if (object["metadata"].get_object().get(meta) == simdjson::SUCCESS) {
      metadata(meta, true);
    } else {
      out_ += "{}";
    }
    if (!type.empty()) {
      out_ += ",\"type\":";
      append_json_string(out_, type);
    }
    out_ += kItemClose;
  }

  // A list item in kubectl's layout (see kItemOpen): its kind and apiVersion first when the
  // server left them out (or when they are PartialObjectMetadata's), then its members.
  void list_item(element e, std::string_view kind, std::string_view api_version) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
      write(e, 0);
      return;
    }
    std::string_view own_kind;
    const bool has_kind = obj["kind"].get_string().get(own_kind) == simdjson::SUCCESS &&
                          own_kind != "PartialObjectMetadata";
    out_ += kItemOpen;
    bool first = true;
    if (!has_kind && !kind.empty()) {
      key("kind", first);
      append_json_string(out_, kind);
      key("apiVersion", first);
      append_json_string(out_, api_version);
    }
    members(obj, 0, first);
    out_ += kItemClose;
  }

 private:
  std::string& out_;
  PageKind kind_;
  bool secret_values_;  // the document is a Secret: data values never pass

  void scalar(element e) {
    switch (e.type()) {
      case element_type::STRING:
        append_json_string(out_, std::string_view(e.get_string().value_unsafe()));
        break;
      case element_type::INT64:
        out_ += fmt::format_int(e.get_int64().value_unsafe()).str();
        break;
      case element_type::UINT64:
        out_ += fmt::format_int(e.get_uint64().value_unsafe()).str();
        break;
      case element_type::BOOL:
        out_ += e.get_bool().value_unsafe() ? "true" : "false";
        break;
      case element_type::NULL_VALUE:
        out_ += "null";
        break;
      default:  // doubles: simdjson prints the shortest text that reads back the same
        out_ += simdjson::minify(e);
        break;
    }
  }

  void masked_string(element e) {
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS) {
      append_json_string(out_, redact_credentials(s, Placeholders::kMask));
    } else {
      write(e, 1);
    }
  }

  void key(std::string_view k, bool& first) {
    if (!first) out_.push_back(',');
    first = false;
    append_json_string(out_, k);
    out_.push_back(':');
  }

  // env: [{name, value | valueFrom}]: a value whose name says credential is masked whole.
  void env(simdjson::dom::array items) {
    out_.push_back('[');
    bool first_item = true;
    for (element var : items) {
      if (!first_item) out_.push_back(',');
      first_item = false;
      simdjson::dom::object obj;
      if (var.get_object().get(obj) != simdjson::SUCCESS) {
        write(var, 1);
        continue;
      }
      std::string_view name;
      std::ignore = obj["name"].get_string().get(name);
      out_.push_back('{');
      bool first = true;
      for (auto field : obj) {
        key(field.key, first);
        std::string_view v;
        if (field.key == "value" && field.value.get_string().get(v) == simdjson::SUCCESS) {
          append_json_string(out_, is_sensitive_name(name) && !v.empty()
                                       ? kRedacted
                                       : redact_credentials(v, Placeholders::kMask));
        } else {
          write(field.value, 1);
        }
      }
      out_.push_back('}');
    }
    out_.push_back(']');
  }

  // args / command: each string masked; and the word after a flag such as "--password" or
  // "-token" (the value given as the next argument) masked whole.
  void string_list(simdjson::dom::array items) {
    out_.push_back('[');
    bool first = true;
    bool after_secret_flag = false;
    for (element e : items) {
      if (!first) out_.push_back(',');
      first = false;
      std::string_view s;
      if (e.get_string().get(s) != simdjson::SUCCESS) {
        write(e, 1);
        after_secret_flag = false;
        continue;
      }
      if (after_secret_flag && !s.starts_with("-") && !s.empty()) {
        append_json_string(out_, kRedacted);
      } else {
        append_json_string(out_, redact_credentials(s, Placeholders::kMask));
      }
      std::string_view flag = s;
      while (flag.starts_with("-")) flag.remove_prefix(1);
      after_secret_flag =
          s.starts_with("-") && s.find('=') == std::string_view::npos && is_sensitive_name(flag);
    }
    out_.push_back(']');
  }

  void annotations(simdjson::dom::object obj, bool mark) {
    out_.push_back('{');
    bool first = true;
    for (auto field : obj) {
      key(field.key, first);
      std::string_view v;
      if (field.value.get_string().get(v) != simdjson::SUCCESS) {
        write(field.value, 1);
      } else if (field.key == kLastApplied) {
        append_json_string(out_, redact_json_text(v));
      } else if (is_sensitive_name(field.key) && !v.empty()) {
        append_json_string(out_, kRedacted);
      } else {
        append_json_string(out_, redact_credentials(v, Placeholders::kMask));
      }
    }
    if (mark) {
      key(kDataNotCollectedAnnotation, first);
      append_json_string(out_, "not-collected");
    }
    out_.push_back('}');
  }

  // An object's metadata (`top`: the item's own, where a metadata-only Secret is marked; else a
  // pod template's): annotations masked, managedFields dropped.
  void metadata(simdjson::dom::object obj, bool top) {
    const bool mark = top && kind_ == PageKind::kSecretMeta;
    bool marked = false;
    out_.push_back('{');
    bool first = true;
    for (auto field : obj) {
      if (field.key == "managedFields") continue;  // server bookkeeping, often half the bytes
      key(field.key, first);
      simdjson::dom::object ann;
      if (field.key == "annotations" && field.value.get_object().get(ann) == simdjson::SUCCESS) {
        annotations(ann, mark);
        marked = true;
      } else {
        write(field.value, 1);
      }
    }
    if (mark && !marked) {
      key("annotations", first);
      out_ += fmt::format("{{\"{}\":\"not-collected\"}}", kDataNotCollectedAnnotation);
    }
    out_.push_back('}');
  }

  // Secret data that arrived although only metadata was asked for: keys kept, values dropped.
  void key_names_only(simdjson::dom::object obj) {
    out_.push_back('{');
    bool first = true;
    for (auto field : obj) {
      key(field.key, first);
      out_ += "\"\"";
    }
    out_.push_back('}');
  }

  void map_of_masked(simdjson::dom::object obj) {
    out_.push_back('{');
    bool first = true;
    for (auto field : obj) {
      key(field.key, first);
      masked_string(field.value);
    }
    out_.push_back('}');
  }

  void write(element e, int depth) {
    simdjson::dom::object obj;
    simdjson::dom::array arr;
    if (e.get_array().get(arr) == simdjson::SUCCESS) {
      out_.push_back('[');
      bool first = true;
      for (element child : arr) {
        if (!first) out_.push_back(',');
        first = false;
        write(child, depth + 1);
      }
      out_.push_back(']');
      return;
    }
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
      scalar(e);
      return;
    }
    out_.push_back('{');
    bool first = true;
    members(obj, depth, first);
    out_.push_back('}');
  }

  // The members of an object, with the masks that depend on where they are (`depth` 0 is an
  // item's top level), after `first` says whether a comma is needed.
  void members(simdjson::dom::object obj, int depth, bool& first) {
    for (auto field : obj) {
      const std::string_view k = field.key;
      if (depth == 0) {
        if (kind_ == PageKind::kSecretMeta && (k == "kind" || k == "apiVersion")) {
          std::string_view v;
          if (field.value.get_string().get(v) == simdjson::SUCCESS &&
              v != "PartialObjectMetadata" && v != "meta.k8s.io/v1") {
            key(k, first);
            append_json_string(out_, v);
          }
          continue;
        }
        simdjson::dom::object data;
        if (secret_values_ && (k == "data" || k == "stringData") &&
            field.value.get_object().get(data) == simdjson::SUCCESS) {
          key(k, first);
          key_names_only(data);
          continue;
        }
        if (kind_ == PageKind::kConfigMap && k == "data" &&
            field.value.get_object().get(data) == simdjson::SUCCESS) {
          key(k, first);
          map_of_masked(data);
          continue;
        }
        if (k == "binaryData" && field.value.get_object().get(data) == simdjson::SUCCESS) {
          key(k, first);
          key_names_only(data);  // opaque bytes: nothing diagnosis reads, anything may hide there
          continue;
        }
        if (kind_ == PageKind::kEvent && k == "note") {  // "message" is masked anywhere, below
          key(k, first);
          masked_string(field.value);
          continue;
        }
      }
      simdjson::dom::object meta;
      if (k == "metadata" && field.value.get_object().get(meta) == simdjson::SUCCESS) {
        key(k, first);
        metadata(meta, depth == 0);  // pod templates have annotations too
        continue;
      }
      if (k == "managedFields") continue;
      std::string_view text;
      if (k == "message" && field.value.get_string().get(text) == simdjson::SUCCESS) {
        // Termination messages, condition and status messages: free text a program wrote.
        key(k, first);
        append_json_string(out_, redact_credentials(text, Placeholders::kMask));
        continue;
      }
      key(k, first);
      simdjson::dom::array list;
      if (k == "env" && field.value.get_array().get(list) == simdjson::SUCCESS) {
        env(list);
      } else if ((k == "args" || k == "command") &&
                 field.value.get_array().get(list) == simdjson::SUCCESS) {
        string_list(list);
      } else {
        write(field.value, depth + 1);
      }
    }
  }
};

bool waiting_failed(std::string_view reason) {
  return reason == "CrashLoopBackOff" || reason == "RunContainerError" || reason == "Error" ||
         reason == "CreateContainerError";
}

// An Ingress controller's image: ingress-nginx (registry.k8s.io/ingress-nginx/controller), the
// older nginx-ingress-controller, ACK's aliyun-ingress-controller and ALB controllers.
bool ingress_controller_image(std::string_view image) {
  return image.find("ingress") != std::string_view::npos &&
         (image.find("controller") != std::string_view::npos ||
          image.find("ingress-nginx") != std::string_view::npos);
}

// Containers worth a log: restarted, crash-looping, ended with a non-zero exit code, or running
// but not ready; and
// Ingress controllers, whose logs name the Services they cannot route to.
void note_wanted_logs(element pod, std::vector<WantedLog>& out) {
  std::string_view ns, name;
  std::ignore = pod["metadata"]["namespace"].get_string().get(ns);
  std::ignore = pod["metadata"]["name"].get_string().get(name);
  for (const char* field : {"initContainerStatuses", "containerStatuses"}) {
    simdjson::dom::array statuses;
    if (pod["status"][field].get_array().get(statuses) != simdjson::SUCCESS) continue;
    for (element st : statuses) {
      std::string_view container, reason;
      int64_t restarts = 0, exit_code = 0;
      std::ignore = st["name"].get_string().get(container);
      std::ignore = st["restartCount"].get_int64().get(restarts);
      std::ignore = st["state"]["waiting"]["reason"].get_string().get(reason);
      const bool failed_exit =
          st["state"]["terminated"]["exitCode"].get_int64().get(exit_code) == simdjson::SUCCESS &&
          exit_code != 0;
      // Running but not ready: its readiness probe fails, and its log usually says why.
      bool ready = true;
      const bool unready = st["state"]["running"].error() == simdjson::SUCCESS &&
                           st["ready"].get_bool().get(ready) == simdjson::SUCCESS && !ready;
      if (container.empty() || !(restarts > 0 || waiting_failed(reason) || failed_exit || unready))
        continue;
      out.push_back(WantedLog{std::string(ns), std::string(name), std::string(container),
                              restarts > 0, true});
    }
  }
  simdjson::dom::array containers;
  if (pod["spec"]["containers"].get_array().get(containers) != simdjson::SUCCESS) return;
  for (element c : containers) {
    std::string_view container, image;
    std::ignore = c["name"].get_string().get(container);
    std::ignore = c["image"].get_string().get(image);
    if (!container.empty() && ingress_controller_image(image))
      out.push_back(
          WantedLog{std::string(ns), std::string(name), std::string(container), false, false});
  }
}

}  // namespace

std::string append_page(std::string_view body, PageKind kind, std::string_view item_kind,
                        std::string_view api_version, std::string& out, PageInfo& info) {
  simdjson::dom::parser parser;
  element doc;
  if (auto err = parser.parse(body.data(), body.size()).get(doc); err != simdjson::SUCCESS)
    return simdjson::error_message(err);
  std::string_view cont;
  if (doc["metadata"]["continue"].get_string().get(cont) == simdjson::SUCCESS)
    info.continue_token = std::string(cont);
  else
    info.continue_token.clear();
  RedactingWriter writer(out, kind);
  std::string_view doc_kind;
  if (doc["kind"].get_string().get(doc_kind) == simdjson::SUCCESS && doc_kind == "Table") {
    // kubectl's table form (as=Table;includeObject=Metadata): metadata plus printed columns,
    // which for Secrets include the Type and never the data.
    std::size_t type_column = SIZE_MAX, index = 0;
    simdjson::dom::array columns, rows;
    if (doc["columnDefinitions"].get_array().get(columns) == simdjson::SUCCESS) {
      for (element c : columns) {
        std::string_view name;
        if (c["name"].get_string().get(name) == simdjson::SUCCESS && name == "Type")
          type_column = index;
        ++index;
      }
    }
    if (doc["rows"].get_array().get(rows) != simdjson::SUCCESS) return "a Table without rows";
    for (element row : rows) {
      std::string_view type;
      if (type_column != SIZE_MAX)
        std::ignore = row["cells"].at(type_column).get_string().get(type);
      element object;
      if (row["object"].get(object) != simdjson::SUCCESS) continue;  // includeObject=None
      if (!out.empty() && out.back() != '\n') out += ",\n";
      writer.table_row(object, item_kind, api_version, type);
      ++info.items;
    }
    return {};
  }
  simdjson::dom::array items;
  auto items_error = doc["items"].get_array().get(items);
  if (items_error == simdjson::NO_SUCH_FIELD) {
    // Lists with no items omit the field? The API server writes "items": []; be lenient.
  } else if (items_error != simdjson::SUCCESS) {
    return "not a List (no items array)";
  }
  if (items_error != simdjson::SUCCESS) return {};
  for (element item : items) {
    if (!out.empty() && out.back() != '\n') out += ",\n";
    writer.list_item(item, item_kind, api_version);
    ++info.items;
    if (kind == PageKind::kPod) note_wanted_logs(item, info.wanted);
  }
  return {};
}

std::string redact_json_text(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS)
    return redact_credentials(json, Placeholders::kMask);
  std::string_view kind;
  std::ignore = doc["kind"].get_string().get(kind);
  std::string out;
  out.reserve(json.size());
  RedactingWriter writer(out, kind == "ConfigMap" ? PageKind::kConfigMap : PageKind::kGeneric,
                         kind == "Secret");
  writer.item(doc);
  return out;
}

}  // namespace ktriage
