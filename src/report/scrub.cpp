#include "report/scrub.h"

#include <fmt/format.h>

namespace ktriage {

Diagnosis scrub_for_output(Diagnosis d, bool for_terminal) {
  auto clean = [for_terminal](std::string& s) {
    s = redact_credentials(s);
    if (for_terminal) s = printable(s);
  };
  // A fix may span lines (a manifest for kubectl apply -f -): keep its line breaks, which the
  // text report indents, and escape every other control character.
  auto clean_lines = [&clean](std::string& s) {
    std::string out;
    for (std::size_t at = 0; at <= s.size();) {
      const std::size_t nl = std::min(s.find('\n', at), s.size());
      std::string line = s.substr(at, nl - at);
      clean(line);
      out += line;
      if (nl < s.size()) out += '\n';
      at = nl + 1;
    }
    s = std::move(out);
  };
  for (Finding& f : d.findings) {
    clean(f.summary);
    clean_lines(f.fix);
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
