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

  // The image itself (not its lineage) is one attackers plant or abuse.
  bool suspicious_identity() const { return user_writable_location || lolbin || browser_name_wrong_path; }
};

// The shape of a JA4 client fingerprint (its first section, e.g. "t13d1516h2"): what browsers' TLS
// stacks look like without a list of hashes. JA4 drops GREASE values, so GREASE is not part of it.
struct Ja4Shape {
  bool valid = false;
  char protocol = 0;          // 't' TCP, 'q' QUIC, 'd' DTLS
  std::string version;        // "13", "12", ...
  bool sni_domain = false;    // 'd': SNI names a domain
  int ciphers = 0, extensions = 0;
  std::string alpn;           // first and last character of the first ALPN value ("h2", "00" none)
  std::string cipher_hash;    // second section: the sorted cipher suite list's hash (the TLS stack's choice)
};
Ja4Shape parse_ja4(const std::string& ja4);

// A fingerprint with a current browser's shape: TLS 1.3 over TCP or QUIC, SNI, at least `min_ciphers`
// suites and `min_extensions` extensions, ALPN h2 (h3 on QUIC).
bool browser_shaped(const Ja4Shape& s, int min_ciphers, int min_extensions);

ProcessTraits assess_process(const records::Process& process, const std::vector<records::Process>& lineage);

}  // namespace c2hunt::signals
