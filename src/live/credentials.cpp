// CredentialSource: static credentials read when asked, exec plugin answers cached until expiry.
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>

#include "live/exec_plugin.h"
#include "live/rest_config.h"

namespace ktriage {
namespace {

Expected<std::string, std::string> read_file_bytes(const std::string& path, const char* what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Unexpected{std::string("cannot read ") + what + " " + path + ": Is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Unexpected{std::string("cannot read ") + what + " " + path + ": " +
                      std::strerror(errno)};
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

UnixSeconds now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct CredentialSource::State {
  RestConfig config;
  mutable std::mutex mu;
  // tokenFile, re-read when its modification time or size changes (projected tokens rotate).
  bool token_read = false;
  timespec token_mtime{};
  off_t token_size = 0;
  std::string file_token;
  // The exec plugin's last answer.
  std::optional<Credentials> exec_cached;
  int exec_runs = 0;

  Expected<std::string, std::string> token() {
    if (config.token_file.empty()) return config.token;
    struct stat st {};
    if (::stat(config.token_file.c_str(), &st) != 0) {
      // client-go keeps a token set next to tokenFile as the fallback.
      if (!config.token.empty()) return config.token;
      return Unexpected{"cannot read tokenFile " + config.token_file + ": " + std::strerror(errno)};
    }
    const bool changed = !token_read || st.st_mtim.tv_sec != token_mtime.tv_sec ||
                         st.st_mtim.tv_nsec != token_mtime.tv_nsec || st.st_size != token_size;
    if (changed) {
      auto bytes = read_file_bytes(config.token_file, "tokenFile");
      if (!bytes) return config.token.empty() ? bytes : Expected<std::string>(config.token);
      const std::string_view t = trim(*bytes);
      if (t.empty()) return Unexpected{"tokenFile " + config.token_file + " is empty"};
      file_token = std::string(t);
      token_read = true;
      token_mtime = st.st_mtim;
      token_size = st.st_size;
    }
    return file_token;
  }
};

CredentialSource::CredentialSource(RestConfig config) : state_(std::make_unique<State>()) {
  state_->config = std::move(config);
}
CredentialSource::~CredentialSource() = default;

Expected<Credentials, std::string> CredentialSource::get() {
  std::lock_guard lock(state_->mu);
  const RestConfig& config = state_->config;
  Credentials c;
  c.username = config.username;
  c.password = config.password;
  auto token = state_->token();
  if (!token) return Unexpected{token.error()};
  c.token = std::move(*token);
  c.client_cert_pem = config.client_cert_data;
  if (c.client_cert_pem.empty() && !config.client_cert_file.empty()) {
    auto pem = read_file_bytes(config.client_cert_file, "client-certificate");
    if (!pem) return Unexpected{pem.error()};
    c.client_cert_pem = std::move(*pem);
  }
  c.client_key_pem = config.client_key_data;
  if (c.client_key_pem.empty() && !config.client_key_file.empty()) {
    auto pem = read_file_bytes(config.client_key_file, "client-key");
    if (!pem) return Unexpected{pem.error()};
    c.client_key_pem = std::move(*pem);
  }
  if (config.exec) {
    auto& cached = state_->exec_cached;
    // client-go: a credential is good until now is after its expirationTimestamp.
    if (cached && cached->expires && now_seconds() > *cached->expires) cached.reset();
    if (!cached) {
      ++state_->exec_runs;
      auto answer = run_exec_plugin(config);
      if (!answer) return Unexpected{answer.error()};
      cached = std::move(*answer);
    }
    if (!cached->token.empty()) c.token = cached->token;
    if (!cached->client_cert_pem.empty()) {
      c.client_cert_pem = cached->client_cert_pem;
      c.client_key_pem = cached->client_key_pem;
    }
    c.expires = cached->expires;
  }
  return c;
}

void CredentialSource::invalidate() {
  std::lock_guard lock(state_->mu);
  state_->exec_cached.reset();
  state_->token_read = false;
}

int CredentialSource::exec_runs() const {
  std::lock_guard lock(state_->mu);
  return state_->exec_runs;
}

}  // namespace ktriage
