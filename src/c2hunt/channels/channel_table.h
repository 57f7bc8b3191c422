// Aggregates connections into channels with a cap on their number (connections that would open a
// channel beyond the cap are dropped and counted).
#pragma once

#include <cstddef>
#include <map>
#include <unordered_map>
#include <vector>

#include "c2hunt/channels/channel.h"
#include "c2hunt/correlate/dns_view.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::channels {

struct ChannelLimits {
  size_t max_channels = 200'000;
  size_t samples_per_channel = 2048;
  size_t certificates_per_channel = 4;
  size_t fingerprints_per_channel = 8;
  size_t sample_connection_ids = 5;
};

struct ChannelKeyHash {
  size_t operator()(const ChannelKey& k) const noexcept;
};

// The channel key of a connection before DNS naming: SNI, else the CONNECT target, else no name.
ChannelKey key_for(const records::Connection& c);

class ChannelTable {
 public:
  ChannelTable(ChannelLimits limits, Counters& counters);

  // Adds the connection to its channel; nullptr when the channel cap dropped it.
  Channel* add(const records::Connection& c);
  // Names channels that have no SNI/CONNECT name after the DNS name their source resolved to the
  // destination address (the answer nearest before the channel's first connection).
  void name_from_dns(const correlate::DnsView& dns);

  const std::map<ChannelKey, Channel>& channels() const { return channels_; }
  std::map<ChannelKey, Channel>& channels() { return channels_; }
  size_t size() const { return channels_.size(); }

 private:
  ChannelLimits limits_;
  uint64_t& dropped_;
  uint64_t& samples_capped_;
  uint64_t& created_;
  uint64_t& entity_ids_capped_;
  std::map<ChannelKey, Channel> channels_;  // ordered: the output order of equal scores
  // Lookup by hash: one std::map search per connection costs ~log2(channels) key comparisons
  // (memcmp of addresses and names), the hot spot of a multi-million-connection scan.
  std::unordered_map<ChannelKey, Channel*, ChannelKeyHash> index_;
};

}  // namespace c2hunt::channels
