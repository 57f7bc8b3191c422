#include "c2hunt/signals/evidence.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "c2hunt/util/string_map.h"

namespace c2hunt::signals {

namespace {

static_assert(std::is_sorted(std::begin(kConnectionSignalIds), std::end(kConnectionSignalIds)));

// Not-evaluated reasons are code-made texts (literals, or formatted from config values), so the set
// is small; each channel keeps an 8-bit index. The bound only guards against a future formatted
// reason that varies with the input.
constexpr size_t kMaxReasons = 255;
constexpr uint8_t kReasonNotKept = 1;

class ReasonPool {
 public:
  uint8_t intern(std::string_view reason) {
    // Ids never change once given, so each thread remembers the ones it was told (the engine
    // thread interns a reason for nearly every new channel; the lock and the ordered map showed).
    thread_local StringMap<uint8_t> known;
    if (auto it = known.find(reason); it != known.end()) return it->second;
    uint8_t id = intern_locked(reason);
    if (id != kReasonNotKept && known.size() < kMaxReasons) known.emplace(reason, id);
    return id;
  }
  std::string text(uint8_t id) {
    std::lock_guard lock(mutex_);
    return id < texts_.size() ? texts_[id] : std::string();
  }

 private:
  uint8_t intern_locked(std::string_view reason) {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(reason); it != index_.end()) return it->second;
    if (texts_.size() >= kMaxReasons) return kReasonNotKept;
    texts_.emplace_back(reason);
    auto id = static_cast<uint8_t>(texts_.size() - 1);
    index_.emplace(texts_.back(), id);
    return id;
  }

  std::mutex mutex_;
  std::deque<std::string> texts_{"", "(reason not kept: too many distinct reasons)"};
  std::map<std::string_view, uint8_t, std::less<>> index_;
};

ReasonPool& reasons() {
  static ReasonPool pool;
  return pool;
}

}  // namespace

channels::SignalTallies::Hit* ConnectionFindings::record_hit(size_t slot, double strength) {
  auto& tallies = channel_.tallies;
  strength = std::clamp(strength, 0.0, 1.0);
  auto* hit = tallies.hit(slot);
  if (!hit) {
    hit = &tallies.hits.emplace_back();
    hit->slot = static_cast<uint8_t>(slot);
  }
  if (++hit->hits == 1 || strength > hit->max_strength) {
    hit->max_strength = strength;
    return hit;
  }
  return nullptr;
}

void ConnectionFindings::fire(ConnectionSignal id, double strength, std::string detail) {
  if (auto* hit = record_hit(id.slot(), strength)) hit->detail = std::move(detail);
}

void ConnectionFindings::pass(ConnectionSignal id) {
  channel_.tallies.passed |= static_cast<uint16_t>(1u << id.slot());
}

void ConnectionFindings::not_evaluated(ConnectionSignal id, std::string_view reason) {
  const size_t slot = id.slot();
  auto& t = channel_.tallies;
  const auto bit = static_cast<uint16_t>(1u << slot);
  if (t.not_evaluated & bit) return;
  t.not_evaluated |= bit;
  t.reason[slot] = reasons().intern(reason);
}

void ChannelFindings::fire(std::string_view id, double strength, std::string detail) {
  evidence.push_back({std::string(id), std::clamp(strength, 0.0, 1.0), 0.0, std::move(detail)});
}

void collect_tallies(const channels::Channel& channel, ChannelFindings& out) {
  const auto& t = channel.tallies;
  for (size_t slot = 0; slot < std::size(kConnectionSignalIds); ++slot) {
    const std::string_view id = kConnectionSignalIds[slot];
    if (const auto* hit = t.hit(slot)) {
      std::string detail = hit->detail;
      if (channel.connections > 1) detail += fmt::format(" ({} of {} connections)", hit->hits, channel.connections);
      out.fire(id, hit->max_strength, std::move(detail));
    } else if (!(t.passed >> slot & 1) && (t.not_evaluated >> slot & 1)) {
      out.skip_with(id, [&] { return reasons().text(t.reason[slot]); });
    }
  }
}

}  // namespace c2hunt::signals
