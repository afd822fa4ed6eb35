#include "leasecalc/cli/output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "leasecalc/model/errors.hpp"

namespace leasecalc {
namespace {

// The regular files this run read, by device and inode, and the targets its Outputs
// write: an output may not replace either (README "Reliability").
std::vector<std::pair<dev_t, ino_t>>& files_read() {
  static std::vector<std::pair<dev_t, ino_t>> read;
  return read;
}
std::vector<std::string>& targets() {
  static std::vector<std::string> live;
  return live;
}

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
  if (S_ISREG(st.st_mode)) files_read().emplace_back(st.st_dev, st.st_ino);
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

namespace {

// Temporary files not yet renamed: removed by the signal handler. Fixed storage, since a
// handler may only call async-signal-safe functions (unlink, signal, raise).
constexpr std::size_t k_slots = 8;
char g_temps[k_slots][PATH_MAX + 1];
volatile std::sig_atomic_t g_used[k_slots];

void on_signal(int sig) {
  for (std::size_t i = 0; i < k_slots; ++i)
    if (g_used[i]) ::unlink(g_temps[i]);
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // the default action: the shell sees 128 + sig (130 for SIGINT)
}

constexpr int k_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void install_handler() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int sig : k_signals) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    ::sigemptyset(&sa.sa_mask);
    ::sigaction(sig, &sa, nullptr);
  }
}

void hold_temp(const std::string& path) {
  for (std::size_t i = 0; i < k_slots; ++i)
    if (!g_used[i] && path.size() <= PATH_MAX) {
      std::memcpy(g_temps[i], path.c_str(), path.size() + 1);
      g_used[i] = 1;
      return;
    }
}

void release_temp(const std::string& path) {
  for (std::size_t i = 0; i < k_slots; ++i)
    if (g_used[i] && path == g_temps[i]) g_used[i] = 0;
}

// Makes the temporary file from `path` (mkstemp's template) with the signals held until
// it is on the handler's list: a Ctrl-C between the two left the file behind (the fault
// injection test caught it, once in some 2,000 killed runs). The mask is the calling
// thread's: outputs are opened before any worker thread starts.
int make_temp(std::string& path) {
  install_handler();
  sigset_t held, before;
  ::sigemptyset(&held);
  for (int sig : k_signals)
    ::sigaddset(&held, sig);
  ::pthread_sigmask(SIG_BLOCK, &held, &before);
  const int fd = ::mkstemp(path.data());
  const int e = errno;
  if (fd >= 0) hold_temp(path);
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);  // a signal held now reaches the handler
  errno = e;
  return fd;
}

}  // namespace

Output::Output(std::string path, bool may_be_an_input) : path_(std::move(path)) {
  if (path_.empty() || path_ == "-") {
    path_.clear();
    return;
  }
  auto refuse = [&](const std::string& why) {
    throw UsageError(fmt::format("{}: {}", path_, why));
  };
  struct stat st {};
  const bool exists = ::stat(path_.c_str(), &st) == 0;
  if ((exists && S_ISDIR(st.st_mode)) || path_.ends_with('/'))
    throw OutputError(fmt::format("cannot write {}: is a directory", path_));
  if ((exists && !S_ISREG(st.st_mode)) || path_.starts_with("/dev/") ||
      path_.starts_with("/proc/")) {
    // A device, a FIFO, /dev/stdout: written directly, never replaced.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC | (exists ? 0 : O_CREAT), 0666);
    if (fd_ < 0) throw OutputError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    target_ = path_;
    return;
  }
  if (exists && !may_be_an_input)
    for (const auto& [dev, ino] : files_read())
      if (dev == st.st_dev && ino == st.st_ino)
        refuse("is one of this command's inputs: write the output to another file");
  // A symbolic link: its target is replaced, the link kept.
  target_ = path_;
  struct stat lst {};
  if (::lstat(path_.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
    if (char* real = ::realpath(path_.c_str(), nullptr)) {
      target_ = real;
      std::free(real);
    }
  for (const auto& t : targets())
    if (t == target_) refuse("written twice by this command: give each output its own file");
  const auto slash = target_.rfind('/');
  std::string base = slash == std::string::npos ? target_ : target_.substr(slash + 1);
  // ".NAME.tmp-XXXXXX" must fit NAME_MAX (255 bytes): a long name is cut for it.
  if (base.size() > NAME_MAX - 12) base.resize(NAME_MAX - 12);
  tmp_ =
      (slash == std::string::npos ? "" : target_.substr(0, slash + 1)) + "." + base + ".tmp-XXXXXX";
  fd_ = make_temp(tmp_);
  if (fd_ < 0) throw OutputError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
  targets().push_back(target_);
}

ScratchFile::ScratchFile(std::string pattern) : path_(std::move(pattern)) {
  const int fd = make_temp(path_);
  if (fd < 0)
    throw OutputError(
        fmt::format("cannot create a temporary file {}: {}", path_, std::strerror(errno)));
  ::close(fd);
}

ScratchFile::~ScratchFile() {
  ::unlink(path_.c_str());
  release_temp(path_);
}

Output::~Output() {
  if (path_.empty() || committed_) return;
  ::close(fd_);
  if (!tmp_.empty()) {
    ::unlink(tmp_.c_str());
    release_temp(tmp_);
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
  committed_ = true;
  if (tmp_.empty()) {  // written directly: a device or a FIFO
    if (::close(fd_) != 0)
      throw OutputError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    return;
  }
  int e = 0;
  if (::fsync(fd_) != 0) e = errno;
  // A new file gets the usual permissions (mkstemp makes it 0600); an existing one keeps
  // its mode and, where the user may set it, its owner.
  struct stat st {};
  if (::stat(target_.c_str(), &st) == 0) {
    if (e == 0 && ::fchmod(fd_, st.st_mode & 07777) != 0) e = errno;
    if (e == 0 && (st.st_uid != ::geteuid() || st.st_gid != ::getegid()) &&
        ::fchown(fd_, st.st_uid, st.st_gid) != 0 && errno != EPERM)
      e = errno;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (e == 0 && ::fchmod(fd_, static_cast<mode_t>(0666 & ~mask)) != 0) e = errno;
  }
  if (::close(fd_) != 0 && e == 0) e = errno;
  if (e == 0 && ::rename(tmp_.c_str(), target_.c_str()) != 0) e = errno;
  if (e != 0) ::unlink(tmp_.c_str());
  release_temp(tmp_);
  if (e != 0) throw OutputError(fmt::format("cannot write {}: {}", path_, std::strerror(e)));
}

FileLock::FileLock(const std::string& path) {
  while (true) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;  // no file to lock: reading it says why
    int r;
    while ((r = ::flock(fd_, LOCK_EX)) != 0 && errno == EINTR) {
    }
    if (r != 0) {
      const int e = errno;
      ::close(fd_);
      throw OutputError(fmt::format("cannot lock {}: {}", path, std::strerror(e)));
    }
    // Still the file the name gives? Another update may have renamed a new one over it.
    struct stat held {
    }, now{};
    if (::fstat(fd_, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_dev == now.st_dev &&
        held.st_ino == now.st_ino)
      return;
    ::close(fd_);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace leasecalc
