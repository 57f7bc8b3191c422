#include "c2hunt/scoring/allowlist.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "c2hunt/channels/scope.h"
#include "c2hunt/util/ascii.h"

namespace c2hunt::scoring {
namespace {

bool domain_matches(const std::vector<std::string>& suffixes, std::string_view name) {
  std::string n = lower_ascii(name);
  for (const auto& s : suffixes) {
    if (n == s) return true;
    if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0 && n[n.size() - s.size() - 1] == '.')
      return true;
  }
  return false;
}

bool any_glob(const std::vector<std::string>& globs, std::string_view path) {
  if (path.empty()) return false;
  for (const auto& g : globs)
    if (path_glob_match(g, path)) return true;
  return false;
}

bool fingerprint_matches(const std::vector<std::string>& fps, const channels::Channel& ch) {
  auto listed = [&](const std::string& v) { return !v.empty() && std::find(fps.begin(), fps.end(), lower_ascii(v)) != fps.end(); };
  for (const auto* list : {&ch.ja3, &ch.ja4, &ch.ja3s, &ch.ja4s})
    for (const auto& v : *list)
      if (listed(v)) return true;
  for (const auto& c : ch.certificates)
    if (listed(c.certificate->sha1) || listed(c.certificate->ja4x)) return true;
  return false;
}

}  // namespace

bool path_glob_match(std::string_view pattern, std::string_view path) {
  std::string p(pattern), s(path);
  return fnmatch(p.c_str(), s.c_str(), FNM_NOESCAPE | FNM_CASEFOLD) == 0;
}

bool entry_matches(const AllowlistEntry& e, const channels::Channel& ch) {
  const auto& k = ch.key;
  if (!e.domain_suffix.empty() && !domain_matches(e.domain_suffix, k.name) && !domain_matches(e.domain_suffix, ch.server_name))
    return false;
  if (!e.destination.empty() && !(k.destination.valid() && channels::in_networks(e.destination, k.destination)))
    return false;
  if (!e.port.empty() && std::find(e.port.begin(), e.port.end(), k.port) == e.port.end()) return false;
  if (!e.fingerprint.empty() && !fingerprint_matches(e.fingerprint, ch)) return false;
  if (!e.source.empty() && !channels::in_networks(e.source, k.source)) return false;
  const records::Process* p = ch.process ? &*ch.process : nullptr;
  if (!e.source_host.empty()) {
    if (!p) return false;
    if (std::none_of(e.source_host.begin(), e.source_host.end(), [&](const std::string& h) { return iequals_ascii(h, p->host); }))
      return false;
  }
  if (!e.process_path.empty() && !(p && any_glob(e.process_path, p->executable))) return false;
  if (!e.signer.empty()) {
    // A signer only counts when the signature was valid (or the source does not say).
    if (!p || p->signer.empty() || p->signed_valid == false) return false;
    if (std::none_of(e.signer.begin(), e.signer.end(), [&](const std::string& s) { return iequals_ascii(s, p->signer); }))
      return false;
  }
  if (!e.parent_path.empty()) {
    std::string_view parent = p ? std::string_view(p->parent_executable) : std::string_view();
    if (parent.empty() && !ch.lineage.empty()) parent = ch.lineage.front().executable;
    if (!any_glob(e.parent_path, parent)) return false;
  }
  return true;
}

const AllowlistEntry* match_allowlist(const std::vector<AllowlistEntry>& entries,
                                              const channels::Channel& ch) {
  for (const auto& e : entries)
    if (entry_matches(e, ch)) return &e;
  return nullptr;
}

}  // namespace c2hunt::scoring
