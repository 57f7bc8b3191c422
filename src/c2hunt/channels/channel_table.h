// Aggregates connections into channels with a cap on their number (connections that would open a
// channel beyond the cap are dropped and counted).
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "c2hunt/channels/channel.h"
#include "c2hunt/correlate/dns_view.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/flat_position_index.h"
#include "c2hunt/util/string_map.h"

namespace c2hunt::channels {

struct ChannelLimits {
  size_t max_channels = 3'000'000;
  size_t samples_per_channel = 2048;
  size_t certificates_per_channel = 4;
  size_t fingerprints_per_channel = 8;
  size_t sample_connection_ids = 5;
};

// Distinct fingerprint and SNI texts held for all channels together (beyond it a new text is not
// kept and counted as channels.texts_not_pooled).
constexpr size_t kMaxPooledTexts = 4'000'000;

struct ChannelKeyHash {
  size_t operator()(const ChannelKey& k) const noexcept;
};

// The channel key of a connection before DNS naming: SNI, else the CONNECT target, else no name.
ChannelKey key_for(const records::Connection& c);

// Channels in blocks of kBlock: stable addresses (like a deque) without a heap node per channel.
class ChannelList {
 public:
  static constexpr size_t kBlock = 1024;
  using iterator = IndexIterator<ChannelList, Channel>;
  using const_iterator = IndexIterator<const ChannelList, const Channel>;

  Channel& emplace_back() {
    if (size_ % kBlock == 0) blocks_.push_back(std::make_unique<Channel[]>(kBlock));
    ++size_;
    return back();
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Channel& operator[](size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const Channel& operator[](size_t i) const { return blocks_[i / kBlock][i % kBlock]; }
  Channel& front() { return (*this)[0]; }
  const Channel& front() const { return (*this)[0]; }
  Channel& back() { return (*this)[size_ - 1]; }
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  std::vector<std::unique_ptr<Channel[]>> blocks_;
  size_t size_ = 0;
};

class ChannelTable {
 public:
  ChannelTable(ChannelLimits limits, Counters& counters);

  // Adds the connection to its channel; nullptr when the channel cap dropped it.
  Channel* add(const records::Connection& c);
  // Names channels that have no SNI/CONNECT name after the DNS name their source resolved to the
  // destination address (the answer nearest before the channel's first connection).
  void name_from_dns(const correlate::DnsView& dns);

  // In creation order (deterministic for the same inputs); alerts are ordered by score and key
  // when written, so no ordered container is kept.
  const ChannelList& channels() const { return channels_; }
  ChannelList& channels() { return channels_; }
  // Every channel sorted by key (tests and tools that want a stable listing).
  std::vector<const Channel*> sorted() const;
  size_t size() const { return channels_.size(); }

 private:
  Channel* find(const ChannelKey& key, uint32_t tag) const;
  void rebuild_index();
  const std::string* pooled(std::string_view text);  // nullptr when the pool is full
  void remember(TextList& values, const std::string& v, size_t cap);

  ChannelLimits limits_;
  uint64_t& dropped_;
  uint64_t& samples_capped_;
  uint64_t& created_;
  uint64_t& entity_ids_capped_;
  uint64_t& texts_not_pooled_;
  ChannelList channels_;
  // 8 to 16 bytes a channel instead of a node and a second copy of every key.
  FlatPositionIndex index_{75};
  std::set<std::string, std::less<>> input_files_;  // what Channel::input_file points into
  StringSet texts_;  // what TextLists and server_name point into
};

}  // namespace c2hunt::channels
