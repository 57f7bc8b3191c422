// A channel: every connection from one source (and process, when host telemetry names it) to one
// destination name/IP/port over one transport, aggregated over the analysis window.
//
// Memory bound per channel: `samples_per_channel` ConnectionSamples (24 bytes each, of the first N
// connections, so inter-arrival deltas stay contiguous), `sample_connection_ids` ids,
// `fingerprints_per_channel` strings per fingerprint kind, `certificates_per_channel` certificates,
// a fixed tally block (a detail string only for signals that hit), and one Process with its lineage
// when host telemetry names one. Counts and byte sums stay exact. A channel without host data,
// certificates or hits costs about 500 bytes plus its samples (docs/configuration.md, "Limits").
#pragma once

#include <cstdint>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "c2hunt/records/connection.h"

namespace c2hunt::channels {

enum class NameOrigin : uint8_t { none = 0, sni, connect, dns };
const char* name_origin_text(NameOrigin o);

struct ChannelKey {
  IpAddress source;
  std::string process;        // executable path, empty when no host telemetry attributed it
  std::string name;           // destination name (SNI, CONNECT target or DNS name), may be empty
  NameOrigin name_origin = NameOrigin::none;
  IpAddress destination;      // invalid (family 0) when a proxy CONNECT named the target by name only
  uint16_t port = 0;
  records::Transport transport = records::Transport::other;
  IpAddress proxy;            // the explicit proxy the CONNECT went through; invalid when direct

  friend auto operator<=>(const ChannelKey&, const ChannelKey&) = default;
  std::string to_string() const;  // "10.0.0.5 -> example.com[93.184.216.34]:443/tcp"
};

// A successful connection of the channel (a failed attempt is no callback: only counted).
struct ConnectionSample {
  TimeMicros start = 0;
  uint64_t orig_bytes = 0, resp_bytes = 0;
};

// Outcomes of the per-connection signals over the channel's connections. The signals layer numbers
// its per-connection signal ids (slots); a channel keeps flags and an interned first not-evaluated
// reason per slot, and a hit record only for the signals that fired.
struct SignalTallies {
  static constexpr size_t kSlots = 16;
  struct Hit {
    uint8_t slot = 0;
    uint64_t hits = 0;
    double max_strength = 0;
    std::string detail;  // detail of the strongest hit
  };
  uint16_t passed = 0;          // bit per slot: some connection passed
  uint16_t not_evaluated = 0;   // bit per slot: some connection could not evaluate it
  std::array<uint16_t, kSlots> reason{};  // first not-evaluated reason (an interned string's index)
  std::vector<Hit> hits;        // slots with at least one hit, in first-hit order

  Hit* hit(size_t slot) {
    for (auto& h : hits)
      if (h.slot == slot) return &h;
    return nullptr;
  }
  const Hit* hit(size_t slot) const { return const_cast<SignalTallies*>(this)->hit(slot); }
};

struct SeenCertificate {
  records::Certificate certificate;
  TimeMicros first_use = 0;
  uint64_t connections = 0;
};

struct Channel {
  ChannelKey key;
  TimeMicros first_seen = 0, last_seen = 0;
  uint64_t connections = 0, successful = 0, failed = 0;
  uint64_t orig_bytes = 0, resp_bytes = 0;
  TimeMicros max_duration = 0, total_duration = 0;
  std::vector<ConnectionSample> samples;  // the successful ones of the first samples_per_channel connections
  uint64_t samples_taken = 0;              // connections counted against samples_per_channel
  uint64_t samples_dropped = 0;
  std::vector<uint64_t> sample_ids;

  uint64_t tls_connections = 0;
  uint16_t tls_version = 0;           // the latest negotiated version seen
  std::string server_name;            // the latest SNI seen
  std::vector<std::string> ja3, ja4, ja3s, ja4s;  // distinct, first seen first, capped
  std::vector<SeenCertificate> certificates;      // distinct by SHA-1 (or subject), capped

  // Shared and immutable: a channel without host data pays one null pointer, and channels of one
  // process can share the copy.
  std::shared_ptr<const records::Process> process;  // the most recent process (latest connection) of the channel
  std::vector<records::Process> lineage;         // its lineage
  TimeMicros process_seen = 0;                   // start of the connection that named `process`
  std::vector<std::string> process_entity_ids;   // every process of the channel, first seen first, capped

  SignalTallies tallies;

  std::string_view input_file;        // the input of the first connection (interned by the table; per-input scope)
  bool source_local = false, destination_local = false;
};

// A connection that did not complete (no callback happened): S0, REJ, RSTOS0, SH, SHR, RSTRH, OTH
// with no answer, or a TCP/UDP connection whose responder sent nothing.
bool connection_failed(const records::Connection& c);

}  // namespace c2hunt::channels
