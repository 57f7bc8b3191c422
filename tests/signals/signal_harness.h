// Runs hand-built records through the channel table and the signals the way the scan job does.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "c2hunt/channels/channel_table.h"
#include "c2hunt/channels/scope.h"
#include "c2hunt/config/scan_config.h"
#include "c2hunt/correlate/dns_view.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::testing {

class SignalHarness {
 public:
  explicit SignalHarness(config::ScanConfig cfg = config::default_config())
      : config(std::move(cfg)), dns(counters), table({}, counters) {}

  void add(const records::Connection& c) {
    channels::Channel* ch = table.add(c);
    ASSERT_NE(ch, nullptr);
    signals::SignalContext ctx{config, intel};
    ctx.destination_local = config.is_local(c.resp.ip);
    signals::evaluate_connection(c, ctx, *ch);
  }
  void add_dns(const records::DnsResolution& d) { dns.add(d); }

  static std::string evidence_text(const signals::ChannelFindings& f) {
    std::string text;
    for (const auto& e : f.evidence) text += e.signal + " " + std::to_string(e.strength) + " " + e.detail + "\n";
    for (const auto& n : f.not_evaluated) text += "skip " + n.signal + " " + n.reason + "\n";
    return text;
  }

  // Findings per channel key string, after DNS naming and scope selection.
  std::map<std::string, signals::ChannelFindings> finish() {
    table.name_from_dns(dns);
    auto scope = channels::select_in_scope(table, {config.local_networks, config.external_only, config.include_inbound});
    prevalence = signals::build_prevalence(scope.in_scope);
    std::map<std::string, signals::ChannelFindings> out;
    for (size_t i = 0; i < scope.in_scope.size(); ++i) {
      const channels::Channel* ch = scope.in_scope[i];
      signals::SignalContext ctx{config, intel, &dns, &prevalence};
      signals::ChannelFindings by_lookup = signals::evaluate_channel(*ch, ctx);
      // The scan passes the channel's position, which takes the prevalence counts without a
      // lookup: every channel of every signal test checks that both give the same evidence.
      ctx.channel_index = i;
      signals::ChannelFindings by_position = signals::evaluate_channel(*ch, ctx);
      EXPECT_EQ(evidence_text(by_lookup), evidence_text(by_position)) << ch->key.to_string();
      out[ch->key.to_string()] = std::move(by_lookup);
    }
    return out;
  }
  // Findings of the only channel (fails the test when there is not exactly one).
  signals::ChannelFindings only() {
    auto all = finish();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? signals::ChannelFindings{} : all.begin()->second;
  }

  config::ScanConfig config;
  signals::IntelDb intel;
  Counters counters;
  correlate::DnsView dns;
  channels::ChannelTable table;
  signals::Prevalence prevalence;
};

// A copy, so that the result of a temporary's lookup stays valid.
inline std::shared_ptr<const signals::Evidence> find_evidence(const signals::ChannelFindings& f, const std::string& id) {
  for (const auto& e : f.evidence)
    if (e.signal == id) return std::make_shared<const signals::Evidence>(e);
  return nullptr;
}
inline bool not_evaluated(const signals::ChannelFindings& f, const std::string& id) {
  for (const auto& n : f.not_evaluated)
    if (n.signal == id) return true;
  return false;
}

}  // namespace c2hunt::testing
