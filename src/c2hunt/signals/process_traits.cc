// Process identity facts from the image path, command line and lineage. Windows paths compare
// case-insensitively and with either separator, so everything is normalised to lowercase and '\'.
#include "c2hunt/signals/process_traits.h"

#include <string_view>

namespace c2hunt::signals {
namespace {

std::string normalize_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/') c = '\\';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '\\' && !out.empty() && out.back() == '\\') continue;
    out.push_back(c);
  }
  // "\??\c:\..." and "\\?\c:\..." prefixes name the same file.
  for (std::string_view prefix : {"\\??\\", "\\?\\", "\\\\?\\"})
    if (out.rfind(prefix, 0) == 0) out.erase(0, prefix.size());
  return out;
}

std::string_view file_name(std::string_view normalized) {
  size_t slash = normalized.find_last_of('\\');
  return slash == std::string_view::npos ? normalized : normalized.substr(slash + 1);
}

// The folder part without the drive ("c:"), e.g. "\program files\google\chrome\application\".
std::string_view folder_without_drive(std::string_view normalized) {
  size_t slash = normalized.find_last_of('\\');
  std::string_view folder = slash == std::string_view::npos ? std::string_view{} : normalized.substr(0, slash + 1);
  if (folder.size() >= 2 && folder[1] == ':') folder.remove_prefix(2);
  return folder;
}

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

struct Browser {
  std::string_view image;
  std::initializer_list<std::string_view> folders;  // vendor install folders (substring of the folder)
};

// Per-machine and per-user install locations of each vendor.
const Browser kBrowsers[] = {
    {"chrome.exe", {"\\program files\\google\\chrome\\application\\", "\\program files (x86)\\google\\chrome\\application\\",
                    "\\appdata\\local\\google\\chrome\\application\\", "\\program files\\google\\chrome beta\\application\\",
                    "\\appdata\\local\\google\\chrome sxs\\application\\"}},
    {"msedge.exe", {"\\program files (x86)\\microsoft\\edge\\application\\", "\\program files\\microsoft\\edge\\application\\",
                    "\\appdata\\local\\microsoft\\edge sxs\\application\\", "\\program files (x86)\\microsoft\\edge beta\\application\\",
                    "\\windows\\systemapps\\microsoft.microsoftedge_"}},
    {"microsoftedge.exe", {"\\windows\\systemapps\\microsoft.microsoftedge_"}},
    {"firefox.exe", {"\\program files\\mozilla firefox\\", "\\program files (x86)\\mozilla firefox\\",
                     "\\appdata\\local\\mozilla firefox\\", "\\program files\\firefox developer edition\\",
                     "\\program files\\firefox nightly\\"}},
    {"brave.exe", {"\\program files\\bravesoftware\\brave-browser\\application\\",
                   "\\program files (x86)\\bravesoftware\\brave-browser\\application\\",
                   "\\appdata\\local\\bravesoftware\\brave-browser\\application\\"}},
    {"opera.exe", {"\\program files\\opera\\", "\\program files (x86)\\opera\\", "\\appdata\\local\\programs\\opera\\"}},
    {"vivaldi.exe", {"\\program files\\vivaldi\\application\\", "\\appdata\\local\\vivaldi\\application\\"}},
    {"iexplore.exe", {"\\program files\\internet explorer\\", "\\program files (x86)\\internet explorer\\"}},
    {"safari.exe", {"\\program files\\safari\\", "\\program files (x86)\\safari\\"}},
};

bool is_browser_name(std::string_view name) {
  for (const Browser& b : kBrowsers)
    if (b.image == name) return true;
  return false;
}

// File names of binaries that ship with Windows and are abused to run or fetch code (LOLBAS).
constexpr std::string_view kLolbins[] = {
    "rundll32.exe", "regsvr32.exe", "mshta.exe", "powershell.exe", "powershell_ise.exe", "pwsh.exe",
    "certutil.exe", "msbuild.exe", "wscript.exe", "cscript.exe", "bitsadmin.exe", "installutil.exe",
    "regasm.exe", "regsvcs.exe", "cmstp.exe", "msiexec.exe", "odbcconf.exe", "msxsl.exe", "wmic.exe",
    "forfiles.exe", "hh.exe", "ieexec.exe", "msdt.exe", "presentationhost.exe", "control.exe",
    "csc.exe", "jsc.exe", "vbc.exe", "ftp.exe", "curl.exe", "esentutl.exe", "expand.exe", "replace.exe",
    "syncappvpublishingserver.exe", "pcalua.exe", "mavinject.exe", "dnscmd.exe", "msconfig.exe",
    "certoc.exe", "desktopimgdownldr.exe", "finger.exe", "bash.exe", "scriptrunner.exe", "xwizard.exe",
    "cmd.exe",
};

// Images whose being an ancestor of a connecting process is suspicious: Office, script hosts.
constexpr std::string_view kOfficeApps[] = {"winword.exe", "excel.exe", "powerpnt.exe", "outlook.exe",
                                            "msaccess.exe", "mspub.exe", "onenote.exe", "visio.exe"};
constexpr std::string_view kScriptHosts[] = {"wscript.exe", "cscript.exe", "mshta.exe", "powershell.exe",
                                             "pwsh.exe", "cmd.exe"};

template <size_t N>
bool in(std::string_view name, const std::string_view (&list)[N]) {
  for (std::string_view x : list)
    if (x == name) return true;
  return false;
}

// Folders any user can write to, relative to the drive root.
std::string_view user_writable(std::string_view folder) {
  if (starts_with(folder, "\\users\\")) {
    std::string_view rest = folder.substr(7);
    if (starts_with(rest, "public\\")) return "\\Users\\Public";
    size_t slash = rest.find('\\');
    if (slash != std::string_view::npos) {
      std::string_view inside = rest.substr(slash);
      for (std::string_view sub : {"\\desktop\\", "\\downloads\\", "\\appdata\\", "\\documents\\", "\\temp\\",
                                   "\\music\\", "\\pictures\\", "\\videos\\", "\\favorites\\"})
        if (starts_with(inside, sub)) return sub;
    }
  }
  if (starts_with(folder, "\\programdata\\")) return "\\ProgramData";
  if (starts_with(folder, "\\$recycle.bin\\")) return "\\$Recycle.Bin";
  if (starts_with(folder, "\\windows\\temp\\")) return "\\Windows\\Temp";
  if (starts_with(folder, "\\perflogs\\")) return "\\PerfLogs";
  if (starts_with(folder, "\\windows\\tasks\\") || starts_with(folder, "\\windows\\tracing\\")) return "\\Windows\\Tasks";
  if (contains(folder, "\\temp\\") || contains(folder, "\\tmp\\")) return "Temp";
  return {};
}

// The command line minus the program itself (quoted or not); empty means "no arguments".
std::string_view arguments(std::string_view cmd) {
  size_t i = 0;
  while (i < cmd.size() && cmd[i] == ' ') ++i;
  if (i < cmd.size() && cmd[i] == '"') {
    size_t close = cmd.find('"', i + 1);
    i = close == std::string_view::npos ? cmd.size() : close + 1;
  } else {
    while (i < cmd.size() && cmd[i] != ' ') ++i;
  }
  std::string_view rest = cmd.substr(i);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  return rest;
}

void append(std::string& detail, std::string_view part) {
  if (!detail.empty()) detail += "; ";
  detail += part;
}

}  // namespace

ProcessTraits assess_process(const records::Process& process, const std::vector<records::Process>& lineage) {
  ProcessTraits t;
  t.known = !process.executable.empty();
  if (!t.known) return t;
  const std::string path = normalize_path(process.executable);
  const std::string_view name = file_name(path);
  const std::string_view folder = folder_without_drive(path);

  for (const Browser& b : kBrowsers) {
    if (b.image != name) continue;
    bool vendor_folder = false;
    for (std::string_view f : b.folders) vendor_folder |= contains(folder, f);
    if (vendor_folder) {
      t.browser = true;
    } else {
      t.browser_name_wrong_path = true;
      append(t.detail, "browser name " + std::string(name) + " outside its vendor folders: " + process.executable);
    }
  }
  if (std::string_view where = user_writable(folder); !where.empty()) {
    t.user_writable_location = true;
    append(t.detail, "runs from a user-writable folder (" + std::string(where) + "): " + process.executable);
  }
  if (in(name, kLolbins)) {
    t.lolbin = true;
    if (!process.command_line.empty() && arguments(process.command_line).empty() &&
        (name == "rundll32.exe" || name == "regsvr32.exe" || name == "dllhost.exe")) {
      t.lolbin_without_arguments = true;
      append(t.detail, std::string(name) + " with no arguments: " + process.command_line);
    } else {
      append(t.detail, "LOLBin " + std::string(name) +
                           (process.command_line.empty() ? std::string() : ": " + process.command_line));
    }
  }

  // Lineage string, oldest ancestor first: "winword.exe > powershell.exe > payload.exe".
  std::string chain;
  std::vector<std::string> suspicious;
  for (auto it = lineage.rbegin(); it != lineage.rend(); ++it) {
    std::string ancestor_name(file_name(normalize_path(it->executable)));
    if (ancestor_name.empty()) continue;
    if (!chain.empty()) chain += " > ";
    chain += ancestor_name;
    if (in(ancestor_name, kOfficeApps)) suspicious.push_back("Office app " + ancestor_name);
    // A browser starting a script host or LOLBin is how drive-by and HTA/VBS droppers run code.
    else if ((t.lolbin || in(name, kScriptHosts)) && is_browser_name(ancestor_name))
      suspicious.push_back("browser " + ancestor_name + " started " + std::string(name));
    else if (in(ancestor_name, kScriptHosts)) suspicious.push_back("script host " + ancestor_name);
    else if (in(ancestor_name, kLolbins)) suspicious.push_back("LOLBin " + ancestor_name);
  }
  if (!chain.empty()) t.lineage_detail = chain + " > " + std::string(name);
  if (!suspicious.empty()) {
    t.suspicious_lineage = true;
    std::string why = "suspicious ancestors (";
    for (size_t i = 0; i < suspicious.size(); ++i) why += (i ? ", " : "") + suspicious[i];
    append(t.detail, why + "): " + t.lineage_detail);
  }
  return t;
}

Ja4Shape parse_ja4(const std::string& ja4) {
  Ja4Shape s;
  // "t13d1516h2_8daaf6152771_e5627efa2ab1"
  if (ja4.size() < 10 || (ja4.size() > 10 && ja4[10] != '_')) return s;
  auto two_digits = [&](size_t at) -> int {
    char a = ja4[at], b = ja4[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  s.protocol = ja4[0];
  s.version = ja4.substr(1, 2);
  s.sni_domain = ja4[3] == 'd';
  s.ciphers = two_digits(4);
  s.extensions = two_digits(6);
  s.alpn = ja4.substr(8, 2);
  if (s.ciphers < 0 || s.extensions < 0) return s;
  if (ja4.size() > 11) s.cipher_hash = ja4.substr(11, ja4.find('_', 11) == std::string::npos ? std::string::npos : ja4.find('_', 11) - 11);
  s.valid = true;
  return s;
}

bool browser_shaped(const Ja4Shape& s, int min_ciphers, int min_extensions) {
  if (!s.valid || !s.sni_domain || s.version != "13") return false;
  if (s.ciphers < min_ciphers || s.extensions < min_extensions) return false;
  return (s.protocol == 't' && s.alpn == "h2") || (s.protocol == 'q' && s.alpn == "h3");
}

}  // namespace c2hunt::signals
