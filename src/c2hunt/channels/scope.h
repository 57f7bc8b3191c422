// Which channels are analysed: those a local host originates (to any destination) by default;
// optionally only those to external destinations, or also those an external host opens to a local one.
// When no originator of an input is local (a sensor outside NAT, a capture with public client
// addresses), every originator of that input counts as local.
#pragma once

#include <string>
#include <vector>

#include "c2hunt/channels/channel_table.h"
#include "c2hunt/util/ip_address.h"

namespace c2hunt::channels {

struct ScopeOptions {
  std::vector<IpNetwork> local_networks;
  bool external_only = false;
  bool include_inbound = false;
};

struct ScopeResult {
  std::vector<Channel*> in_scope;   // in table (creation) order
  bool all_originators_treated_local = false;   // for at least one input
  std::vector<std::string> inputs_treated_local; // those inputs, sorted
  uint64_t out_of_scope = 0;
};

bool in_networks(const std::vector<IpNetwork>& networks, const IpAddress& ip);
// Marks source_local/destination_local on every channel and returns those in scope.
ScopeResult select_in_scope(ChannelTable& table, const ScopeOptions& options);

}  // namespace c2hunt::channels
