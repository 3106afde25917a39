#include "report/junit.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "core/utf8.h"
#include "report/scrub.h"

namespace ktriage {
namespace {

// Length of the valid UTF-8 sequence at `s[i]` that XML 1.0 may carry, or 0.
std::size_t valid_sequence(std::string_view s, std::size_t i) {
  std::uint32_t cp = 0;
  const std::size_t n = utf8_sequence(s, i, &cp);
  return cp == 0xFFFE || cp == 0xFFFF ? 0 : n;
}

std::string text(std::string_view s) { return xml_safe_utf8(s); }

std::string object_text(const ObjectRef& o) {
  return o.ns.empty() ? fmt::format("{} {}", o.kind, o.name)
                      : fmt::format("{} {}/{}", o.kind, o.ns, o.name);
}

// Where a finding is: its first evidence with a file.
const Evidence* located(const Finding& f) {
  for (const Evidence& e : f.evidence) {
    if (!e.file.empty()) return &e;
  }
  return nullptr;
}

std::string place(const Evidence& e) {
  if (e.column > 0) return fmt::format("{}:{}:{}", e.file, e.line, e.column);
  if (e.line > 0) return fmt::format("{}:{}", e.file, e.line);
  return e.file;
}

// One test case: an object and a rule, with its findings in report order.
struct Case {
  std::string name;
  std::vector<const Finding*> findings;
  std::vector<const InputIssue*> issues;
};

struct Suite {
  std::vector<Case> cases;
  std::map<std::string, std::size_t> by_name;
  Case& at(const std::string& name) {
    auto [it, added] = by_name.emplace(name, cases.size());
    if (added) cases.push_back(Case{name, {}, {}});
    return cases[it->second];
  }
};

std::string failure_body(const Case& c) {
  std::string body;
  for (const Finding* f : c.findings) {
    body += fmt::format("[{}] {}\n", to_string(f->severity), f->summary);
    for (const Evidence& e : f->evidence) {
      if (!e.file.empty()) body += fmt::format("  at {} {}\n", place(e), e.path);
    }
    if (!f->fix.empty()) body += fmt::format("  fix: {}\n", f->fix);
  }
  return body;
}

// A file left out by choice (a notes.txt, a binary, `kubectl describe` text): the run is whole
// without it, as the text report's "Skipped N files" says, so it is no error.
bool skipped_by_choice(const InputIssue& i) { return i.skipped_file && !i.unreadable; }

void write_case(pugi::xml_node suite, const std::string& file, const Case& c, int& failures,
                int& errors, int& skipped) {
  pugi::xml_node tc = suite.append_child("testcase");
  tc.append_attribute("classname") = text(file).c_str();
  tc.append_attribute("name") = text(c.name).c_str();
  if (!c.issues.empty()) {
    const InputIssue& i = *c.issues.front();
    if (std::all_of(c.issues.begin(), c.issues.end(),
                    [](const InputIssue* is) { return skipped_by_choice(*is); })) {
      ++skipped;
      tc.append_child("skipped").append_attribute("message") = text(i.message).c_str();
      return;
    }
    ++errors;
    pugi::xml_node err = tc.append_child("error");
    err.append_attribute("message") = text(i.message).c_str();
    err.append_attribute("type") = "input";
    std::string body;
    for (const InputIssue* is : c.issues) {
      body += is->where.pos.line == 0
                  ? fmt::format("{}: {}\n", is->where.file, is->message)
                  : fmt::format("{}:{}:{}: {}\n", is->where.file, is->where.pos.line,
                                is->where.pos.column, is->message);
    }
    err.text() = text(body).c_str();
    return;
  }
  const Finding* worst = c.findings.front();
  for (const Finding* f : c.findings) {
    if (f->severity > worst->severity) worst = f;
  }
  if (const Evidence* e = located(*worst); e != nullptr && e->line > 0) {
    tc.append_attribute("file") = text(e->file).c_str();
    tc.append_attribute("line") = e->line;
  }
  if (worst->severity >= Severity::kWarning) {
    ++failures;
    pugi::xml_node fail = tc.append_child("failure");
    fail.append_attribute("message") = text(worst->summary).c_str();
    fail.append_attribute("type") = text(worst->rule).c_str();
    fail.text() = text(failure_body(c)).c_str();
  } else {
    tc.append_child("system-out").text() = text(failure_body(c)).c_str();
  }
}

}  // namespace

std::string xml_safe_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = valid_sequence(s, i);
    if (n == 0) {
      out += kUtf8Replacement;
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string render_junit(const Diagnosis& raw) {
  // for_terminal: control characters become visible escapes, since XML 1.0 has no way to carry
  // them (not even as character references).
  const Diagnosis d = scrub_for_output(raw, /*for_terminal=*/true);
  std::map<std::string, Suite> suites;  // by file name: sorted, so deterministic
  for (const Finding& f : d.findings) {
    const Evidence* e = located(f);
    Suite& s = suites[e != nullptr ? e->file : "(no file)"];
    s.at(fmt::format("{}: {}", object_text(f.object), f.rule)).findings.push_back(&f);
  }
  for (const InputIssue& i : d.input.issues) {
    Suite& s = suites[i.where.file.empty() ? "(no file)" : i.where.file];
    const std::string where =
        i.where.pos.line == 0
            ? i.where.file
            : fmt::format("{}:{}:{}", i.where.file, i.where.pos.line, i.where.pos.column);
    s.at("input: " + where).issues.push_back(&i);
  }

  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("testsuites");
  root.append_attribute("name") = "ktriage";
  int tests = 0, failures = 0, errors = 0;
  if (suites.empty()) {
    pugi::xml_node suite = root.append_child("testsuite");
    suite.append_attribute("name") = "ktriage";
    suite.append_attribute("tests") = 1;
    suite.append_attribute("failures") = 0;
    suite.append_attribute("errors") = 0;
    suite.append_attribute("skipped") = 0;
    pugi::xml_node tc = suite.append_child("testcase");
    tc.append_attribute("classname") = "ktriage";
    tc.append_attribute("name") = text(fmt::format("no findings ({})", d.input.scope)).c_str();
    tests = 1;
  }
  for (const auto& [file, s] : suites) {
    pugi::xml_node suite = root.append_child("testsuite");
    suite.append_attribute("name") = text(file).c_str();
    int f = 0, e = 0, k = 0;
    for (const Case& c : s.cases) write_case(suite, file, c, f, e, k);
    suite.append_attribute("tests") = static_cast<unsigned>(s.cases.size());
    suite.append_attribute("failures") = f;
    suite.append_attribute("errors") = e;
    suite.append_attribute("skipped") = k;
    tests += static_cast<int>(s.cases.size());
    failures += f;
    errors += e;
  }
  root.append_attribute("tests") = tests;
  root.append_attribute("failures") = failures;
  root.append_attribute("errors") = errors;
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

}  // namespace ktriage
