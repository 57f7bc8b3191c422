// fp.rare and dest.rare: how many of the data's sources share a client fingerprint or a destination
// (RITA's "rare signature", Elastic's prevalence). Judged only when the data has enough hosts.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "c2hunt/signals/process_traits.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

std::string destination_label(const channels::ChannelKey& k) {
  return k.name.empty() ? k.destination.to_string() : k.name;
}

Prevalence build_prevalence(const std::vector<channels::Channel*>& channels) {
  Prevalence p;
  std::set<IpAddress> hosts;
  for (const channels::Channel* ch : channels) {
    hosts.insert(ch->key.source);
    std::string dest = destination_label(ch->key);
    p.destination_hosts[dest].insert(ch->key.source);
    p.source_destinations[ch->key.source].insert(dest);
    for (const auto* list : {&ch->ja3, &ch->ja4})
      for (const auto& fp : *list) {
        p.fingerprint_hosts[fp].insert(ch->key.source);
        p.source_fp_destinations[{ch->key.source, fp}].insert(dest);
      }
    if (!ch->process || ch->process->executable.empty()) continue;
    const std::string& exe = ch->process->executable;
    if (assess_process(*ch->process, ch->lineage).suspicious_identity())
      p.suspicious_process_destinations[{ch->key.source, dest, ch->key.port}].insert(exe);
    for (const auto& fp : ch->ja4)
      if (Ja4Shape shape = parse_ja4(fp); shape.valid && !shape.cipher_hash.empty())
        p.process_tls_stacks[{ch->key.source, exe}].insert(shape.cipher_hash);
  }
  p.hosts = hosts.size();
  return p;
}

void evaluate_prevalence(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  const Prevalence& p = *ctx.prevalence;
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
      for (const std::string* fp : fps) {
        size_t users = p.fingerprint_hosts.at(*fp).size();
        size_t dests = p.source_fp_destinations.at({ch.key.source, *fp}).size();
        size_t source_dests = p.source_destinations.at(ch.key.source).size();
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
  const auto& s = ctx.config.signal("dest.rare");
  if (p.hosts < s.number("min_hosts"))
    return out.skip("dest.rare", fmt::format("{} source hosts in the data (need {})", p.hosts, s.number("min_hosts")));
  size_t max_hosts = std::max<size_t>(1, static_cast<size_t>(std::floor(s.number("max_host_share") * p.hosts)));
  std::string dest = destination_label(ch.key);
  size_t users = p.destination_hosts.at(dest).size();
  if (users <= max_hosts)
    out.fire("dest.rare", 1.0, fmt::format("destination {} reached by {} of {} hosts", dest, users, p.hosts));
}

}  // namespace c2hunt::signals
