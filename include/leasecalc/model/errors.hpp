// The error types that cross into the command layer, and the exit codes (README "Errors").
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace leasecalc {

enum class ExitCode : int {
  success = 0,
  check_failed = 1,  // check: a claim failed; solve: no solution in range
  usage = 2,         // unknown option, bad --set
  input = 3,         // unreadable file, invalid JSON, schema or value error
  output = 4,        // cannot write
  internal = 70,     // a bug: an exception no layer expected (EX_SOFTWARE in sysexits.h)
};

// Where in an input file something is: 1-based line and column, and the JSON pointer.
struct Location {
  std::size_t line = 1;
  std::size_t column = 1;
  std::string pointer;
};

// A bad input file. what() is "FILE:LINE:COL: /pointer: message", or "FILE: message" for
// a problem with no place in the file (it cannot be read; a result overflows).
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, Location where, std::string message);
  InputError(std::string file, std::string message);
  const std::string& file() const { return file_; }
  const Location& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  Location where_;
  std::string message_;
};

// A bad command line. what() is the message.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A value that is not allowed, found where its place is not known (a number that does
// not parse, one outside its domain, a date that is no month's first day). The caller
// that knows the place adds it: the loader rethrows an InputError at the value's file,
// line and column; the command layer names the option (with_context). A UsageError, so
// that a value from the shell reaches the one catch as one. what() is the message;
// why() the reason alone ("it is empty"), for a caller that words its own message.
class ValueError : public UsageError {
 public:
  explicit ValueError(const std::string& message, std::string why = {})
      : UsageError(message), why_(why.empty() ? message : std::move(why)) {}
  const std::string& why() const { return why_; }

 private:
  std::string why_;
};

// solve found no input value in range that hits the target (exit 1, not an error of the
// user's): what() says between which values the output stays.
struct NoSolution : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Output could not be written. what() names the file and the reason.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace leasecalc
