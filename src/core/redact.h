// Credentials hidden in free text (log lines, applied manifests, env values): shared by every
// report and by `ktriage collect`, which masks them before anything is written to a bundle.
#pragma once

#include <string>
#include <string_view>

namespace ktriage {

/// Whether values that look like fill-in placeholders ("PASSWORD", "<token>", "$TOKEN") are kept:
/// reports keep them (fix texts show them), `collect` masks everything (a real password can be
/// all capitals or start with `$`).
enum class Placeholders { kKeep, kMask };

/// `text` with credentials replaced by "***": the password of `scheme://user:password@host`,
/// the value after `password`, `passwd`, `pass`, `pwd`, `secret`, `token`, `api_key`/`apikey`,
/// `access_key` or `private_key` (any case; `-` or `.` for `_`) followed by `=` or `:`, and the
/// token after `Bearer ` or `Authorization: Basic `. O(len(text)).
std::string redact_credentials(std::string_view text,
                               Placeholders placeholders = Placeholders::kKeep);

/// True when a variable, key or annotation name says its value is a credential: it contains
/// PASS (PASSWORD, PASSWD), PWD, SECRET, TOKEN, CREDENTIAL, APIKEY, PRIVATE_KEY, ACCESS_KEY or
/// AUTH, or ends in KEY (any case, `-` and `.` count as `_`). "DB_PASSWORD", "aws-secret-key".
bool is_sensitive_name(std::string_view name);

/// The mask written in place of a whole value.
inline constexpr std::string_view kRedacted = "***";

}  // namespace ktriage
