#include "leasecalc/cli/output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "leasecalc/model/errors.hpp"

namespace leasecalc {
namespace {

// Standard input is named as every other message names it (README "Usage").
[[noreturn]] void cannot_read(const std::string& path, const std::string& why) {
  throw InputError(path == "-" ? "<stdin>" : path, "cannot read: " + why);
}

}  // namespace

std::string read_input_file(const std::string& path) {
  const bool stdin_ = path == "-";
  const int fd = stdin_ ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) cannot_read(path, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!stdin_) ::close(fd);
    cannot_read(path, "is a directory");
  }
  std::string data;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      if (!stdin_) ::close(fd);
      cannot_read(path, std::strerror(e));
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > k_max_input_bytes) {
      if (!stdin_) ::close(fd);
      cannot_read(path, fmt::format("larger than the {} MiB limit for input files",
                                    k_max_input_bytes >> 20));
    }
  }
  if (!stdin_) ::close(fd);
  return data;
}

Output::Output(std::string path) : path_(std::move(path)) {
  if (path_.empty() || path_ == "-") {
    path_.clear();
    return;
  }
  const auto slash = path_.rfind('/');
  const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  tmp_ =
      (slash == std::string::npos ? "" : path_.substr(0, slash + 1)) + "." + base + ".tmp-XXXXXX";
  fd_ = ::mkstemp(tmp_.data());
  if (fd_ < 0) throw OutputError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
}

Output::~Output() {
  if (!path_.empty() && !committed_) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void Output::write(std::string_view data) {
  if (closed_) return;
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EPIPE && path_.empty()) {
      closed_ = true;
      return;
    }
    const int e = errno;
    if (path_.empty())
      throw OutputError(fmt::format("cannot write to standard output: {}", std::strerror(e)));
    throw OutputError(fmt::format("cannot write {}: {}", path_, std::strerror(e)));
  }
}

void Output::commit() {
  if (path_.empty() || committed_) return;
  int e = 0;
  if (::fsync(fd_) != 0) e = errno;
  if (::close(fd_) != 0 && e == 0) e = errno;
  // A new file gets the usual permissions (mkstemp makes it 0600); an existing one keeps its own.
  struct stat st {};
  mode_t mode = 0;
  if (::stat(path_.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = static_cast<mode_t>(0666 & ~mask);
  }
  if (e == 0 && ::chmod(tmp_.c_str(), mode) != 0) e = errno;
  if (e == 0 && ::rename(tmp_.c_str(), path_.c_str()) != 0) e = errno;
  committed_ = true;
  if (e != 0) {
    ::unlink(tmp_.c_str());
    throw OutputError(fmt::format("cannot write {}: {}", path_, std::strerror(e)));
  }
}

}  // namespace leasecalc
