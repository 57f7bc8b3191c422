// What a process's identity says on its own: is it a browser (by name AND vendor install path),
// does it run from a user-writable folder, is it a LOLBin, is its lineage suspicious. The signal
// framework turns these facts into proc.* evidence.
#pragma once

#include <string>
#include <vector>

#include "c2hunt/records/process.h"

namespace c2hunt::signals {

struct ProcessTraits {
  bool known = false;                 // a process was attributed at all
  bool browser = false;               // a browser image in its vendor's install location
  bool browser_name_wrong_path = false;  // a browser's file name outside its vendor paths (masquerading)
  bool user_writable_location = false;   // Desktop, Downloads, AppData, Temp, Users\Public, ProgramData, $Recycle.bin
  bool lolbin = false;                // rundll32, regsvr32, mshta, powershell, certutil, msbuild, ...
  bool lolbin_without_arguments = false;  // e.g. rundll32.exe with no arguments
  bool suspicious_lineage = false;    // Office apps, script hosts or LOLBins among the ancestors
  std::string lineage_detail;         // e.g. "winword.exe > powershell.exe"
  std::string detail;                 // human-readable summary with the actual values
};

ProcessTraits assess_process(const records::Process& process, const std::vector<records::Process>& lineage);

}  // namespace c2hunt::signals
