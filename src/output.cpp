#include "leasecalc/output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "leasecalc/errors.hpp"

namespace leasecalc {
namespace {

[[noreturn]] void cannot_read(const std::string& path, const std::string& why) {
  throw InputError(path, Location{1, 1, ""}, "cannot read: " + why);
}

// Writes all of `data` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

std::string read_input_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) cannot_read(path, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    cannot_read(path, "is a directory");
  }
  std::string data;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      cannot_read(path, std::strerror(e));
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > k_max_input_bytes) {
      ::close(fd);
      cannot_read(path, fmt::format("larger than the {} MiB limit for input files",
                                    k_max_input_bytes >> 20));
    }
  }
  ::close(fd);
  return data;
}

bool write_output(const std::string& path, const std::string& data) {
  if (path.empty() || path == "-") {
    const int e = write_all(STDOUT_FILENO, data);
    if (e == EPIPE) return false;
    if (e != 0)
      throw OutputError(fmt::format("cannot write to standard output: {}", std::strerror(e)));
    return true;
  }
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmp = (slash == std::string::npos ? "" : dir) + "." + base + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw OutputError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  int e = write_all(fd, data);
  if (e == 0 && ::fsync(fd) != 0) e = errno;
  if (::close(fd) != 0 && e == 0) e = errno;
  // A new file gets the usual permissions (mkstemp makes it 0600); an existing one keeps its own.
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : [] {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
  }();
  if (e == 0 && ::chmod(tmp.c_str(), mode) != 0) e = errno;
  if (e == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) e = errno;
  if (e != 0) {
    ::unlink(tmp.c_str());
    throw OutputError(fmt::format("cannot write {}: {}", path, std::strerror(e)));
  }
  return true;
}

}  // namespace leasecalc
