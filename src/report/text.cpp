#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "report/report.h"
#include "report/scrub.h"

namespace ktriage {
namespace {

struct Style {
  bool on;
  std::string_view bold() const { return on ? "\033[1m" : ""; }
  std::string_view dim() const { return on ? "\033[2m" : ""; }
  std::string_view red() const { return on ? "\033[31m" : ""; }
  std::string_view yellow() const { return on ? "\033[33m" : ""; }
  std::string_view cyan() const { return on ? "\033[36m" : ""; }
  std::string_view reset() const { return on ? "\033[0m" : ""; }
  std::string_view of(Severity s) const {
    return s == Severity::kCritical ? red() : s == Severity::kWarning ? yellow() : cyan();
  }
};

std::string_view mark(Severity s) {
  return s == Severity::kCritical  ? "✗ CRITICAL"
         : s == Severity::kWarning ? "! WARNING "
                                   : "i INFO    ";
}

std::string object_text(const ObjectRef& o) {
  return o.ns.empty() ? fmt::format("{} {}", o.kind, o.name)
                      : fmt::format("{} {}/{}", o.kind, o.ns, o.name);
}

// "  (file:line:col)" after a fact read from a file, as much of it as is known; "" without one.
std::string where_text(const Evidence& e) {
  return e.file.empty() ? std::string()
         : e.column > 0 ? fmt::format("  ({}:{}:{})", e.file, e.line, e.column)
         : e.line > 0   ? fmt::format("  ({}:{})", e.file, e.line)
                        : fmt::format("  ({})", e.file);
}

std::string evidence_text(const Evidence& e) {
  switch (e.kind) {
    case Evidence::Kind::kField:
      return fmt::format("{}{}{}: {}{}", e.object, e.object.empty() ? "" : " ", e.path, e.value,
                         where_text(e));
    case Evidence::Kind::kEvent: {
      std::string where = e.file.empty() ? "" : fmt::format("  ({}:{})", e.file, e.line);
      return fmt::format("{}event {} ×{}{}{}: {}{}", e.object.empty() ? "" : e.object + " ",
                         e.reason, e.count,
                         e.last_seen ? " (last " + format_utc_minute(*e.last_seen) + ")" : "",
                         e.source.empty() ? "" : " " + e.source, e.value, where);
    }
    case Evidence::Kind::kLog:
      return fmt::format("{}:{}: {}", e.file, e.line, e.value);
    case Evidence::Kind::kNote:
      return e.value + where_text(e);  // a syntax error's note says where it is
  }
  return e.value;
}

void append_line(std::string& lines, std::string_view line) {
  if (!lines.empty()) lines += '\n';
  lines += line;
}

// Writes `text` after a label, continuing lines aligned under the first.
void labelled(std::string& out, std::string_view label, const std::string& text, const Style& st) {
  out += fmt::format("  {}{:<10}{}", st.dim(), label, st.reset());
  std::size_t pos = 0;
  bool first = true;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line =
        std::string_view(text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!first) out += std::string(12, ' ');
    out += line;
    out += '\n';
    first = false;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
}

}  // namespace

LostInput lost_input(const InputSummary& input) {
  LostInput out;
  for (const InputIssue& is : input.issues) {
    if (!is.skipped_file) ++out.errors;
    if (is.skipped_file && is.unreadable) ++out.unreadable;
  }
  return out;
}

std::string render_text(const Diagnosis& raw, const TextOptions& options) {
  const Diagnosis d = scrub_for_output(raw, /*for_terminal=*/true);
  Style st{options.color};
  std::string out;
  std::size_t roots = 0, problems = 0;
  for (const Finding& f : d.findings) {
    if (f.severity == Severity::kInfo && !options.show_info) continue;
    ++problems;
    roots += f.caused_by.empty() ? 1 : 0;
  }
  std::string when;
  if (d.input.snapshot_time && *d.input.snapshot_time > 0) {
    when = fmt::format("{} {}", d.input.time_from_flag ? "as of" : "snapshot taken",
                       format_utc_minute(*d.input.snapshot_time));
  }
  if (!d.input.server_version.empty())
    when += (when.empty() ? "" : ", ") + std::string("Kubernetes ") + d.input.server_version;
  std::string tail = when.empty() ? "" : " (" + when + ")";
  // With input problems no headline is a clean bill of health: it covers what was read. Files
  // skipped by choice (binary, describe text) do not count; unreadable ones do. The words
  // match the sections below: "Input problems", "Could not read N files" and "Skipped N files".
  const LostInput lost = lost_input(d.input);
  std::string partial;
  if (lost.errors > 0)
    partial = fmt::format("{} input problem{}", lost.errors, lost.errors == 1 ? "" : "s");
  if (lost.unreadable > 0) {
    partial += fmt::format("{}{} file{} that could not be read", partial.empty() ? "" : " and ",
                           lost.unreadable, lost.unreadable == 1 ? "" : "s");
  }
  const std::string partial_tail = partial.empty() ? "" : "; " + partial + " below";
  if (problems == 0 && d.input.objects == 0 && d.input.files_read == 0 && !d.input.issues.empty()) {
    // Not a clean bill of health: the problems below stopped every read.
    out += fmt::format("{}Nothing could be read{} in {}: see the problems below.{}\n", st.bold(),
                       "", d.input.scope, st.reset());
  } else if (problems == 0) {
    out +=
        fmt::format("{}No problems found{} in {}{}{}: {} object{} from {} file{}{}.{}\n", st.bold(),
                    "", partial.empty() ? "" : "what could be read of ", d.input.scope, tail,
                    d.input.objects, d.input.objects == 1 ? "" : "s", d.input.files_read,
                    d.input.files_read == 1 ? "" : "s", partial_tail, st.reset());
  } else if (roots == problems) {
    // Nothing explains anything else (lint, or unrelated faults): no "N root causes explain N".
    out += fmt::format("{}{} problem{} in {}{}{}{}\n", st.bold(), problems,
                       problems == 1 ? "" : "s", d.input.scope, tail, partial_tail, st.reset());
  } else {
    out += fmt::format("{}{} root cause{} explain{} {} problem{} in {}{}{}{}\n", st.bold(), roots,
                       roots == 1 ? "" : "s", roots == 1 ? "s" : "", problems,
                       problems == 1 ? "" : "s", d.input.scope, tail, partial_tail, st.reset());
  }
  if (d.input.suppressed > 0) {
    out +=
        fmt::format("{}{} finding{} suppressed (ktriage.io/ignore annotations, .ktriage.yaml){}\n",
                    st.dim(), d.input.suppressed, d.input.suppressed == 1 ? "" : "s", st.reset());
  }

  for (const std::string& note : d.input.notes)
    out += fmt::format("{}note: {}{}\n", st.dim(), note, st.reset());

  // One finding's block. A root lists what it explains; a symptom of `why`'s subject lists
  // the chain of causes that leads to its root instead.
  auto block = [&](const Finding& f) {
    out += '\n';
    out += fmt::format("{}{}{}  {}{}{}  {}[{}]{}\n", st.of(f.severity), mark(f.severity),
                       st.reset(), st.bold(), f.summary, st.reset(), st.dim(),
                       f.catalog.empty() || options.rule_ids ? f.rule : f.catalog, st.reset());
    std::string object = object_text(f.object);
    if (!f.also_affects.empty()) {
      object += fmt::format("  (also {}", f.also_affects.front().name);
      for (std::size_t i = 1; i < f.also_affects.size() && i < 4; ++i)
        object += ", " + f.also_affects[i].name;
      if (f.also_affects.size() > 4) object += fmt::format(", +{} more", f.also_affects.size() - 4);
      object += ")";
    }
    labelled(out, "object:", object, st);
    const auto chain = cause_chain(d, f);
    if (!chain.empty()) {
      std::string lines;
      for (const Finding* c : chain) append_line(lines, c->summary);
      lines += "  (root cause, below)";
      labelled(out, "because:", lines, st);
    }
    auto symptoms = all_symptoms_of(d, f.id);
    if (!symptoms.empty()) {
      std::string lines;
      for (const Finding* s : symptoms) append_line(lines, s->summary);
      labelled(out, "explains:", lines, st);
    }
    if (!f.evidence.empty()) {
      std::string lines;
      for (const Evidence& e : f.evidence) append_line(lines, evidence_text(e));
      labelled(out, "evidence:", lines, st);
    }
    if (!f.fix.empty()) labelled(out, "fix:", f.fix, st);
    if (!f.links.empty()) labelled(out, "docs:", f.links.front(), st);
  };
  if (d.input.subject) {
    for (const Finding& f : d.findings) {
      // Grouped findings name one pod and list its siblings in also_affects: a sibling asked
      // about is as much the subject as the pod named.
      const bool about_subject =
          f.object == *d.input.subject || std::find(f.also_affects.begin(), f.also_affects.end(),
                                                    *d.input.subject) != f.also_affects.end();
      if (f.caused_by.empty() || !about_subject) continue;
      if (f.severity == Severity::kInfo && !options.show_info) continue;
      block(f);
    }
  }
  for (const Finding& f : d.findings) {
    if (!f.caused_by.empty()) continue;
    if (f.severity == Severity::kInfo && !options.show_info) continue;
    block(f);
  }

  // Three sections, as the headline counts them: problems inside what was read, files that could
  // not be read (the snapshot is incomplete), files left out by choice.
  std::vector<const InputIssue*> errors, unreadable, skipped;
  for (const InputIssue& is : d.input.issues) {
    (!is.skipped_file ? errors : is.unreadable ? unreadable : skipped).push_back(&is);
  }
  if (!errors.empty()) {
    out += fmt::format("\n{}Input problems ({}):{}\n", st.yellow(), errors.size(), st.reset());
    for (const InputIssue* is : errors)
      out += fmt::format("  {}: {}\n", is->where.to_string(), is->message);
  }
  if (!unreadable.empty()) {
    out += fmt::format("\n{}Could not read {} file{}:{}\n", st.yellow(), unreadable.size(),
                       unreadable.size() == 1 ? "" : "s", st.reset());
    for (const InputIssue* is : unreadable)
      out += fmt::format("  {} ({})\n", is->where.to_string(), is->message);
  }
  if (!skipped.empty()) {
    out += fmt::format("\n{}Skipped {} file{}:{}", st.dim(), skipped.size(),
                       skipped.size() == 1 ? "" : "s", st.reset());
    std::size_t shown = 0;
    for (const InputIssue* is : skipped) {
      if (shown++ >= 20) {
        out += fmt::format("\n  ... and {} more (-o json lists them all)", skipped.size() - 20);
        break;
      }
      out += fmt::format("\n  {} ({})", is->where.to_string(), is->message);
    }
    out += '\n';
  }
  return out;
}

}  // namespace ktriage
