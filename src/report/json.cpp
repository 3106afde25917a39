#include <fmt/format.h>

#include "core/json_text.h"
#include "report/report.h"
#include "report/scrub.h"

namespace ktriage {
namespace {

class JsonWriter {
 public:
  std::string& out;
  int depth = 0;
  void key(std::string_view k) {
    indent();
    append_json_string(out, k);
    out += ": ";
  }
  void indent() { out.append(static_cast<std::size_t>(depth) * 2, ' '); }
  void str(std::string_view k, std::string_view v, bool comma = true) {
    key(k);
    append_json_string(out, v);
    out += comma ? ",\n" : "\n";
  }
  void num(std::string_view k, long long v, bool comma = true) {
    key(k);
    out += fmt::format("{}{}", v, comma ? ",\n" : "\n");
  }
};

void write_object_ref(JsonWriter& w, const ObjectRef& o) {
  w.out += "{";
  append_json_string(w.out, "kind");
  w.out += ": ";
  append_json_string(w.out, o.kind);
  w.out += ", ";
  append_json_string(w.out, "namespace");
  w.out += ": ";
  append_json_string(w.out, o.ns);
  w.out += ", ";
  append_json_string(w.out, "name");
  w.out += ": ";
  append_json_string(w.out, o.name);
  if (!o.uid.empty()) {
    w.out += ", ";
    append_json_string(w.out, "uid");
    w.out += ": ";
    append_json_string(w.out, o.uid);
  }
  w.out += "}";
}

std::string_view evidence_kind(Evidence::Kind k) {
  switch (k) {
    case Evidence::Kind::kField:
      return "field";
    case Evidence::Kind::kEvent:
      return "event";
    case Evidence::Kind::kLog:
      return "log";
    case Evidence::Kind::kNote:
      return "note";
  }
  return "note";
}

void write_evidence(JsonWriter& w, const Evidence& e, bool last) {
  w.indent();
  w.out += "{";
  std::string parts;
  auto field = [&](std::string_view k, std::string_view v) {
    if (v.empty()) return;
    if (!parts.empty()) parts += ", ";
    append_json_string(parts, k);
    parts += ": ";
    append_json_string(parts, v);
  };
  field("type", evidence_kind(e.kind));
  field("object", e.object);
  field("path", e.path);
  field("reason", e.reason);
  field("value", e.value);
  field("source", e.source);
  if (e.kind == Evidence::Kind::kEvent) parts += fmt::format(", \"count\": {}", e.count);
  if (e.last_seen) field("lastSeen", format_rfc3339(*e.last_seen));
  field("file", e.file);
  if (e.line > 0) parts += fmt::format(", \"line\": {}", e.line);
  if (e.column > 0) parts += fmt::format(", \"column\": {}", e.column);
  w.out += parts;
  w.out += last ? "}\n" : "},\n";
}

}  // namespace

std::string render_json(const Diagnosis& raw) {
  const Diagnosis d = scrub_for_output(raw, /*for_terminal=*/false);
  std::string out;
  JsonWriter w{out};
  out += "{\n";
  w.depth = 1;
  w.num("schemaVersion", kJsonSchemaVersion);
  w.key("input");
  out += "{\n";
  w.depth = 2;
  if (d.input.snapshot_time) w.str("snapshotTime", format_rfc3339(*d.input.snapshot_time));
  w.str("serverVersion", d.input.server_version);
  w.str("scope", d.input.scope);
  w.num("filesRead", static_cast<long long>(d.input.files_read));
  w.num("objects", static_cast<long long>(d.input.objects));
  if (!d.input.notes.empty()) {  // only when there are some: older reports stay byte-equal
    w.key("notes");
    out += "[";
    for (std::size_t i = 0; i < d.input.notes.size(); ++i) {
      if (i > 0) out += ", ";
      append_json_string(out, d.input.notes[i]);
    }
    out += "],\n";
  }
  if (d.input.suppressed > 0) w.num("suppressed", static_cast<long long>(d.input.suppressed));
  w.key("issues");
  out += "[";
  for (std::size_t i = 0; i < d.input.issues.size(); ++i) {
    const InputIssue& is = d.input.issues[i];
    out += i == 0 ? "\n" : ",\n";
    w.depth = 3;
    w.indent();
    out += "{";
    append_json_string(out, "file");
    out += ": ";
    append_json_string(out, is.where.file);
    // 0 for a problem of the whole file (lines count from 1). Not null: schema version 1 has
    // always written numbers here, and consumers do arithmetic on them.
    out += fmt::format(", \"line\": {}, \"column\": {}, \"skipped\": {}, ", is.where.pos.line,
                       is.where.pos.column, is.skipped_file ? "true" : "false");
    append_json_string(out, "message");
    out += ": ";
    append_json_string(out, is.message);
    out += "}";
  }
  w.depth = 2;
  if (!d.input.issues.empty()) {
    out += "\n";
    w.indent();
  }
  out += "]\n";
  w.depth = 1;
  w.indent();
  out += "},\n";
  std::size_t roots = 0;
  for (const Finding& f : d.findings) roots += f.caused_by.empty() ? 1 : 0;
  w.key("summary");
  out += fmt::format("{{\"findings\": {}, \"rootCauses\": {}}},\n", d.findings.size(), roots);
  w.key("findings");
  out += "[";
  for (std::size_t i = 0; i < d.findings.size(); ++i) {
    const Finding& f = d.findings[i];
    out += i == 0 ? "\n" : ",\n";
    w.depth = 2;
    w.indent();
    out += "{\n";
    w.depth = 3;
    w.str("id", f.id);
    w.str("rule", f.rule);
    w.str("catalog", f.catalog);
    w.str("severity", to_string(f.severity));
    w.key("object");
    write_object_ref(w, f.object);
    out += ",\n";
    w.str("summary", f.summary);
    w.key("evidence");
    out += "[\n";
    w.depth = 4;
    for (std::size_t j = 0; j < f.evidence.size(); ++j)
      write_evidence(w, f.evidence[j], j + 1 == f.evidence.size());
    w.depth = 3;
    w.indent();
    out += "],\n";
    w.str("fix", f.fix);
    w.key("links");
    out += "[";
    for (std::size_t j = 0; j < f.links.size(); ++j) {
      if (j > 0) out += ", ";
      append_json_string(out, f.links[j]);
    }
    out += "],\n";
    w.key("causedBy");
    out += "[";
    for (std::size_t j = 0; j < f.caused_by.size(); ++j) {
      if (j > 0) out += ", ";
      append_json_string(out, f.caused_by[j]);
    }
    out += "],\n";
    w.key("alsoAffects");
    out += "[";
    for (std::size_t j = 0; j < f.also_affects.size(); ++j) {
      if (j > 0) out += ", ";
      write_object_ref(w, f.also_affects[j]);
    }
    out += "]\n";
    w.depth = 2;
    w.indent();
    out += "}";
  }
  if (!d.findings.empty()) out += "\n  ";
  out += "]\n}\n";
  return out;
}

}  // namespace ktriage
