#include "c2hunt/util/diagnostics.h"

#include "c2hunt/util/text_escape.h"

namespace c2hunt {

void Diagnostics::report(Severity severity, std::string_view file, std::string_view position,
                         std::string_view problem) {
  (severity == Severity::error ? errors_ : warnings_)++;
  uint64_t& n = per_file_[std::string(file)];
  if (++n > max_ || quiet_) return;
  std::fprintf(out_, "c2hunt: %s: %s: %s: %s\n", severity == Severity::error ? "error" : "warning",
               escape_for_terminal(file).c_str(), std::string(position).c_str(),
               escape_for_terminal(problem).c_str());
}

void Diagnostics::note(std::string_view message) {
  if (!quiet_) std::fprintf(out_, "c2hunt: note: %s\n", escape_for_terminal(message).c_str());
}

void Diagnostics::flush_suppressed() {
  for (const auto& [file, n] : per_file_)
    if (n > max_ && !quiet_)
      std::fprintf(out_, "c2hunt: %s: %llu more problems not shown\n", escape_for_terminal(file).c_str(),
                   static_cast<unsigned long long>(n - max_));
}

}  // namespace c2hunt
