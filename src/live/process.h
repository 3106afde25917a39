// Running a program and capturing what it prints: PATH lookup as Go's exec.LookPath, spawn with
// a deadline, stdout and stderr read without blocking each other. Used by exec credential
// plugins and by `collect --cloud` (the aliyun CLI). Never interprets the output.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"

namespace ktriage {

/// What a finished (or killed) process left.
struct ProcessResult {
  int status = 0;  ///< as waitpid returns it (WIFEXITED, WEXITSTATUS, ...)
  bool timed_out = false;
  std::string out, err;  ///< stdout; stderr when it was captured
  /// The program wrote more than `max_output` bytes to stdout / stderr: the rest was read and
  /// dropped, so `out` / `err` is cut (the caller must say so, never use it as whole).
  bool out_truncated = false, err_truncated = false;
};

/// exec.LookPath: a command with a '/' is used as is, else the first executable regular file
/// named `command` in a PATH folder (relative PATH entries are ignored, as Go does). nullopt
/// when there is none. O(PATH entries).
std::optional<std::string> look_path(const std::string& command);

/// Spawns `path` with `argv` and `env` ("NAME=value"); stdin /dev/null and stderr captured
/// unless `interactive` (then both are the terminal's). Reads stdout (and stderr) until both
/// close or `timeout_ms` passes, keeping at most `max_output` bytes of each (and setting
/// out_truncated / err_truncated when more came); on timeout kills
/// the process (its whole group when not interactive) and sets timed_out. Error text only when
/// it cannot be started (pipes, posix_spawn).
Expected<ProcessResult, std::string> run_process(const std::string& path,
                                                 const std::vector<std::string>& argv,
                                                 const std::vector<std::string>& env,
                                                 bool interactive, int timeout_ms,
                                                 std::size_t max_output);

/// The environment of this process as "NAME=value" entries. O(variables).
std::vector<std::string> current_environment();

/// The first `lines` non-empty lines of `text` joined by " | ", "..." when more follow: the part
/// of a failed program's stderr an error message quotes. O(text).
std::string first_lines(std::string_view text, int lines);

}  // namespace ktriage
