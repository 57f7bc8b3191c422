// Exit codes shared by every command (docs/cli.md).
#pragma once

namespace c2hunt {

enum ExitCode : int {
  kExitOk = 0,            // done, every input read cleanly
  kExitUsage = 1,         // usage or configuration error
  kExitInputDamaged = 2,  // some input was damaged or unreadable; what could be read was processed
  kExitAlert = 3,         // only with --fail-on LEVEL: an alert at or above LEVEL was written
};

}  // namespace c2hunt
