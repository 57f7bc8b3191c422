#include "c2hunt/channels/scope.h"

#include <set>

namespace c2hunt::channels {

bool in_networks(const std::vector<IpNetwork>& networks, const IpAddress& ip) {
  for (const auto& n : networks)
    if (n.contains(ip)) return true;
  return false;
}

ScopeResult select_in_scope(ChannelTable& table, const ScopeOptions& options) {
  ScopeResult result;
  // Channel::input_file views the table's interned names: one name, one address.
  std::set<std::string_view> inputs;
  std::set<const char*> inputs_with_local_source;
  for (auto& ch : table.channels()) {
    const ChannelKey& key = ch.key;
    ch.source_local = in_networks(options.local_networks, key.source);
    // A CONNECT target named only by host name is beyond the proxy: external.
    ch.destination_local = key.destination.valid() && in_networks(options.local_networks, key.destination);
    inputs.insert(ch.input_file);
    if (ch.source_local) inputs_with_local_source.insert(ch.input_file.data());
  }
  for (const auto& input : inputs)
    if (!inputs_with_local_source.count(input.data())) result.inputs_treated_local.emplace_back(input);
  result.all_originators_treated_local = !result.inputs_treated_local.empty();
  if (result.all_originators_treated_local)
    for (auto& ch : table.channels())
      if (!inputs_with_local_source.count(ch.input_file.data())) ch.source_local = true;
  for (auto& ch : table.channels()) {
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
