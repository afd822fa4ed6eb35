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

// Where a command's output goes: standard output, or `path` written atomically (a
// temporary file in the same directory, flushed, renamed over `path` by commit()).
// Until commit(), `path` is untouched; without commit() the temporary file is removed.
// Throws OutputError when writing fails. A closed pipe on standard output is not an
// error: writes stop quietly and closed() turns true.
class Output {
 public:
  explicit Output(std::string path);  // "" or "-": standard output
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write(std::string_view data);
  bool closed() const { return closed_; }
  void commit();

 private:
  std::string path_;
  std::string tmp_;
  int fd_ = 1;
  bool closed_ = false;
  bool committed_ = false;
};

}  // namespace leasecalc
