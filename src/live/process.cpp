#include "live/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace ktriage {

std::optional<std::string> look_path(const std::string& command) {
  auto executable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (command.find('/') != std::string::npos) {
    return executable(command) ? std::optional(command) : std::nullopt;
  }
  const char* path_env = std::getenv("PATH");
  const std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(start, end - start);
    // Go refuses results relative to the working directory; so does ktriage.
    if (!dir.empty() && dir[0] == '/') {
      std::string candidate = dir + "/" + command;
      if (executable(candidate)) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

Expected<ProcessResult, std::string> run_process(const std::string& path,
                                                 const std::vector<std::string>& argv_s,
                                                 const std::vector<std::string>& env_s,
                                                 bool interactive, int timeout_ms,
                                                 std::size_t max_output) {
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Unexpected{std::string(std::strerror(errno))};
  if (!interactive && ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return Unexpected{std::string(std::strerror(e))};
  }
  std::vector<char*> argv, envp;
  for (const auto& a : argv_s) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env_s) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!interactive) posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  if (!interactive) posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  if (!interactive) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, flags);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  if (err_pipe[1] >= 0) ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    if (err_pipe[0] >= 0) ::close(err_pipe[0]);
    return Unexpected{std::string(std::strerror(rc))};
  }

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  struct Stream {
    int fd;
    std::string* into;
    bool* truncated;
  };
  std::vector<Stream> open{{out_pipe[0], &result.out, &result.out_truncated}};
  if (err_pipe[0] >= 0) open.push_back({err_pipe[0], &result.err, &result.err_truncated});
  char buf[8192];
  while (!open.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    std::vector<pollfd> fds;
    for (const Stream& s : open) fds.push_back(pollfd{s.fd, POLLIN, 0});
    const int n = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (std::size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ::close(open[i].fd);
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      // Keep at most max_output bytes; the rest is drained (so the program is not blocked on a
      // full pipe) and the cut is recorded.
      std::string& into = *open[i].into;
      const std::size_t room = max_output > into.size() ? max_output - into.size() : 0;
      const std::size_t n_got = static_cast<std::size_t>(got);
      into.append(buf, std::min(room, n_got));
      if (n_got > room) *open[i].truncated = true;
    }
  }
  for (const Stream& s : open) ::close(s.fd);
  if (result.timed_out) ::kill(interactive ? pid : -pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = status;
  return result;
}

std::vector<std::string> current_environment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) out.emplace_back(*e);
  return out;
}

std::string first_lines(std::string_view text, int lines) {
  std::string out;
  int n = 0;
  std::size_t start = 0;
  while (start < text.size() && n < lines) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      if (!out.empty()) out += " | ";
      out += line;
      ++n;
    }
    start = end + 1;
  }
  if (start < text.size()) out += " ...";
  return out;
}

}  // namespace ktriage
