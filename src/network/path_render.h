// netcheck's output: a PathResult as text (one line per hop, evidence indented, colour only when
// asked) or JSON (schema in docs/netcheck.md). Pure functions; never prints.
#pragma once

#include <string>

#include "network/path.h"

namespace ktriage::network {

/// Text: a header line (FROM -> TO port/proto: the Service port, then "(targetPort N)" when the
/// pods' port differs; "ICMP" for ping), one line per hop ("[ok] service svc/shop/web:
/// ..."), its evidence below, and the verdict line ("reachable" / "blocked at ..." / "undecided
/// at ..."). `color`
/// adds ANSI colours to the verdict tags.
std::string render_path_text(const PathResult& path, bool color);

/// JSON: {"from","to","port" (null for ICMP),"servicePort" (through a Service only),"protocol",
/// "reachable" (null when undecided),"verdict","hops":[{"step","subject","verdict","summary",
/// "evidence":[{"object","path","value"}]}]}.
std::string render_path_json(const PathResult& path);

}  // namespace ktriage::network
