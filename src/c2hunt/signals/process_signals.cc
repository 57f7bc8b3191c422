// proc.*: what host telemetry says about the process that owns the channel (assess_process()).
#include <fmt/format.h>

#include "c2hunt/signals/process_traits.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

void evaluate_process(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  static const char* const kIds[] = {"proc.non_browser_tls", "proc.user_writable_path", "proc.lolbin",
                                     "proc.suspicious_lineage", "proc.masquerading_browser"};
  if (!ch.process || ch.process->executable.empty()) {
    for (const char* id : kIds) out.skip(id, "no host telemetry attributed a process");
    return;
  }
  ProcessTraits t = assess_process(*ch.process, ch.lineage);
  const std::string& exe = ch.process->executable;
  if (ch.tls_connections && !t.browser)
    out.fire("proc.non_browser_tls", 1.0, fmt::format("TLS from non-browser process {}", exe));
  if (t.user_writable_location)
    out.fire("proc.user_writable_path", 1.0, fmt::format("process runs from a user-writable folder: {}", exe));
  if (t.lolbin)
    out.fire("proc.lolbin", t.lolbin_without_arguments ? 1.0 : 0.8,
             fmt::format("living-off-the-land binary {}{}", exe, t.lolbin_without_arguments ? " without arguments" : ""));
  if (t.suspicious_lineage)
    out.fire("proc.suspicious_lineage", 1.0, fmt::format("suspicious lineage: {}", t.lineage_detail));
  if (t.browser_name_wrong_path)
    out.fire("proc.masquerading_browser", 1.0, fmt::format("browser file name outside its vendor folder: {}", exe));
}

}  // namespace c2hunt::signals
