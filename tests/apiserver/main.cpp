// ktriage-test-apiserver: serves a snapshot folder as a Kubernetes API until SIGINT/SIGTERM.
//   ktriage-test-apiserver --snapshot DIR [--port N] [--plain] [--tls-dir DIR]
//                          [--kubeconfig-out FILE] [--openapi DIR] [--token T]
// Prints "listening on URL" on standard output once it accepts connections.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "apiserver/test_apiserver.h"

namespace {

int usage(const char* why) {
  std::cerr << "ktriage-test-apiserver: " << why << "\n"
            << "usage: ktriage-test-apiserver --snapshot DIR [--port N] [--plain] [--tls-dir DIR]"
               " [--kubeconfig-out FILE] [--openapi DIR] [--token TOKEN]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using ktriage::testing::ServerOptions;
  using ktriage::testing::TestApiServer;
  using ktriage::testing::TlsFiles;
  ServerOptions options;
  std::string tls_dir, kubeconfig;
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--snapshot") {
        options.snapshot = value();
      } else if (arg == "--port") {
        port = std::stoi(value());
      } else if (arg == "--plain") {
        options.tls = false;
      } else if (arg == "--tls-dir") {
        tls_dir = value();
      } else if (arg == "--kubeconfig-out") {
        kubeconfig = value();
      } else if (arg == "--openapi") {
        options.openapi_dir = value();
      } else if (arg == "--token") {
        options.token = value();
      } else {
        return usage(("unknown argument " + arg).c_str());
      }
    } catch (const std::exception& e) {
      return usage(e.what());
    }
  }
  if (options.snapshot.empty()) return usage("--snapshot is required");
  options.port = port;

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  TlsFiles tls;
  try {
    if (options.tls) {
      if (tls_dir.empty()) {
        tls_dir = (std::filesystem::temp_directory_path() /
                   ("ktriage-test-apiserver-" + std::to_string(::getpid())))
                      .string();
      }
      tls = ktriage::testing::generate_tls_files(tls_dir);
      std::cerr << "ktriage-test-apiserver: TLS files in " << tls_dir << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "ktriage-test-apiserver: " << e.what() << "\n";
    return 1;
  }
  auto server = TestApiServer::start(options, tls);
  if (!server) {
    std::cerr << "ktriage-test-apiserver: " << server.error() << "\n";
    return 1;
  }
  if (!kubeconfig.empty()) (*server)->write_kubeconfig(kubeconfig);
  std::cout << "listening on " << (*server)->url() << std::endl;
  int sig = 0;
  // SIGUSR1: print the requests since the last report (per path, for make bench) and forget them.
  for (sigwait(&stop, &sig); sig == SIGUSR1; sigwait(&stop, &sig)) {
    std::map<std::string, std::size_t> per_path;
    const auto requests = (*server)->requests();
    for (const auto& r : requests) ++per_path[r.method + " " + r.path];
    std::cerr << "requests: " << requests.size() << "\n";
    for (const auto& [path, n] : per_path) {
      if (n > 1) std::cerr << "requests: " << n << " " << path << "\n";
    }
    (*server)->clear_requests();
  }
  std::cerr << "ktriage-test-apiserver: " << strsignal(sig) << ", stopping\n";
  return 0;
}
