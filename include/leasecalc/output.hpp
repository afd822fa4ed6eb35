// File input and output for the command layer: the only place that touches the disk.
#pragma once

#include <cstddef>
#include <string>

namespace leasecalc {

inline constexpr std::size_t k_max_input_bytes = 16u << 20;  // 16 MiB

// Reads a whole input file. Throws InputError ("FILE:1:1: /: cannot read: ...") when it
// cannot be opened or read, or is larger than k_max_input_bytes.
std::string read_input_file(const std::string& path);

// Writes `data` to standard output, or atomically to `path` when it is not empty: a
// temporary file in the same directory, flushed, then renamed over `path`. A failed
// write leaves `path` as it was and no temporary file behind. Throws OutputError.
// A closed pipe on standard output is not an error: returns false, quietly.
bool write_output(const std::string& path, const std::string& data);

}  // namespace leasecalc
