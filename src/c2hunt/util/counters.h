// Named counters for everything that is skipped, dropped, evicted or counted; `--stats` prints them all.
// Look a counter up once (by name) and keep the reference: increments on the hot path are plain adds.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace c2hunt {

class Counters {
 public:
  // The returned reference stays valid for the lifetime of this object (std::map nodes are stable).
  uint64_t& counter(std::string_view name) { return values_[std::string(name)]; }
  uint64_t get(std::string_view name) const {
    auto it = values_.find(std::string(name));
    return it == values_.end() ? 0 : it->second;
  }
  const std::map<std::string, uint64_t>& all() const { return values_; }
  void merge(const Counters& other) {
    for (const auto& [k, v] : other.values_) values_[k] += v;
  }

 private:
  std::map<std::string, uint64_t> values_;
};

}  // namespace c2hunt
