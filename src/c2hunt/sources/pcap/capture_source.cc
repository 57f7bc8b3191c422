// The packet pipeline: file -> libpcap -> decode -> connection table -> handshake reassembly ->
// content classification -> TLS/QUIC/DNS analyzers -> records.
#include "c2hunt/sources/pcap/capture_source.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "c2hunt/fingerprints/tls_fingerprints.h"
#include "c2hunt/protocols/dns/dns_message.h"
#include "c2hunt/protocols/quic/quic_initial.h"
#include "c2hunt/protocols/tls/tls_stream.h"
#include "c2hunt/sources/pcap/app_classifier.h"
#include "c2hunt/sources/pcap/capture_file.h"
#include "c2hunt/sources/pcap/flow_table.h"
#include "c2hunt/sources/pcap/packet_decoder.h"
#include "c2hunt/sources/pcap/tcp_reassembler.h"
#include "c2hunt/sources/pcap/tcp_state.h"
#include "c2hunt/x509/certificate_cache.h"

namespace c2hunt::pcap {
namespace {

using records::AppProtocol;
using records::Connection;
using records::EndReason;
using records::Transport;

constexpr int kTcpList = 0, kDatagramList = 1, kClosingList = 2;
constexpr size_t kMaxConnectLine = 1024;         // request line kept for parsing
constexpr size_t kMaxConnectHeaderBytes = 8192;  // CONNECT request/response headers scanned for their end
constexpr size_t kPcapFileHeaderBytes = 24, kPcapRecordHeaderBytes = 16;
// Interfaces of one pcapng read in passes of their own (each pass reads the whole file).
constexpr uint32_t kMaxInterfacePasses = 64;

// Where each TCP direction's in-order bytes go next.
enum class Stage : uint8_t { pending, tls, connect_headers, tunnel, done };
enum class DatagramApp : uint8_t { pending, dns, quic, done };

struct ConnectState {
  std::string request_line;
  bool line_complete = false;
  std::string status;  // first bytes of the proxy's response
  uint8_t header_end_match[2] = {0, 0};
  uint32_t header_bytes[2] = {0, 0};
};

struct Flow {
  FlowKey key{};
  uint64_t hash = 0;
  LruLinks lru;
  bool orig_is_a = true;  // the originator is key.addr[0]/port[0]
  bool closing = false;
  Connection conn;
  TcpEndpoint tcp[2];     // [0] = originator
  TcpReassembler stream[2];
  Stage stage[2] = {Stage::pending, Stage::pending};
  DatagramApp datagram_app = DatagramApp::pending;
  std::unique_ptr<tls::TlsStreamParser> tls;
  std::unique_ptr<quic::QuicInitialParser> quic;
  std::unique_ptr<ConnectState> connect;
};

Transport transport_for(uint8_t proto) {
  switch (proto) {
    case kProtoTcp: return Transport::tcp;
    case kProtoUdp: return Transport::udp;
    case kProtoIcmp:
    case kProtoIcmpV6: return Transport::icmp;
    default: return Transport::other;
  }
}

inline void append_sample(std::vector<uint8_t>& sample, ByteView bytes) {
  size_t room = records::kPayloadSampleBytes - sample.size();
  if (room == 0 || bytes.empty()) return;
  size_t n = std::min(room, bytes.size());
  // Reserved once, on the first payload: later appends never move it (views into it stay valid).
  if (sample.capacity() < records::kPayloadSampleBytes) sample.reserve(records::kPayloadSampleBytes);
  sample.insert(sample.end(), bytes.data(), bytes.data() + n);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

struct CaptureSource::Impl {
  Impl(CaptureOptions o, records::RecordConsumer& consumer_, Counters& c, Diagnostics& d)
      : options(std::move(o)), consumer(consumer_), counters(c), diagnostics(d), decoder(c),
        packets(c.counter("pcap.packets")), bytes(c.counter("pcap.bytes")),
        filtered_out(c.counter("pcap.packets_filtered_out")), connections(c.counter("pcap.connections")),
        evicted(c.counter("pcap.connections_evicted")), idle_timeouts(c.counter("pcap.connections_idle_timeout")),
        tls_handshakes(c.counter("pcap.tls_handshakes")), quic_initials(c.counter("pcap.quic_initials")),
        dns_responses(c.counter("pcap.dns_responses")), unsupported_link(c.counter("pcap.unsupported_link_type")),
        truncated_files(c.counter("pcap.truncated_last_packet")), damaged_files(c.counter("pcap.damaged_files")),
        interface_passes(c.counter("pcap.pcapng_interface_passes")) {
    shared.window_bytes = static_cast<uint32_t>(std::min<size_t>(options.reassembly_window_bytes, 1u << 30));
    shared.max_segments = static_cast<uint32_t>(std::min<size_t>(options.max_out_of_order_segments, 1u << 20));
    shared.memory_limit = options.max_reassembly_memory;
    shared.out_of_order = &c.counter("pcap.tcp_out_of_order_segments");
    shared.retransmissions = &c.counter("pcap.tcp_retransmissions");
    shared.overlaps_conflicting = &c.counter("pcap.tcp_overlaps_conflicting");
    shared.segments_dropped = &c.counter("pcap.reassembly_segments_dropped");
    shared.gaps = &c.counter("pcap.reassembly_gaps");
    if (options.max_connections == 0) options.max_connections = 1;
  }

  void process(TimeMicros ts, ByteView frame);
  void expire(TimeMicros now);
  void emit(uint32_t index, EndReason reason);
  void end_all_flows();  // closing ones as closed, the rest as input_end
  uint32_t create(const FlowKey& key, uint64_t hash, const DecodedPacket& pkt, bool from_a, TimeMicros ts);
  void handle_tcp(Flow& f, int d, const DecodedPacket& pkt);
  void handle_datagram(Flow& f, int d, const DecodedPacket& pkt, TimeMicros ts);
  void handle_dns(const DecodedPacket& pkt, TimeMicros ts);

  bool on_stream_bytes(Flow& f, int d, ByteView bytes);
  void on_stream_gap(Flow& f, int d, uint64_t missing);
  bool wants_more(const Flow& f, int d) const {
    const auto& sample = d == 0 ? f.conn.orig_payload_sample : f.conn.resp_payload_sample;
    // An observer (tests, tooling) sees the whole reassembly window regardless of the analyzers.
    return f.stage[d] != Stage::done || sample.size() < records::kPayloadSampleBytes ||
           options.stream_observer != nullptr;
  }
  void classify_client(Flow& f, ByteView before, ByteView bytes);
  void start_tls(Flow& f);
  void feed_tls(Flow& f, int d, ByteView bytes);
  void feed_connect(Flow& f, int d, ByteView bytes);
  void finish_streams(Flow& f);

  auto deliverer(Flow& f, int d) {
    return [this, &f, d](ByteView b) { return on_stream_bytes(f, d, b); };
  }
  auto gap_reporter(Flow& f, int d) {
    return [this, &f, d](uint64_t missing) { on_stream_gap(f, d, missing); };
  }

  bool read(const std::string& path);
  struct FileRead {
    bool opened = false;            // libpcap accepted the file and its packets were read
    bool refused_interface = false;  // libpcap stopped at an interface it does not read with the first
    uint64_t packets = 0;           // packets it returned
  };
  FileRead read_packets(const std::string& path, std::FILE* file, CaptureFileState& file_state,
                        const PcapngInterfaceFilter* pass);
  void read_interface_passes(const std::string& path, uint64_t already);

  CaptureOptions options;
  records::RecordConsumer& consumer;
  Counters& counters;
  Diagnostics& diagnostics;
  PacketDecoder decoder;
  FlowTable<Flow> table;
  ReassemblyShared shared;
  // Shared by every TLS connection: certificates seen before are not described again.
  x509::CertificateCache certificate_cache{4096, &counters};
  tls::StreamCounters tls_counters;
  DecodedPacket packet;
  dns::Message dns_message;
  LinkKind link = LinkKind::unsupported;
  bpf_program filter{};
  bool have_filter = false;
  std::string current_file;
  uint64_t next_id = 1;
  TimeMicros newest = INT64_MIN;

  uint64_t &packets, &bytes, &filtered_out, &connections, &evicted, &idle_timeouts, &tls_handshakes, &quic_initials,
      &dns_responses, &unsupported_link, &truncated_files, &damaged_files, &interface_passes;
};

// ---- packets -> flows ------------------------------------------------------------------------

void CaptureSource::Impl::process(TimeMicros ts, ByteView frame) {
  DecodedPacket& pkt = packet;
  if (!decoder.decode(link, frame, pkt)) return;
  if (ts > newest) newest = ts;
  expire(newest);

  FlowKey key;
  int order = std::memcmp(pkt.src.bytes.data(), pkt.dst.bytes.data(), 16);
  bool from_a = order < 0 || (order == 0 && pkt.src_port <= pkt.dst_port);
  const IpAddress& a = from_a ? pkt.src : pkt.dst;
  const IpAddress& b = from_a ? pkt.dst : pkt.src;
  std::memcpy(key.addr[0], a.bytes.data(), 16);
  std::memcpy(key.addr[1], b.bytes.data(), 16);
  key.port[0] = from_a ? pkt.src_port : pkt.dst_port;
  key.port[1] = from_a ? pkt.dst_port : pkt.src_port;
  key.proto = pkt.ip_proto;
  key.family = pkt.src.family;
  key.vlan = pkt.vlan;
  uint64_t hash = hash_flow_key(key);

  uint32_t index = table.find(key, hash);
  if (index != kNoFlow) {
    Flow& old = table.at(index);
    // A new SYN on a finished connection is the port being reused: start a new connection.
    if (old.closing && pkt.ip_proto == kProtoTcp && (pkt.tcp_flags & (kTcpSyn | kTcpAck)) == kTcpSyn) {
      emit(index, EndReason::closed);
      index = kNoFlow;
    }
  }
  if (index == kNoFlow) index = create(key, hash, pkt, from_a, ts);
  Flow& f = table.at(index);
  int d = (from_a == f.orig_is_a) ? 0 : 1;
  records::DirectionStats& st = d == 0 ? f.conn.orig_stats : f.conn.resp_stats;
  ++st.packets;
  st.ip_bytes += pkt.ip_bytes;
  if (ts > f.conn.last_seen) f.conn.last_seen = ts;
  if (f.conn.transport == Transport::tcp) {
    handle_tcp(f, d, pkt);
  } else {
    st.payload_bytes += pkt.payload_length;
    handle_datagram(f, d, pkt, ts);
  }
  table.touch(index, f.closing ? kClosingList : f.conn.transport == Transport::tcp ? kTcpList : kDatagramList);
}

uint32_t CaptureSource::Impl::create(const FlowKey& key, uint64_t hash, const DecodedPacket& pkt, bool from_a,
                                     TimeMicros ts) {
  while (table.size() >= options.max_connections) {
    uint32_t victim = kNoFlow;
    for (int list = 0; list < FlowTable<Flow>::kLists; ++list) {
      uint32_t cand = table.oldest(list);
      if (cand != kNoFlow && (victim == kNoFlow || table.at(cand).conn.last_seen < table.at(victim).conn.last_seen))
        victim = cand;
    }
    ++evicted;
    emit(victim, EndReason::evicted);
  }
  Transport transport = transport_for(pkt.ip_proto);
  uint32_t index = table.insert(key, hash, transport == Transport::tcp ? kTcpList : kDatagramList);
  Flow& f = table.at(index);
  ++connections;
  // The originator sent the first packet, except that a SYN-ACK seen first means its receiver is.
  bool sender_is_orig = !(pkt.ip_proto == kProtoTcp && (pkt.tcp_flags & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck));
  f.orig_is_a = sender_is_orig ? from_a : !from_a;
  Connection& c = f.conn;
  c.id = next_id++;
  c.source = "pcap";
  c.input_file = current_file;
  c.transport = transport;
  c.orig = {sender_is_orig ? pkt.src : pkt.dst, sender_is_orig ? pkt.src_port : pkt.dst_port};
  c.resp = {sender_is_orig ? pkt.dst : pkt.src, sender_is_orig ? pkt.dst_port : pkt.src_port};
  c.first_seen = c.last_seen = ts;
  c.vlan = pkt.vlan;
  if (!sender_is_orig) c.history.push_back('^');
  if (transport != Transport::tcp) f.stage[0] = f.stage[1] = Stage::done;
  return index;
}

void CaptureSource::Impl::expire(TimeMicros now) {
  const TimeMicros timeouts[FlowTable<Flow>::kLists] = {options.tcp_idle_timeout, options.udp_idle_timeout,
                                                        options.tcp_close_linger};
  for (int list = 0; list < FlowTable<Flow>::kLists; ++list) {
    for (uint32_t i = table.oldest(list); i != kNoFlow && table.at(i).conn.last_seen + timeouts[list] < now;
         i = table.oldest(list)) {
      if (list != kClosingList) ++idle_timeouts;
      emit(i, list == kClosingList ? EndReason::closed : EndReason::idle_timeout);
    }
  }
}

void CaptureSource::Impl::handle_tcp(Flow& f, int d, const DecodedPacket& pkt) {
  TcpEndpoint& me = f.tcp[d];
  TcpEndpoint& peer = f.tcp[1 - d];
  std::string& history = f.conn.history;
  bool orig = d == 0;
  uint8_t flags = pkt.tcp_flags;
  bool syn = flags & kTcpSyn, ack = flags & kTcpAck, fin = flags & kTcpFin, rst = flags & kTcpRst;
  if (syn) add_history(history, me, orig, ack ? 'H' : 'S');
  if (fin) add_history(history, me, orig, 'F');
  if (rst) add_history(history, me, orig, 'R');
  if (pkt.payload_length > 0) add_history(history, me, orig, 'D');
  else if (ack && !syn && !fin && !rst) add_history(history, me, orig, 'A');
  apply_tcp_flags(flags, pkt.payload_length > 0, me, peer);

  // Sequence-space payload bytes (as Zeek's orig_bytes): retransmissions are not counted twice.
  uint32_t data_seq = pkt.seq + (syn ? 1 : 0);
  if (syn || (!me.seq_known && (pkt.payload_length > 0 || fin))) {
    if (!me.seq_known || syn) me.seq_max_end = data_seq;
    me.seq_known = true;
  }
  TcpReassembler& stream = f.stream[d];
  if (stream.active() && !stream.started() && (syn || pkt.payload_length > 0)) stream.start(data_seq);
  if (pkt.payload_length > 0 && me.seq_known) {
    uint32_t end = data_seq + pkt.payload_length;
    auto advance = static_cast<int32_t>(end - me.seq_max_end);
    records::DirectionStats& st = orig ? f.conn.orig_stats : f.conn.resp_stats;
    bool retransmission;
    if (stream.active()) {
      retransmission = stream.add(shared, data_seq, pkt.payload, deliverer(f, d)) == SegmentKind::retransmission;
    } else {
      retransmission = advance <= 0;
      if (retransmission) ++*shared.retransmissions;
    }
    if (advance > 0) {
      st.payload_bytes += static_cast<uint32_t>(advance);
      me.seq_max_end = end;
    }
    if (retransmission) add_history(history, me, orig, 'T');
  }
  if (ack && f.stream[1 - d].active()) f.stream[1 - d].acked(shared, pkt.ack, deliverer(f, 1 - d), gap_reporter(f, 1 - d));

  using S = TcpEndpointState;
  bool done = me.state == S::reset || peer.state == S::reset || (me.state == S::closed && peer.state == S::closed);
  if (done && !f.closing) {
    f.closing = true;
    finish_streams(f);
  }
}

void CaptureSource::Impl::handle_datagram(Flow& f, int d, const DecodedPacket& pkt, TimeMicros ts) {
  bool orig = d == 0;
  std::vector<uint8_t>& sample = orig ? f.conn.orig_payload_sample : f.conn.resp_payload_sample;
  append_sample(sample, pkt.payload);
  if (pkt.payload_length > 0) add_history(f.conn.history, f.tcp[d], orig, 'D');
  if (f.conn.transport != Transport::udp || pkt.payload.empty()) return;
  if (f.datagram_app == DatagramApp::pending) {
    if (dns::looks_like_dns(pkt.payload)) {
      f.datagram_app = DatagramApp::dns;
      f.conn.app_protocol = AppProtocol::dns;
    } else if (orig && quic::looks_like_quic_initial(pkt.payload)) {
      f.datagram_app = DatagramApp::quic;
      f.conn.app_protocol = AppProtocol::quic;
      f.quic = std::make_unique<quic::QuicInitialParser>();
    } else {
      f.datagram_app = DatagramApp::done;
    }
  }
  if (f.datagram_app == DatagramApp::dns) {
    handle_dns(pkt, ts);
  } else if (f.datagram_app == DatagramApp::quic) {
    if (quic::looks_like_quic_initial(pkt.payload)) ++quic_initials;
    if (f.quic->feed_datagram(orig, pkt.payload) != quic::Progress::need_more) f.datagram_app = DatagramApp::done;
  }
}

void CaptureSource::Impl::handle_dns(const DecodedPacket& pkt, TimeMicros ts) {
  if (!dns::looks_like_dns(pkt.payload) || !dns::parse_message(pkt.payload, dns_message) || !dns_message.is_response)
    return;
  ++dns_responses;
  records::DnsResolution r;
  for (const dns::Answer& a : dns_message.answers) {
    if (a.address.valid()) r.addresses.push_back(a.address);
    else if (!a.target.empty()) r.cnames.push_back(a.target);
    else continue;
    r.min_ttl = (r.addresses.size() + r.cnames.size() == 1) ? a.ttl : std::min(r.min_ttl, a.ttl);
  }
  if (r.addresses.empty()) return;
  r.time = ts;
  r.client = pkt.dst;
  r.query = dns_message.query;
  r.qtype = dns_message.qtype;
  r.rcode = dns_message.rcode;
  r.source = "pcap";
  consumer.on_dns(std::move(r));
}

// ---- in-order stream bytes -> classification and analyzers --------------------------------------

bool CaptureSource::Impl::on_stream_bytes(Flow& f, int d, ByteView b) {
  if (options.stream_observer) options.stream_observer->on_stream_bytes(f.conn.id, d == 0, b);
  std::vector<uint8_t>& sample = d == 0 ? f.conn.orig_payload_sample : f.conn.resp_payload_sample;
  size_t before_total = f.stream[d].delivered() - b.size();
  // While a direction is pending it has fewer bytes than the sample holds, so the sample is its stream so far.
  ByteView before(sample.data(), std::min(before_total, sample.size()));
  append_sample(sample, b);
  switch (f.stage[d]) {
    case Stage::pending:
      if (d == 0) {
        classify_client(f, before, b);
      } else if (f.stream[0].delivered() == 0 && classify_server_stream(sample) == StreamGuess::ssh) {
        f.conn.app_protocol = AppProtocol::ssh;
        f.stage[0] = f.stage[1] = Stage::done;
      }
      break;
    case Stage::tls: feed_tls(f, d, b); break;
    case Stage::connect_headers:
    case Stage::tunnel: feed_connect(f, d, b); break;
    case Stage::done: break;
  }
  return wants_more(f, d);
}

void CaptureSource::Impl::classify_client(Flow& f, ByteView before, ByteView b) {
  const std::vector<uint8_t>& sample = f.conn.orig_payload_sample;
  StreamGuess guess = classify_client_stream(sample);
  if (guess == StreamGuess::need_more) {
    if (sample.size() >= records::kPayloadSampleBytes) f.stage[0] = Stage::done;
    return;
  }
  switch (guess) {
    case StreamGuess::tls:
      start_tls(f);
      feed_tls(f, 0, before);
      feed_tls(f, 0, b);
      return;
    case StreamGuess::http_connect:
      f.conn.app_protocol = AppProtocol::http;
      f.connect = std::make_unique<ConnectState>();
      f.stage[0] = Stage::connect_headers;
      feed_connect(f, 0, before);
      feed_connect(f, 0, b);
      if (f.stage[1] == Stage::pending) {
        f.stage[1] = Stage::connect_headers;
        // A proxy answer already delivered (unusual ordering) is in the responder's sample.
        if (f.stream[1].delivered() <= records::kPayloadSampleBytes) feed_connect(f, 1, f.conn.resp_payload_sample);
        else f.stage[1] = Stage::done;
      }
      return;
    case StreamGuess::http: f.conn.app_protocol = AppProtocol::http; break;
    case StreamGuess::ssh: f.conn.app_protocol = AppProtocol::ssh; break;
    case StreamGuess::smb: f.conn.app_protocol = AppProtocol::smb; break;
    case StreamGuess::rdp: f.conn.app_protocol = AppProtocol::rdp; break;
    case StreamGuess::dns: f.conn.app_protocol = AppProtocol::dns; break;
    default: break;
  }
  f.stage[0] = f.stage[1] = Stage::done;
}

void CaptureSource::Impl::start_tls(Flow& f) {
  f.conn.app_protocol = AppProtocol::tls;
  if (!f.tls) {
    tls::StreamLimits limits;
    limits.certificate_cache = &certificate_cache;
    f.tls = std::make_unique<tls::TlsStreamParser>(limits, &tls_counters);
  }
  f.stage[0] = Stage::tls;
  if (f.stage[1] == Stage::pending || f.stage[1] == Stage::tunnel) {
    bool was_pending = f.stage[1] == Stage::pending;
    f.stage[1] = Stage::tls;
    // Server bytes delivered before the client was recognised are all in the responder's sample, if it
    // has not overflowed; otherwise the server side cannot be parsed from its start.
    if (was_pending && f.stream[1].delivered() > 0) {
      if (f.stream[1].delivered() <= records::kPayloadSampleBytes) feed_tls(f, 1, f.conn.resp_payload_sample);
      else f.stage[1] = Stage::done;
    }
  }
}

void CaptureSource::Impl::feed_tls(Flow& f, int d, ByteView bytes) {
  if (bytes.empty() || f.stage[d] != Stage::tls) return;
  tls::Progress p = f.tls->feed(d == 0 ? tls::Direction::client_to_server : tls::Direction::server_to_client, bytes);
  if (p == tls::Progress::need_more) return;
  f.stage[0] = f.stage[1] = Stage::done;
  if (p == tls::Progress::not_tls && f.tls->session().client_hellos.empty())
    f.conn.app_protocol = f.connect ? AppProtocol::http : AppProtocol::unknown;
  f.tls->finish();
}

// HTTP CONNECT: headers in both directions up to their blank line; after a 2xx the tunnel carries TLS.
void CaptureSource::Impl::feed_connect(Flow& f, int d, ByteView bytes) {
  ConnectState& cs = *f.connect;
  size_t i = 0;
  if (f.stage[d] == Stage::connect_headers) {
    static constexpr char kEnd[] = "\r\n\r\n";
    for (; i < bytes.size(); ++i) {
      char ch = static_cast<char>(bytes[i]);
      if (d == 0 && !cs.line_complete) {
        if (ch == '\n') {
          cs.line_complete = true;
          if (auto target = parse_connect_request_line(cs.request_line)) {
            f.conn.connect_host = std::move(target->host);
            f.conn.connect_port = target->port;
          }
          std::string().swap(cs.request_line);
        } else if (cs.request_line.size() < kMaxConnectLine) {
          cs.request_line.push_back(ch);
        }
      }
      if (d == 1 && cs.status.size() < 12) cs.status.push_back(ch);
      uint8_t& m = cs.header_end_match[d];
      m = ch == kEnd[m] ? m + 1 : (ch == '\r' ? 1 : 0);
      if (++cs.header_bytes[d] > kMaxConnectHeaderBytes) {
        f.stage[0] = f.stage[1] = Stage::done;
        return;
      }
      if (m == 4) {
        ++i;
        if (d == 1 && !is_success_status_line(cs.status)) {
          f.stage[0] = f.stage[1] = Stage::done;  // the proxy refused: no tunnel
          return;
        }
        f.stage[d] = (d == 1 && f.tls) ? Stage::tls : Stage::tunnel;
        break;
      }
    }
  }
  ByteView rest = bytes.subspan(std::min(i, bytes.size()));
  if (rest.empty()) return;
  if (f.stage[d] == Stage::tls) {
    feed_tls(f, d, rest);
  } else if (f.stage[d] == Stage::tunnel) {
    if (d == 0 && tls::looks_like_tls_client_start(rest)) {
      start_tls(f);
      feed_tls(f, 0, rest);
    } else {
      f.stage[d] = Stage::done;
    }
  }
}

void CaptureSource::Impl::on_stream_gap(Flow& f, int d, uint64_t missing) {
  records::DirectionStats& st = d == 0 ? f.conn.orig_stats : f.conn.resp_stats;
  ++st.reassembly_gaps;
  st.gap_bytes += missing;
  add_history(f.conn.history, f.tcp[d], d == 0, 'G');
  if (options.stream_observer) options.stream_observer->on_stream_gap(f.conn.id, d == 0, missing);
  if (f.tls && f.stage[d] == Stage::tls)
    f.tls->gap(d == 0 ? tls::Direction::client_to_server : tls::Direction::server_to_client);
  f.stage[d] = Stage::done;
}

void CaptureSource::Impl::finish_streams(Flow& f) {
  for (int d = 0; d < 2; ++d) f.stream[d].finish(shared, deliverer(f, d), gap_reporter(f, d));
}

// ---- flows -> records ---------------------------------------------------------------------------

void CaptureSource::Impl::emit(uint32_t index, EndReason reason) {
  Flow& f = table.at(index);
  finish_streams(f);
  Connection& c = f.conn;
  c.end_reason = reason;
  if (c.transport == Transport::tcp) {
    bool any_payload = c.orig_stats.payload_bytes + c.resp_stats.payload_bytes > 0;
    c.conn_state = zeek_tcp_conn_state(f.tcp[0], f.tcp[1], any_payload);
  } else {
    c.conn_state = zeek_datagram_conn_state(c.orig_stats.packets, c.resp_stats.packets);
  }
  if (f.quic) quic::add_counters(f.quic->stats(), counters);
  records::TlsSession* session = f.tls ? &f.tls->session() : f.quic ? &f.quic->session() : nullptr;
  if (session && (!session->client_hellos.empty() || !session->server_hellos.empty())) {
    for (auto& hello : session->client_hellos)
      if (hello.ja3.empty()) fingerprints::fill_client_fingerprints(hello);
    for (auto& hello : session->server_hellos)
      if (hello.ja3s.empty()) fingerprints::fill_server_fingerprints(hello);
    tls_handshakes += session->client_hellos.size();
    c.tls = std::move(*session);
  }
  consumer.on_connection(std::move(c));
  table.erase(index);
  table.at(index) = Flow();
}

// ---- files ----------------------------------------------------------------------------------------

bool CaptureSource::Impl::read(const std::string& path) {
  CaptureFileState file_state;
  std::string error;
  std::FILE* file = open_capture_file(path, file_state, error);
  if (!file) {
    ++damaged_files;
    diagnostics.error(path, "offset 0", error);
    return false;
  }
  FileRead whole = read_packets(path, file, file_state, nullptr);
  if (whole.refused_interface) read_interface_passes(path, whole.packets);
  return whole.opened;
}

// A pcapng with an interface libpcap refused (a second link type, or a second raw-IP interface)
// after `already` packets: read again once per interface, each pass leaving out those packets. An
// interface's packets have their own clock, so the connections of one pass end before the next.
void CaptureSource::Impl::read_interface_passes(const std::string& path, uint64_t already) {
  std::string link_types;
  uint32_t interfaces = 1;
  for (uint32_t i = 0; i < interfaces; ++i) {
    if (i == kMaxInterfacePasses) {
      ++damaged_files;
      diagnostics.error(path, "interface " + std::to_string(i),
                        "more than " + std::to_string(kMaxInterfacePasses) + " interfaces; the rest are not read");
      break;
    }
    if (i > 0) {
      end_all_flows();
      newest = INT64_MIN;
    }
    PcapngInterfaceFilter filter(i, already);
    ++interface_passes;
    CaptureFileState file_state;
    std::string error;
    std::FILE* file = open_pcapng_interface_pass(path, filter, file_state, error);
    if (!file) {
      ++damaged_files;
      diagnostics.error(path, "offset 0", error);
      return;
    }
    read_packets(path, file, file_state, &filter);
    interfaces = filter.interfaces_seen();
    link_types += (i ? ", " : "") + std::to_string(filter.link_type());
  }
  diagnostics.note(path + ": " + std::to_string(interfaces) + " interfaces (link types " + link_types +
                   ") that libpcap reads only apart: read once per interface");
}

CaptureSource::Impl::FileRead CaptureSource::Impl::read_packets(const std::string& path, std::FILE* file,
                                                                CaptureFileState& file_state,
                                                                const PcapngInterfaceFilter* pass) {
  FileRead result;
  // Offsets in an interface pass count the bytes of that pass, not of the file: say so.
  const std::string in_pass = pass ? " (in the pass for interface " + std::to_string(pass->interface()) + ")" : "";
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_fopen_offline(file, errbuf);
  if (!p) {
    std::fclose(file);
    ++damaged_files;
    std::string why = file_state.read_error.empty() ? errbuf : file_state.read_error;
    diagnostics.error(path, "offset 0", "not a readable pcap or pcapng capture: " + why + in_pass);
    return result;
  }
  int dlt = pcap_datalink(p);
  link = link_kind_for_dlt(dlt);
  if (link == LinkKind::unsupported) {
    ++unsupported_link;
    const char* name = pcap_datalink_val_to_name(dlt);
    diagnostics.error(path, "offset 0",
                      "unsupported link type " + std::to_string(dlt) + " (" + (name ? name : "unknown") +
                          "); " + (pass ? "its packets skipped" : "file skipped") + in_pass);
    pcap_close(p);
    return result;
  }
  if (!options.bpf_filter.empty()) {
    if (pcap_compile(p, &filter, options.bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      diagnostics.error(path, "filter", "invalid BPF filter \"" + options.bpf_filter + "\": " + pcap_geterr(p));
      pcap_close(p);
      return result;
    }
    have_filter = true;
  }
  result.opened = true;  // a file skipped for its link type or a bad filter counts as not read
  current_file = path;
  // Classic pcap: record offsets are computed exactly; pcapng: ftell tells where reading stopped.
  bool classic = pcap_major_version(p) == 2;
  uint64_t offset = kPcapFileHeaderBytes;
  pcap_pkthdr* header;
  const u_char* data;
  int rc;
  while ((rc = pcap_next_ex(p, &header, &data)) == 1) {
    ++packets;
    ++result.packets;
    bytes += header->len;
    offset += kPcapRecordHeaderBytes + header->caplen;
    if (have_filter && !pcap_offline_filter(&filter, header, data)) {
      ++filtered_out;
      continue;
    }
    TimeMicros ts = packet_time_micros(header->ts.tv_sec, header->ts.tv_usec);
    process(ts, ByteView(data, header->caplen));
  }
  if (rc == PCAP_ERROR) {
    std::string message = pcap_geterr(p);
    if (!file_state.read_error.empty()) message += " (" + file_state.read_error + ")";
    long position = classic ? static_cast<long>(offset) : std::ftell(file);
    std::string where = "offset " + std::to_string(position < 0 ? file_state.bytes_read : position);
    bool mixed = contains(message, "different from the type of the first interface");
    if (mixed && !pass && path != kStandardInput) {
      result.refused_interface = true;  // read again, once per interface
    } else if (contains(message, "truncated") && file_state.read_error.empty()) {
      ++truncated_files;
      diagnostics.warning(path, where,
                          "capture ends inside a packet record: " + message + in_pass +
                              (file_state.gzip_cut_short ? " (the gzip stream is cut short too)" : ""));
    } else {
      ++damaged_files;
      // Not damage but a libpcap limit (a capture on interfaces of different kinds, read from a
      // pipe, which cannot be read twice): say so, since "damaged" alone would mislead.
      if (mixed)
        message += " (the file's interfaces are of kinds libpcap reads only one at a time; give c2hunt the "
                   "file rather than a pipe, which cannot be read again per interface)";
      diagnostics.error(path, where, "damaged capture, reading stopped: " + message + in_pass);
    }
  }
  if (rc != PCAP_ERROR && file_state.gzip_cut_short) {
    ++truncated_files;
    diagnostics.warning(path, "offset " + std::to_string(file_state.bytes_read),
                        "gzip stream cut short (no trailer); every complete packet before it was read");
  }
  if (have_filter) {
    pcap_freecode(&filter);
    have_filter = false;
  }
  pcap_close(p);
  return result;
}

CaptureSource::CaptureSource(CaptureOptions options, records::RecordConsumer& consumer, Counters& counters,
                             Diagnostics& diagnostics)
    : impl_(new Impl(std::move(options), consumer, counters, diagnostics)) {}
CaptureSource::~CaptureSource() = default;

bool CaptureSource::read_file(const std::string& path) { return impl_->read(path); }

void CaptureSource::Impl::end_all_flows() {
  for (int list = 0; list < FlowTable<Flow>::kLists; ++list)
    for (uint32_t i = table.oldest(list); i != kNoFlow; i = table.oldest(list))
      emit(i, list == kClosingList ? EndReason::closed : EndReason::input_end);
}

void CaptureSource::finish() {
  impl_->end_all_flows();
  impl_->tls_counters.add_to(impl_->counters);
  impl_->tls_counters = {};
}

bool CaptureSource::looks_like_capture(const std::string& path) {
  if (path == kStandardInput) return true;  // cannot be peeked at without being consumed
  std::ifstream f(path, std::ios::binary);
  unsigned char m[4] = {};
  f.read(reinterpret_cast<char*>(m), 4);
  uint32_t magic = m[0] << 24 | m[1] << 16 | m[2] << 8 | m[3];
  return magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1 ||
         magic == 0x0a0d0d0a || (m[0] == 0x1f && m[1] == 0x8b);
}

std::string CaptureSource::check_filter(const std::string& filter) {
  if (filter.empty()) return {};
  pcap_t* p = pcap_open_dead(DLT_EN10MB, 65535);
  if (!p) return "cannot initialise libpcap";
  bpf_program prog{};
  std::string error;
  if (pcap_compile(p, &prog, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) error = pcap_geterr(p);
  else pcap_freecode(&prog);
  pcap_close(p);
  return error;
}

}  // namespace c2hunt::pcap
