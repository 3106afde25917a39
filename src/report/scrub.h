// What every report does to the text it prints, whatever the format: hide credentials that a
// log line or an applied manifest carries (a DSN's password, `password=...`, a bearer token), and
// for terminals, make control characters visible so that a hostile event message cannot clear the
// screen or retitle the window. Secret objects are scrubbed at load; this catches the rest.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnosis.h"
#include "core/printable.h"
#include "core/redact.h"

namespace ktriage {

/// Applies redact_credentials (and, when `for_terminal`, printable) to every string of `d` that
/// comes from the snapshot: summaries, evidence, fixes, input problems.
Diagnosis scrub_for_output(Diagnosis d, bool for_terminal);

}  // namespace ktriage
