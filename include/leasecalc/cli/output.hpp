// File input and output for the command layer: the only place that touches the disk.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leasecalc {

inline constexpr std::size_t k_max_input_bytes = 16u << 20;  // 16 MiB

// Reads a whole input file; "-" is standard input. Throws InputError ("FILE:1:1: /: cannot read:
// ...") when it cannot be opened or read, or is larger than k_max_input_bytes.
std::string read_input_file(const std::string& path);

// Where a command's output goes (README "Reliability"): standard output, or `path`.
// - A regular file (or one yet to be made) is written atomically: a temporary file in
//   the target's directory, flushed, renamed over it by commit(), with the old file's mode
//   and owner. A symbolic link's target is replaced and the link kept. Until commit(),
//   `path` is untouched; without commit() the temporary file is removed, also on SIGINT,
//   SIGTERM, SIGHUP and SIGQUIT (the run then ends as the signal's default would).
// - A device, a FIFO, a socket or anything under /dev/ or /proc/ is opened and written
//   directly: never replaced.
// - A directory is refused; so is a file this run read (an input), unless
//   `may_be_an_input` (update --in-place), and a file another Output of this run writes.
// Throws OutputError when writing fails, UsageError for a refused path. A closed pipe on
// standard output is not an error: writes stop quietly and closed() turns true.
class Output {
 public:
  explicit Output(std::string path, bool may_be_an_input = false);  // "" or "-": stdout
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write(std::string_view data);
  bool closed() const { return closed_; }
  void commit();

 private:
  std::string path_;    // as given, for messages; "" for standard output
  std::string target_;  // the file renamed over: a symbolic link's target
  std::string tmp_;     // "" when written directly
  int fd_ = 1;
  bool closed_ = false;
  bool committed_ = false;
};

// A scratch file (the workbook's, written and read back before its bytes go out): made
// by mkstemp from `pattern` (ending in XXXXXX), removed when it goes out of scope, and
// also on SIGINT, SIGTERM, SIGHUP and SIGQUIT, as Output's temporary file is. Throws
// OutputError when it cannot be made.
class ScratchFile {
 public:
  explicit ScratchFile(std::string pattern);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// An exclusive lock (flock) on the file `path` names, held until destruction, so that two
// `update --in-place` runs on one file take turns (README "Reliability"). When another run
// renamed a new file over the name while this one waited, the lock is taken again on the
// new file. Throws OutputError when the file cannot be opened or locked.
class FileLock {
 public:
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace leasecalc
