// `ktriage logs`: flags and wiring of the log scan (the engine is src/logs/). Reads the clock for
// relative --since/--until; prints the report and notes.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ktriage {

/// The flags of `ktriage logs`.
struct LogsFlags {
  std::vector<std::string> paths;       ///< files, folders, "-"
  std::string component;                ///< --component
  std::string since, until;             ///< RFC 3339 or a duration before now ("1h")
  std::string output = "text";          ///< -o text|json
  std::vector<std::string> signatures;  ///< --signatures FILE (repeatable)
  bool no_builtin = false;              ///< --no-builtin: only the --signatures files
  bool follow = false;                  ///< -f: print matches of one growing file as they come
};

/// Adds the `logs` subcommand to `app`, filling `flags` when parsed.
CLI::App* add_logs_command(CLI::App& app, LogsFlags& flags);

/// Runs it (with -f it runs until interrupted): 0 nothing at or above warning found, 1 such a
/// finding, 2 usage error, a bad signature file or nothing could be read.
int run_logs(const LogsFlags& flags);

}  // namespace ktriage
