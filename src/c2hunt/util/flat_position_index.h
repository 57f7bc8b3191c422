// An open-addressing hash index over entries the caller keeps in its own vector (or deque): each
// 8-byte slot holds a 32-bit tag of the entry's hash and the entry's position + 1 (0 = empty).
// A lookup compares tags first and asks the caller to compare the entry itself, so keys are never
// stored twice; growing re-places slots by their tags without hashing an entry again. There is no
// deletion: callers mark entries dead, or clear and re-insert after compacting.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace c2hunt {

class FlatPositionIndex {
 public:
  // At most max_load_percent of the slots are used (the index doubles before that).
  explicit FlatPositionIndex(unsigned max_load_percent = 75) : max_load_percent_(max_load_percent) {}

  static uint32_t tag_of(size_t hash) { return static_cast<uint32_t>(hash ^ (uint64_t{hash} >> 32)); }

  // The position of an entry with this tag that matches(position) accepts.
  template <typename Matches>
  std::optional<uint32_t> find(uint32_t tag, Matches&& matches) const {
    if (slots_.empty()) return std::nullopt;
    const size_t mask = slots_.size() - 1;
    for (size_t i = tag & mask;; i = (i + 1) & mask) {
      uint64_t slot = slots_[i];
      if (slot == 0) return std::nullopt;
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        auto position = static_cast<uint32_t>(slot) - 1;
        if (matches(position)) return position;
      }
    }
  }

  // Adds an entry; `entries` is how many the index will hold with it.
  void insert(uint32_t position, uint32_t tag, size_t entries) {
    if (entries * 100 > slots_.size() * max_load_percent_) reserve(entries);
    place((uint64_t{tag} << 32) | (uint64_t{position} + 1));
  }
  // Room for `entries` without growing.
  void reserve(size_t entries) {
    size_t n = kMinSlots;
    while (entries * 100 > n * max_load_percent_) n *= 2;
    if (n <= slots_.size()) return;
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(n, 0);
    for (uint64_t slot : old)
      if (slot) place(slot);
  }
  // Forgets every entry, keeping the slots for re-insertion.
  void clear() { std::fill(slots_.begin(), slots_.end(), 0); }
  // Forgets every entry and frees the slots.
  void release() { std::vector<uint64_t>().swap(slots_); }
  size_t slot_count() const { return slots_.size(); }

 private:
  static constexpr size_t kMinSlots = 1024;

  void place(uint64_t slot) {
    const size_t mask = slots_.size() - 1;
    size_t i = (slot >> 32) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }

  unsigned max_load_percent_;
  std::vector<uint64_t> slots_;
};

}  // namespace c2hunt
