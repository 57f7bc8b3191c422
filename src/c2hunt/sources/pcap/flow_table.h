// The connection table's index: an open-addressing hash of canonical 5-tuples (linear probing,
// backward-shift deletion, so no tombstones) over a slab of flows, plus intrusive LRU lists by
// index so that idle expiry and eviction of the least recently active flow are O(1).
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "c2hunt/util/ip_address.h"

namespace c2hunt::pcap {

// Endpoints ordered (lower address/port first) so both directions of a flow share one key.
struct FlowKey {
  uint8_t addr[2][16];
  uint16_t port[2];
  uint8_t proto;
  uint8_t family;
  uint16_t vlan;

  bool operator==(const FlowKey& o) const { return std::memcmp(this, &o, sizeof(FlowKey)) == 0; }
};
static_assert(sizeof(FlowKey) == 40, "FlowKey must have no padding: it is compared and hashed bytewise");

inline uint64_t hash_flow_key(const FlowKey& k) {
  uint64_t words[5];
  std::memcpy(words, &k, sizeof(words));
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (uint64_t w : words) {
    h ^= w;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  }
  return h;
}

constexpr uint32_t kNoFlow = UINT32_MAX;

struct LruLinks {
  uint32_t prev = kNoFlow, next = kNoFlow;
  uint8_t list = 0;
};

// Template over the flow type so the table holds flows by value in a stable deque.
template <class Flow>
class FlowTable {
 public:
  static constexpr int kLists = 3;

  FlowTable() { slots_.assign(1024, 0); }

  size_t size() const { return live_; }
  Flow& at(uint32_t index) { return flows_[index]; }

  uint32_t find(const FlowKey& key, uint64_t hash) const {
    size_t mask = slots_.size() - 1;
    uint32_t tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint64_t s = slots_[i];
      if (s == 0) return kNoFlow;
      uint32_t index = static_cast<uint32_t>(s) - 1;
      if (static_cast<uint32_t>(s >> 32) == tag && flows_[index].key == key) return index;
    }
  }

  // Adds a flow (key not present); the caller fills it. Returns its index.
  uint32_t insert(const FlowKey& key, uint64_t hash, int list) {
    if ((live_ + 1) * 2 > slots_.size()) grow();
    uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<uint32_t>(flows_.size());
      flows_.emplace_back();
    }
    Flow& f = flows_[index];
    f.key = key;
    f.hash = hash;
    place(index, hash);
    ++live_;
    link_front(index, list);
    return index;
  }

  // Removes the flow from the index and the LRU; the caller must have reset it for reuse.
  void erase(uint32_t index) {
    Flow& f = flows_[index];
    unlink(index);
    size_t mask = slots_.size() - 1;
    size_t i = f.hash & mask;
    while (static_cast<uint32_t>(slots_[i]) != index + 1) i = (i + 1) & mask;
    // Backward-shift: pull later entries of the probe run into the hole.
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
      uint64_t s = slots_[j];
      if (s == 0) break;
      size_t home = flows_[static_cast<uint32_t>(s) - 1].hash & mask;
      bool movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        slots_[i] = s;
        i = j;
      }
    }
    slots_[i] = 0;
    --live_;
    free_.push_back(index);
  }

  void touch(uint32_t index, int list) {
    LruLinks& l = flows_[index].lru;
    if (l.list == list && heads_[list] == index) return;
    unlink(index);
    link_front(index, list);
  }
  uint32_t oldest(int list) const { return tails_[list]; }

 private:
  void place(uint32_t index, uint64_t hash) {
    size_t mask = slots_.size() - 1;
    size_t i = hash & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = (hash >> 32) << 32 | (index + 1);
  }
  void grow() {
    std::vector<uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, 0);
    for (uint64_t s : old)
      if (s != 0) place(static_cast<uint32_t>(s) - 1, flows_[static_cast<uint32_t>(s) - 1].hash);
  }
  void link_front(uint32_t index, int list) {
    LruLinks& l = flows_[index].lru;
    l.list = static_cast<uint8_t>(list);
    l.prev = kNoFlow;
    l.next = heads_[list];
    if (heads_[list] != kNoFlow) flows_[heads_[list]].lru.prev = index;
    heads_[list] = index;
    if (tails_[list] == kNoFlow) tails_[list] = index;
  }
  void unlink(uint32_t index) {
    LruLinks& l = flows_[index].lru;
    if (l.prev != kNoFlow) flows_[l.prev].lru.next = l.next;
    else heads_[l.list] = l.next;
    if (l.next != kNoFlow) flows_[l.next].lru.prev = l.prev;
    else tails_[l.list] = l.prev;
    l.prev = l.next = kNoFlow;
  }

  std::deque<Flow> flows_;
  std::vector<uint32_t> free_;
  std::vector<uint64_t> slots_;  // (hash high 32 bits << 32) | (flow index + 1); 0 = empty
  size_t live_ = 0;
  uint32_t heads_[kLists] = {kNoFlow, kNoFlow, kNoFlow};
  uint32_t tails_[kLists] = {kNoFlow, kNoFlow, kNoFlow};
};

}  // namespace c2hunt::pcap
