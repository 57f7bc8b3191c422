// Link, IP and transport header decoding for one captured frame. Every frame that cannot be
// decoded is counted under a "pcap." counter naming the reason; nothing is dropped silently.
#pragma once

#include <cstdint>

#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/ip_address.h"

namespace c2hunt::pcap {

enum class LinkKind : uint8_t { unsupported, ethernet, linux_sll, linux_sll2, raw_ip, ipv4, ipv6, bsd_null, openbsd_loop };

// Maps a libpcap DLT value (as pcap_datalink returns it) to the decoder to use.
LinkKind link_kind_for_dlt(int dlt);

constexpr uint8_t kProtoIcmp = 1, kProtoTcp = 6, kProtoUdp = 17, kProtoIcmpV6 = 58;
constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpPsh = 0x08, kTcpAck = 0x10;

constexpr size_t kMaxVlanTags = 4;           // 802.1Q/QinQ tags followed before giving up
constexpr size_t kMaxIpv6ExtensionHeaders = 8;

// Packet time in microseconds; pcapng allows 64-bit timestamps, so seconds are clamped to
// +-kMaxPacketSeconds (about year 5000) to keep all later time arithmetic free of overflow.
constexpr int64_t kMaxPacketSeconds = 100'000'000'000;
inline int64_t packet_time_micros(int64_t seconds, int64_t micros) {
  seconds = seconds > kMaxPacketSeconds ? kMaxPacketSeconds : seconds < -kMaxPacketSeconds ? -kMaxPacketSeconds : seconds;
  return seconds * 1'000'000 + micros;
}

struct DecodedPacket {
  IpAddress src, dst;
  uint16_t src_port = 0, dst_port = 0;
  uint8_t ip_proto = 0;
  uint16_t vlan = 0;            // outermost VLAN id, 0 when untagged
  uint32_t ip_bytes = 0;        // IP header + payload as the IP header states it
  uint32_t payload_length = 0;  // transport payload as the headers state it (may exceed what was captured)
  ByteView payload;             // the captured part of the transport payload
  uint32_t seq = 0, ack = 0;    // TCP
  uint8_t tcp_flags = 0;
};

class PacketDecoder {
 public:
  explicit PacketDecoder(Counters& counters);
  // False when the frame carries nothing to track (counted under the reason).
  bool decode(LinkKind link, ByteView frame, DecodedPacket& out);

 private:
  bool decode_ethertype(uint16_t ethertype, ByteCursor& c, DecodedPacket& out);
  bool decode_ip_by_version(ByteCursor& c, DecodedPacket& out);
  bool decode_ipv4(ByteCursor c, DecodedPacket& out);
  bool decode_ipv6(ByteCursor c, DecodedPacket& out);
  bool decode_transport(uint8_t proto, ByteCursor c, uint32_t wire_length, DecodedPacket& out);

  uint64_t& truncated_link_;
  uint64_t& unknown_ethertype_;
  uint64_t& unknown_link_family_;
  uint64_t& truncated_ip_;
  uint64_t& bad_ip_header_;
  uint64_t& ip_fragments_;
  uint64_t& ipv6_extension_chain_too_long_;
  uint64_t& truncated_tcp_;
  uint64_t& bad_tcp_header_;
  uint64_t& truncated_udp_;
  uint64_t& other_ip_protocol_;
};

}  // namespace c2hunt::pcap
