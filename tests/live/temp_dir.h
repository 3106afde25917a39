// A fresh temporary folder per test, removed afterwards, with helpers to write files into it.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace ktriage::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ktriage-live-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// `dir/relative`, creating the folders on the way; returns the full path.
  std::string write(const std::string& relative, const std::string& content,
                    bool executable = false) const {
    const std::filesystem::path full = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(full.parent_path());
    {
      std::ofstream out(full, std::ios::binary | std::ios::trunc);
      out << content;
    }
    if (executable) ::chmod(full.c_str(), 0755);
    return full.string();
  }
  std::string file(const std::string& relative) const { return path_ + "/" + relative; }

 private:
  std::string path_;
};

/// Points standard input at /dev/null for the life of the object, so that "is stdin a
/// terminal" has the same answer whether the tests run from a terminal or not.
class StdinNotATerminal {
 public:
  StdinNotATerminal() : saved_(::dup(0)) {
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::close(null);
  }
  ~StdinNotATerminal() {
    ::dup2(saved_, 0);
    ::close(saved_);
  }
  StdinNotATerminal(const StdinNotATerminal&) = delete;
  StdinNotATerminal& operator=(const StdinNotATerminal&) = delete;

 private:
  int saved_;
};

}  // namespace ktriage::testing
