// Runs tshark on a capture and returns its `-T fields` output as rows of tab-separated fields, for
// golden tests that compare our parsers with Wireshark's dissectors.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace c2hunt::testing {

inline bool tshark_available() { return std::system("tshark --version >/dev/null 2>&1") == 0; }

inline std::vector<std::string> split_fields(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string field;
  while (std::getline(ss, field, sep)) out.push_back(field);
  return out;
}

// Every row has exactly fields.size() entries (tshark leaves empty fields out at the line end).
inline std::vector<std::vector<std::string>> tshark_fields(const std::string& pcap, const std::string& filter,
                                                           const std::vector<std::string>& fields) {
  std::string cmd = "tshark -n -r '" + pcap + "' -Y '" + filter + "' -T fields";
  for (const std::string& f : fields) cmd += " -e " + f;
  cmd += " 2>/dev/null";
  std::vector<std::vector<std::string>> rows;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return rows;
  std::string line;
  char buf[8192];
  while (std::fgets(buf, sizeof buf, pipe.get())) {
    line += buf;
    if (line.back() != '\n') continue;
    line.pop_back();
    rows.push_back(split_fields(line, '\t'));
    rows.back().resize(fields.size());
    line.clear();
  }
  return rows;
}

}  // namespace c2hunt::testing
