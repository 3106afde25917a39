#include "report/scrub.h"

#include <fmt/format.h>

namespace ktriage {

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

Diagnosis scrub_for_output(Diagnosis d, bool for_terminal) {
  auto clean = [for_terminal](std::string& s) {
    s = redact_credentials(s);
    if (for_terminal) s = printable(s);
  };
  for (Finding& f : d.findings) {
    clean(f.summary);
    clean(f.fix);
    clean(f.object.name);
    clean(f.object.ns);
    for (Evidence& e : f.evidence) {
      clean(e.value);
      clean(e.object);
      clean(e.path);
      clean(e.reason);
      clean(e.file);
    }
    for (ObjectRef& o : f.also_affects) {
      clean(o.name);
      clean(o.ns);
    }
  }
  for (InputIssue& i : d.input.issues) {
    clean(i.message);
    clean(i.where.file);
  }
  return d;
}

}  // namespace ktriage
