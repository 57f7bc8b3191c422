#include "c2hunt/channels/scope.h"

namespace c2hunt::channels {

bool in_networks(const std::vector<IpNetwork>& networks, const IpAddress& ip) {
  for (const auto& n : networks)
    if (n.contains(ip)) return true;
  return false;
}

ScopeResult select_in_scope(ChannelTable& table, const ScopeOptions& options) {
  ScopeResult result;
  bool any_local_source = false;
  for (auto& [key, ch] : table.channels()) {
    ch.source_local = in_networks(options.local_networks, key.source);
    // A CONNECT target named only by host name is beyond the proxy: external.
    ch.destination_local = key.destination.valid() && in_networks(options.local_networks, key.destination);
    any_local_source = any_local_source || ch.source_local;
  }
  if (!any_local_source && table.size() > 0) {
    result.all_originators_treated_local = true;
    for (auto& [key, ch] : table.channels()) ch.source_local = true;
  }
  for (auto& [key, ch] : table.channels()) {
    bool outbound = ch.source_local;
    bool inbound = !ch.source_local && ch.destination_local;
    bool keep = outbound || (inbound && options.include_inbound);
    if (keep && options.external_only && ch.destination_local) keep = false;
    if (keep)
      result.in_scope.push_back(&ch);
    else
      ++result.out_of_scope;
  }
  return result;
}

}  // namespace c2hunt::channels
