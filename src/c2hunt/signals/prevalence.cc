// fp.rare and dest.rare: how many of the data's sources share a client fingerprint or a destination
// (RITA's "rare signature", Elastic's prevalence). Judged only when the data has enough hosts.
#include <algorithm>
#include <cmath>
#include <exception>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "c2hunt/signals/process_traits.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

std::string destination_label(const channels::ChannelKey& k) {
  return k.name.empty() ? k.destination.to_string() : k.name;
}

namespace {

uint64_t pair_of(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }

// A dense id for `key` in `ids`, the next one when it is new.
template <typename Map, typename Key>
uint32_t dense_id(Map& ids, const Key& key) {
  auto it = ids.find(key);
  if (it == ids.end()) it = ids.emplace(key, static_cast<uint32_t>(ids.size())).first;
  return it->second;
}

// Sorts and dedups (a, b) pairs, then calls count(a, number of distinct b).
template <typename Count>
void count_distinct(std::vector<uint64_t>& pairs, Count&& count) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (size_t i = 0; i < pairs.size();) {
    size_t j = i;
    while (j < pairs.size() && pairs[j] >> 32 == pairs[i] >> 32) ++j;
    count(static_cast<uint32_t>(pairs[i] >> 32), j - i);
    i = j;
  }
}

// The distinct (a, b) pairs counted both ways, in one buffer: count_a(a, distinct b), count_b(b, distinct a).
template <typename CountA, typename CountB>
void count_both_ways(std::vector<uint64_t>& pairs, CountA&& count_a, CountB&& count_b) {
  count_distinct(pairs, count_a);
  for (uint64_t& p : pairs) p = (p << 32) | (p >> 32);
  count_distinct(pairs, count_b);
  std::vector<uint64_t>().swap(pairs);
}

}  // namespace

Prevalence build_prevalence(const std::vector<channels::Channel*>& channels, unsigned threads) {
  Prevalence p;
  StringMap<uint32_t> destination_ids;
  std::vector<const std::string*> destination_labels;
  std::unordered_map<uint64_t, uint32_t> source_fp_ids;
  std::vector<uint64_t> source_fp_values;
  std::vector<uint64_t> destination_source, fp_source, source_fp_destination;
  std::vector<uint32_t> channel_destination(channels.size());
  destination_source.reserve(channels.size());
  for (size_t position = 0; position < channels.size(); ++position) {
    const channels::Channel* ch = channels[position];
    uint32_t src = dense_id(p.source_ids, ch->key.source);
    std::string dest = destination_label(ch->key);
    auto [dest_it, dest_fresh] = destination_ids.try_emplace(dest, static_cast<uint32_t>(destination_labels.size()));
    if (dest_fresh) destination_labels.push_back(&dest_it->first);
    uint32_t dst = dest_it->second;
    channel_destination[position] = dst;
    destination_source.push_back(pair_of(dst, src));
    for (const auto* list : {&ch->ja3, &ch->ja4})
      for (const auto& fp : *list) {
        uint32_t f = dense_id(p.fingerprint_ids, fp);
        fp_source.push_back(pair_of(f, src));
        auto [sf_it, sf_fresh] = source_fp_ids.try_emplace(pair_of(src, f), static_cast<uint32_t>(source_fp_values.size()));
        if (sf_fresh) source_fp_values.push_back(pair_of(src, f));
        source_fp_destination.push_back(pair_of(sf_it->second, dst));
      }
    if (!ch->process || ch->process->executable.empty()) continue;
    const std::string& exe = ch->process->executable;
    if (assess_process(*ch->process, ch->lineage).suspicious_identity())
      p.suspicious_process_destinations[{ch->key.source, dest, ch->key.port}].insert(exe);
    for (const auto& fp : ch->ja4)
      if (Ja4Shape shape = parse_ja4(fp); shape.valid && !shape.cipher_hash.empty())
        p.process_tls_stacks[{ch->key.source, exe}].insert(shape.cipher_hash);
  }
  p.hosts = p.source_ids.size();
  p.source_destinations.assign(p.source_ids.size(), 0);
  p.fingerprint_hosts.assign(p.fingerprint_ids.size(), 0);
  // The fingerprint counts and the destination counts touch disjoint fields: with two threads the
  // fingerprint sorts run on the second (the scan's other core idles here otherwise).
  auto count_fingerprints = [&] {
    count_distinct(fp_source, [&](uint32_t f, size_t n) { p.fingerprint_hosts[f] = static_cast<uint32_t>(n); });
    std::vector<uint64_t>().swap(fp_source);
    count_distinct(source_fp_destination, [&](uint32_t sf, size_t n) {
      p.source_fp_destinations.emplace(source_fp_values[sf], static_cast<uint32_t>(n));
    });
  };
  std::exception_ptr fingerprint_failure;
  std::thread fingerprints;
  if (threads >= 2) {
    fingerprints = std::thread([&] {
      try {
        count_fingerprints();
      } catch (...) {
        fingerprint_failure = std::current_exception();
      }
    });
  }
  std::vector<uint32_t> hosts_of_destination(destination_labels.size(), 0);
  try {
    count_both_ways(
        destination_source,
        [&](uint32_t d, size_t n) {
          p.destination_hosts.emplace(*destination_labels[d], static_cast<uint32_t>(n));
          hosts_of_destination[d] = static_cast<uint32_t>(n);
        },
        [&](uint32_t s, size_t n) { p.source_destinations[s] = static_cast<uint32_t>(n); });
    p.channel_destination_hosts.resize(channels.size());
    for (size_t i = 0; i < channels.size(); ++i) p.channel_destination_hosts[i] = hosts_of_destination[channel_destination[i]];
  } catch (...) {
    if (fingerprints.joinable()) fingerprints.join();
    throw;
  }
  if (fingerprints.joinable()) {
    fingerprints.join();
    if (fingerprint_failure) std::rethrow_exception(fingerprint_failure);
  } else {
    count_fingerprints();
  }
  return p;
}

void evaluate_prevalence(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  const Prevalence& p = *ctx.prevalence;
  auto source = p.source_ids.find(ch.key.source);
  if (source == p.source_ids.end()) {  // a channel the population was not built from
    out.skip("fp.rare", "channel outside the prevalence population");
    return out.skip("dest.rare", "channel outside the prevalence population");
  }
  {
    const auto& s = ctx.config.signal("fp.rare");
    std::vector<const std::string*> fps;
    for (const auto* list : {&ch.ja3, &ch.ja4})
      for (const auto& fp : *list) fps.push_back(&fp);
    if (fps.empty()) {
      if (ch.tls_connections) out.skip("fp.rare", "no client fingerprint computed");
    } else if (p.hosts < s.number("min_hosts")) {
      out.skip("fp.rare", fmt::format("{} source hosts in the data (need {})", p.hosts, s.number("min_hosts")));
    } else {
      size_t max_hosts = std::max<size_t>(1, static_cast<size_t>(std::floor(s.number("max_host_share") * p.hosts)));
      double best = 0;
      std::string detail;
      const uint32_t src = source->second;
      const size_t source_dests = p.source_destinations[src];
      for (const std::string* fp : fps) {
        auto f = p.fingerprint_ids.find(*fp);
        if (f == p.fingerprint_ids.end()) continue;
        auto dests_of = p.source_fp_destinations.find(pair_of(src, f->second));
        if (dests_of == p.source_fp_destinations.end()) continue;
        size_t users = p.fingerprint_hosts[f->second];
        size_t dests = dests_of->second;
        if (users <= max_hosts && best < 1.0) {
          best = 1.0;
          detail = fmt::format("client fingerprint {} used by {} of {} hosts", *fp, users, p.hosts);
        } else if (dests == 1 && source_dests >= s.number("min_source_destinations") && best < 0.6) {
          best = 0.6;
          detail = fmt::format("client fingerprint {} used by this source only toward this destination ({} others)", *fp,
                               source_dests - 1);
        }
      }
      if (best > 0) out.fire("fp.rare", best, detail);
    }
  }
  size_t users = 0;
  if (ctx.channel_index < p.channel_destination_hosts.size()) {
    users = p.channel_destination_hosts[ctx.channel_index];
  } else {
    auto reached = p.destination_hosts.find(destination_label(ch.key));
    if (reached == p.destination_hosts.end()) return out.skip("dest.rare", "channel outside the prevalence population");
    users = reached->second;
  }
  out.destination_reach = DestinationReach{static_cast<uint32_t>(users), static_cast<uint32_t>(p.hosts)};
  const auto& s = ctx.config.signal("dest.rare");
  if (p.hosts < s.number("min_hosts"))
    return out.skip("dest.rare", fmt::format("{} source hosts in the data (need {})", p.hosts, s.number("min_hosts")));
  size_t max_hosts = std::max<size_t>(1, static_cast<size_t>(std::floor(s.number("max_host_share") * p.hosts)));
  if (users <= max_hosts)
    out.fire("dest.rare", 1.0,
             fmt::format("destination {} reached by {} of {} hosts", destination_label(ch.key), users, p.hosts));
}

}  // namespace c2hunt::signals
