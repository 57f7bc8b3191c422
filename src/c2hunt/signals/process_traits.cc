// Placeholder until the host-telemetry work lands: knows nothing about processes.
#include "c2hunt/signals/process_traits.h"

namespace c2hunt::signals {

ProcessTraits assess_process(const records::Process& process, const std::vector<records::Process>&) {
  ProcessTraits t;
  t.known = !process.executable.empty();
  return t;
}

}  // namespace c2hunt::signals
