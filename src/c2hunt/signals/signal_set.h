// The T1573 signals. Per-connection families run as each connection joins its channel and tally into
// it; channel families run once at the end over the aggregate. Each family lives in its own file.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "c2hunt/channels/channel.h"
#include "c2hunt/signals/signal_settings.h"
#include "c2hunt/correlate/dns_view.h"
#include "c2hunt/records/connection.h"
#include "c2hunt/signals/beacon.h"
#include "c2hunt/signals/evidence.h"
#include "c2hunt/signals/intel_db.h"
#include "c2hunt/util/string_map.h"

namespace c2hunt::signals {

// Every signal id c2hunt can emit (proc.* included). The config and docs/detections.md cover each.
const std::vector<std::string>& all_signal_ids();

// How many distinct sources use a fingerprint or reach a destination (fp.rare, dest.rare). Built
// from interned ids and sorted pairs (a few bytes per channel while building); only the counts,
// one per distinct fingerprint/destination/source, are kept.
struct Prevalence {
  size_t hosts = 0;                                  // distinct in-scope sources
  // Dense ids for sources and client fingerprints (ja3/ja4), so a channel's lookups build no key.
  std::unordered_map<IpAddress, uint32_t, IpAddressHash> source_ids;
  StringMap<uint32_t> fingerprint_ids;
  std::vector<uint32_t> source_destinations;         // by source id: distinct destinations
  std::vector<uint32_t> fingerprint_hosts;           // by fingerprint id: distinct sources
  std::unordered_map<uint64_t, uint32_t> source_fp_destinations;  // (source id << 32 | fp id) -> distinct destinations
  StringMap<uint32_t> destination_hosts;             // destination label (name or IP) -> distinct sources
  // The same count by the channel's position in the list the prevalence was built from: scoring
  // walks that list, and a lookup by label would hash a string (and format an address) per channel.
  std::vector<uint32_t> channel_destination_hosts;
  // (source, destination, port) -> executables reaching it whose image is suspicious by itself
  // (proc.shared_destination: a second process on the same odd port is injection or migration).
  std::map<std::tuple<IpAddress, std::string, uint16_t>, std::set<std::string>> suspicious_process_destinations;
  // (source, executable) -> distinct JA4 cipher-list hashes over all its channels (proc.many_fingerprints)
  std::map<std::pair<IpAddress, std::string>, std::set<std::string>> process_tls_stacks;
};
std::string destination_label(const channels::ChannelKey& k);
// With threads >= 2 the fingerprint and destination counts run side by side (same result).
Prevalence build_prevalence(const std::vector<channels::Channel*>& channels, unsigned threads = 1);

struct SignalContext {
  const SignalConfig& config;
  const IntelDb& intel;
  const correlate::DnsView* dns = nullptr;       // channel phase only
  const Prevalence* prevalence = nullptr;        // channel phase only
  size_t channel_index = SIZE_MAX;               // channel phase: position in the prevalence's channel list, if known
  bool destination_local = false;                // connection phase: is the responder in local_networks
};

// Per connection (tallied into the channel).
void evaluate_tls(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out);
void evaluate_certificate(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out);
void evaluate_intel(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out);
void evaluate_custom_crypto(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out);
void evaluate_connection(const records::Connection& c, const SignalContext& ctx, channels::Channel& channel);

// Per channel.
// The successful connections of the channel as the beacon analysis input.
BeaconInput beacon_input(const channels::Channel& ch);


void evaluate_beacon(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out);
void evaluate_channel_shape(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out);
void evaluate_prevalence(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out);
void evaluate_dns(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out);
void evaluate_process(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out);
// Tallies plus every channel family; without not-evaluated entries when record_not_evaluated is false
// (the evidence is the same either way).
ChannelFindings evaluate_channel(const channels::Channel& ch, const SignalContext& ctx, bool record_not_evaluated = true);

}  // namespace c2hunt::signals
