// Reports problems with inputs: one line per problem naming the file, the position and the cause.
// It remembers whether any input was damaged (exit status 2) and caps repeated messages per file
// so that a file of a million bad lines cannot flood stderr; the cap is itself reported.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

namespace c2hunt {

enum class Severity { warning, error };

class Diagnostics {
 public:
  explicit Diagnostics(std::FILE* out = stderr, size_t max_lines_per_file = 20) : out_(out), max_(max_lines_per_file) {}

  // position is free text such as "offset 1234", "line 17" or "record 5".
  void report(Severity severity, std::string_view file, std::string_view position, std::string_view problem);
  void error(std::string_view file, std::string_view position, std::string_view problem) {
    report(Severity::error, file, position, problem);
  }
  void warning(std::string_view file, std::string_view position, std::string_view problem) {
    report(Severity::warning, file, position, problem);
  }
  // A note that is not about damaged input (e.g. "no local originators: treating all as local").
  void note(std::string_view message);

  bool input_damaged() const { return errors_ > 0; }
  uint64_t errors() const { return errors_; }
  uint64_t warnings() const { return warnings_; }
  // Prints the "N more problems not shown" lines; called once at the end of a run.
  void flush_suppressed();
  void set_quiet(bool q) { quiet_ = q; }

 private:
  std::FILE* out_;
  size_t max_;
  bool quiet_ = false;
  uint64_t errors_ = 0, warnings_ = 0;
  std::map<std::string, uint64_t, std::less<>> per_file_;
};

}  // namespace c2hunt
