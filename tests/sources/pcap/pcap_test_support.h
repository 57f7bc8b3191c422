// Builders for hand-made packets and pcap files (written with libpcap's own pcap_dump), and
// recording consumers/observers, for the packet-pipeline tests.
#pragma once

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "c2hunt/records/consumer.h"
#include "c2hunt/sources/pcap/capture_source.h"
#include "c2hunt/sources/pcap/packet_decoder.h"

namespace c2hunt::pcap::testing {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
inline Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void put32(Bytes& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v >> 16));
  put16(b, static_cast<uint16_t>(v));
}

constexpr uint8_t FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

inline Bytes tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, const Bytes& payload = {}) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put32(b, seq);
  put32(b, ack);
  b.push_back(0x50);
  b.push_back(flags);
  put16(b, 65535);
  put32(b, 0);
  return cat({b, payload});
}
inline Bytes udp(uint16_t sport, uint16_t dport, const Bytes& payload) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, static_cast<uint16_t>(8 + payload.size()));
  put16(b, 0);
  return cat({b, payload});
}

struct V4 {
  uint8_t a[4];
};
inline Bytes ipv4(V4 src, V4 dst, uint8_t proto, const Bytes& payload, uint16_t frag = 0) {
  Bytes b = {0x45, 0};
  put16(b, static_cast<uint16_t>(20 + payload.size()));
  put16(b, 1);
  put16(b, frag);
  b.push_back(64);
  b.push_back(proto);
  put16(b, 0);
  b.insert(b.end(), src.a, src.a + 4);
  b.insert(b.end(), dst.a, dst.a + 4);
  return cat({b, payload});
}
// `chain` is the already-built extension headers; `first_next` is the Next Header of the fixed header.
inline Bytes ipv6(uint8_t last_byte_src, uint8_t last_byte_dst, uint8_t first_next, const Bytes& chain_and_payload) {
  Bytes b = {0x60, 0, 0, 0};
  put16(b, static_cast<uint16_t>(chain_and_payload.size()));
  b.push_back(first_next);
  b.push_back(64);
  Bytes src(16, 0), dst(16, 0);
  src[0] = dst[0] = 0x20;
  src[1] = dst[1] = 0x01;
  src[15] = last_byte_src;
  dst[15] = last_byte_dst;
  return cat({b, src, dst, chain_and_payload});
}
// Hop-by-hop / routing / destination options header of 8 bytes.
inline Bytes ext8(uint8_t next) { return {next, 0, 1, 4, 0, 0, 0, 0}; }
inline Bytes frag6(uint8_t next, uint16_t offset_units, bool more) {
  Bytes b = {next, 0};
  put16(b, static_cast<uint16_t>(offset_units << 3 | (more ? 1 : 0)));
  put32(b, 0x1234);
  return b;
}

inline Bytes ethernet(uint16_t ethertype, const Bytes& payload, std::vector<std::pair<uint16_t, uint16_t>> tags = {}) {
  Bytes b = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};
  for (auto [tpid, vid] : tags) {
    put16(b, tpid);
    put16(b, vid);
  }
  put16(b, ethertype);
  return cat({b, payload});
}

struct Frame {
  int64_t ts_us;
  Bytes bytes;
  uint32_t wire_length = 0;  // 0 = bytes.size()
};

// Writes a pcap file with libpcap; returns its path (under the test temp dir).
inline std::string write_pcap(const std::string& name, int dlt, const std::vector<Frame>& frames) {
  std::string path = ::testing::TempDir() + "c2hunt_" + name + ".pcap";
  pcap_t* dead = pcap_open_dead(dlt, 262144);
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  for (const Frame& f : frames) {
    pcap_pkthdr h{};
    h.ts.tv_sec = f.ts_us / 1000000;
    h.ts.tv_usec = f.ts_us % 1000000;
    h.caplen = static_cast<uint32_t>(f.bytes.size());
    h.len = f.wire_length ? f.wire_length : h.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper), &h, f.bytes.data());
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
  return path;
}

class Collector : public records::RecordConsumer {
 public:
  void on_connection(records::Connection&& c) override { connections.push_back(std::move(c)); }
  void on_dns(records::DnsResolution&& d) override { dns.push_back(std::move(d)); }
  std::vector<records::Connection> connections;
  std::vector<records::DnsResolution> dns;
};

class StreamRecorder : public StreamObserver {
 public:
  void on_stream_bytes(uint64_t id, bool from_orig, ByteView bytes) override {
    auto& s = streams[{id, from_orig}];
    s.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  void on_stream_gap(uint64_t id, bool from_orig, uint64_t missing) override { gaps[{id, from_orig}] += missing; }
  std::string stream(uint64_t id, bool from_orig) const {
    auto it = streams.find({id, from_orig});
    return it == streams.end() ? std::string() : it->second;
  }
  uint64_t gap(uint64_t id, bool from_orig) const {
    auto it = gaps.find({id, from_orig});
    return it == gaps.end() ? 0 : it->second;
  }
  std::map<std::pair<uint64_t, bool>, std::string> streams;
  std::map<std::pair<uint64_t, bool>, uint64_t> gaps;
};

// Runs a CaptureSource over files; diagnostics go to a memory stream readable as `messages`.
// pcapng blocks, big-endian (libpcap reads either byte order): a block is type, length, body, length.
inline Bytes pcapng_block(uint32_t type, const Bytes& body) {
  Bytes padded = body;
  padded.resize((padded.size() + 3) / 4 * 4, 0);
  Bytes b;
  put32(b, type);
  put32(b, static_cast<uint32_t>(12 + padded.size()));
  b.insert(b.end(), padded.begin(), padded.end());
  put32(b, static_cast<uint32_t>(12 + padded.size()));
  return b;
}
inline Bytes pcapng_interface(uint16_t link_type) {
  Bytes body;
  put16(body, link_type);
  put16(body, 0);
  put32(body, 65535);
  return pcapng_block(1, body);
}
inline Bytes pcapng_packet(uint32_t interface, uint32_t seconds, const Bytes& frame) {
  Bytes body;
  put32(body, interface);
  uint64_t micros = uint64_t{seconds} * 1000000;
  put32(body, static_cast<uint32_t>(micros >> 32));
  put32(body, static_cast<uint32_t>(micros));
  put32(body, static_cast<uint32_t>(frame.size()));
  put32(body, static_cast<uint32_t>(frame.size()));
  body.insert(body.end(), frame.begin(), frame.end());
  return pcapng_block(6, body);
}

inline Bytes pcapng_section() {
  Bytes section;
  put32(section, 0x1A2B3C4D);
  put16(section, 1);
  put16(section, 0);
  put32(section, 0xFFFFFFFF);
  put32(section, 0xFFFFFFFF);
  return pcapng_block(0x0A0D0D0A, section);
}

struct PcapRun {
  explicit PcapRun(CaptureOptions options = {}) {
    diag_stream = open_memstream(&diag_buffer, &diag_size);
    diagnostics = std::make_unique<Diagnostics>(diag_stream);
    source = std::make_unique<CaptureSource>(std::move(options), collector, counters, *diagnostics);
  }
  ~PcapRun() {
    std::fclose(diag_stream);
    std::free(diag_buffer);
  }
  bool read(const std::string& path) { return source->read_file(path); }
  // Ends the input; connections are then ordered by id (creation order) for the assertions.
  void finish() {
    source->finish();
    std::sort(collector.connections.begin(), collector.connections.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
  }
  std::string messages() {
    std::fflush(diag_stream);
    return std::string(diag_buffer, diag_size);
  }
  uint64_t counter(const std::string& name) const { return counters.get("pcap." + name); }

  Collector collector;
  Counters counters;
  std::FILE* diag_stream = nullptr;
  char* diag_buffer = nullptr;
  size_t diag_size = 0;
  std::unique_ptr<Diagnostics> diagnostics;
  std::unique_ptr<CaptureSource> source;
};

}  // namespace c2hunt::pcap::testing
