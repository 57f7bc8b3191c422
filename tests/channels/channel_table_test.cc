#include <gtest/gtest.h>

#include "c2hunt/channels/channel_table.h"
#include "c2hunt/channels/scope.h"
#include "c2hunt/config/scan_config.h"
#include "signals/record_builder.h"

namespace c2hunt::testing {
namespace {

TEST(ChannelKey, NamedBySniElseConnectElseNone) {
  auto sni = channels::key_for(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("Api.Example.COM").build());
  EXPECT_EQ(sni.name, "api.example.com");
  EXPECT_EQ(sni.name_origin, channels::NameOrigin::sni);

  auto literal = channels::key_for(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("203.0.113.7").build());
  EXPECT_TRUE(literal.name.empty());

  auto proxied = channels::key_for(
      ConnectionBuilder("10.0.0.5", "10.0.0.1", 3128).tls("c2.example").connect_proxy("c2.example", 8443).build());
  EXPECT_EQ(proxied.name, "c2.example");
  EXPECT_EQ(proxied.name_origin, channels::NameOrigin::connect);
  EXPECT_EQ(proxied.port, 8443);
  EXPECT_FALSE(proxied.destination.valid());
  EXPECT_EQ(proxied.proxy, ip("10.0.0.1"));

  auto proxied_ip = channels::key_for(
      ConnectionBuilder("10.0.0.5", "10.0.0.1", 3128).tls("").connect_proxy("198.51.100.4", 443).build());
  EXPECT_EQ(proxied_ip.destination, ip("198.51.100.4"));
}

TEST(ChannelTable, AggregatesAndProcessSeparates) {
  Counters counters;
  channels::ChannelTable t({}, counters);
  for (int i = 0; i < 3; ++i) t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("a.example").at(kT0 + i).build());
  t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("a.example").process("C:\\x\\a.exe").build());
  t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("a.example").state("S0").build());
  ASSERT_EQ(t.size(), 2u);
  const auto& plain = t.channels().front();
  EXPECT_TRUE(plain.key.process.empty());
  EXPECT_EQ(plain.connections, 4u);
  EXPECT_EQ(plain.failed, 1u);
  EXPECT_EQ(plain.orig_bytes, 4u * 500);  // the failed attempt sent bytes too
}

TEST(ChannelTable, CapsChannelsAndSamplesWithCounters) {
  Counters counters;
  channels::ChannelLimits limits;
  limits.max_channels = 2;
  limits.samples_per_channel = 3;
  limits.sample_connection_ids = 2;
  channels::ChannelTable t(limits, counters);
  for (int port = 1000; port < 1005; ++port) t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", port).build());
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(counters.get("channels.dropped_connections_over_cap"), 3u);
  for (int i = 0; i < 10; ++i) t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 1000).at(kT0 + i).build());
  const auto& ch = t.channels().front();
  EXPECT_EQ(ch.connections, 11u);  // counts stay exact
  EXPECT_EQ(ch.samples.size(), 3u);
  EXPECT_EQ(ch.sample_ids.size(), 2u);
  EXPECT_EQ(counters.get("channels.samples_not_kept"), 8u);
}

TEST(ChannelTable, DnsNamesChannelsWithoutSni) {
  Counters counters;
  correlate::DnsView dns(counters);
  dns.add(dns_answer("10.0.0.5", "old.example", {"203.0.113.7"}, kT0 - 100 * kMicrosPerSecond));
  dns.add(dns_answer("10.0.0.5", "new.example", {"203.0.113.7"}, kT0 - 10 * kMicrosPerSecond));
  dns.add(dns_answer("10.0.0.6", "other-client.example", {"198.51.100.9"}));
  channels::ChannelTable t({}, counters);
  t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("").build());
  t.add(ConnectionBuilder("10.0.0.5", "198.51.100.9", 443).tls("").build());
  t.name_from_dns(dns);
  std::vector<std::string> names;
  for (const auto& ch : t.channels()) names.push_back(ch.key.name + "/" + channels::name_origin_text(ch.key.name_origin));
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "/none");  // another client's answer does not name this client's channel
  EXPECT_EQ(names[1], "new.example/dns");
}

TEST(Scope, LocalOriginatorsByDefault) {
  Counters counters;
  channels::ChannelTable t({}, counters);
  t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).build());     // outbound
  t.add(ConnectionBuilder("10.0.0.5", "10.0.5.13", 8080).build());      // internal
  t.add(ConnectionBuilder("198.51.100.2", "10.0.0.5", 3389).build());   // inbound
  t.add(ConnectionBuilder("198.51.100.2", "203.0.113.7", 443).build()); // transit
  auto cfg = config::default_config();
  channels::ScopeOptions o{cfg.local_networks, false, false};
  auto r = channels::select_in_scope(t, o);
  EXPECT_EQ(r.in_scope.size(), 2u);
  EXPECT_FALSE(r.all_originators_treated_local);
  o.external_only = true;
  EXPECT_EQ(channels::select_in_scope(t, o).in_scope.size(), 1u);
  o.external_only = false;
  o.include_inbound = true;
  EXPECT_EQ(channels::select_in_scope(t, o).in_scope.size(), 3u);
}

TEST(Scope, NoLocalOriginatorMeansAllAreLocal) {
  Counters counters;
  channels::ChannelTable t({}, counters);
  t.add(ConnectionBuilder("198.51.100.2", "203.0.113.7", 443).build());
  t.add(ConnectionBuilder("198.51.100.3", "203.0.113.8", 443).build());
  auto cfg = config::default_config();
  auto r = channels::select_in_scope(t, {cfg.local_networks, false, false});
  EXPECT_TRUE(r.all_originators_treated_local);
  EXPECT_EQ(r.in_scope.size(), 2u);
}

TEST(Scope, TheFallbackIsPerInput) {
  Counters counters;
  channels::ChannelTable t({}, counters);
  auto sensor = ConnectionBuilder("198.51.100.2", "203.0.113.7", 443);
  sensor.raw().input_file = "outside-nat.pcap";
  auto inside = ConnectionBuilder("10.0.0.5", "203.0.113.8", 443);
  inside.raw().input_file = "lan.pcap";
  auto transit = ConnectionBuilder("198.51.100.9", "203.0.113.9", 443);
  transit.raw().input_file = "lan.pcap";
  for (auto* b : {&sensor, &inside, &transit}) t.add(b->build());
  auto cfg = config::default_config();
  auto r = channels::select_in_scope(t, {cfg.local_networks, false, false});
  EXPECT_EQ(r.inputs_treated_local, std::vector<std::string>{"outside-nat.pcap"});
  EXPECT_EQ(r.in_scope.size(), 2u);  // lan.pcap has local hosts, so its transit connection stays out
}

TEST(DnsView, BoundedAndQueryable) {
  Counters counters;
  correlate::DnsView dns(counters, {2, 1});
  dns.add(dns_answer("10.0.0.5", "a.example", {"203.0.113.1", "203.0.113.2", "203.0.113.3"}));
  EXPECT_TRUE(dns.resolved_by_anyone(ip("203.0.113.1")));
  EXPECT_FALSE(dns.resolved_by_anyone(ip("203.0.113.3")));
  dns.add(dns_answer("10.0.0.5", "b.example", {"203.0.113.1"}));
  EXPECT_EQ(*dns.name_for(ip("10.0.0.5"), ip("203.0.113.1"), kT0), "a.example");
  EXPECT_EQ(counters.get("dns_view.dropped_answers"), 2u);
}

}  // namespace
}  // namespace c2hunt::testing

namespace c2hunt::testing {
namespace {

TEST(ChannelTable, FingerprintsAndSniAreOneCopyPerTableAndSortedListsByKey) {
  Counters counters;
  channels::ChannelTable t({}, counters);
  t.add(ConnectionBuilder("10.0.0.9", "203.0.113.7", 443).tls("a.example").build());
  t.add(ConnectionBuilder("10.0.0.5", "198.51.100.9", 443).tls("a.example").build());
  t.add(ConnectionBuilder("10.0.0.5", "198.51.100.9", 443).tls("a.example").build());
  ASSERT_EQ(t.size(), 2u);
  const auto& first = t.channels()[0];
  const auto& second = t.channels()[1];
  ASSERT_EQ(first.ja3.size(), 1u);
  ASSERT_EQ(second.ja3.size(), 1u);  // the repeat is not listed twice
  EXPECT_FALSE(first.ja3.front().empty());
  EXPECT_EQ(&first.ja3.front(), &second.ja3.front());
  EXPECT_EQ(first.server_name, "a.example");
  EXPECT_EQ(first.server_name.data(), second.server_name.data());
  EXPECT_EQ(second.connections, 2u);
  // Creation order in channels(), key order in sorted().
  auto sorted = t.sorted();
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_EQ(sorted[0], &second);
  EXPECT_EQ(sorted[1], &first);
  EXPECT_EQ(counters.get("channels.texts_not_pooled"), 0u);
}

}  // namespace
}  // namespace c2hunt::testing
