#include "c2hunt/sources/pcap/packet_decoder.h"

#include <pcap/dlt.h>

#include <algorithm>
#include <cstring>

namespace c2hunt::pcap {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherVlan = 0x8100, kEtherQinQ = 0x88a8,
                   kEtherQinQOld = 0x9100;
// LINKTYPE_* values that libpcap passes through unchanged on Linux.
constexpr int kLinktypeRaw = 101, kLinktypeIpv4 = 228, kLinktypeIpv6 = 229, kDltRawOpenBsd = 14;

inline void set_ip(IpAddress& ip, ByteView bytes, uint8_t family) {
  ip.family = family;
  std::memcpy(ip.bytes.data(), bytes.data(), bytes.size());
  if (bytes.size() < 16) std::memset(ip.bytes.data() + bytes.size(), 0, 16 - bytes.size());
}

}  // namespace

LinkKind link_kind_for_dlt(int dlt) {
  switch (dlt) {
    case DLT_EN10MB: return LinkKind::ethernet;
    case DLT_LINUX_SLL: return LinkKind::linux_sll;
    case DLT_LINUX_SLL2: return LinkKind::linux_sll2;
    case DLT_RAW:
    case kDltRawOpenBsd:
    case kLinktypeRaw: return LinkKind::raw_ip;
    case kLinktypeIpv4: return LinkKind::ipv4;
    case kLinktypeIpv6: return LinkKind::ipv6;
    case DLT_NULL: return LinkKind::bsd_null;
    case DLT_LOOP: return LinkKind::openbsd_loop;
    default: return LinkKind::unsupported;
  }
}

PacketDecoder::PacketDecoder(Counters& counters)
    : truncated_link_(counters.counter("pcap.truncated_link_header")),
      unknown_ethertype_(counters.counter("pcap.unknown_ethertype")),
      unknown_link_family_(counters.counter("pcap.unknown_link_family")),
      truncated_ip_(counters.counter("pcap.truncated_ip")),
      bad_ip_header_(counters.counter("pcap.bad_ip_header")),
      ip_fragments_(counters.counter("pcap.ip_fragments")),
      ipv6_extension_chain_too_long_(counters.counter("pcap.ipv6_extension_chain_too_long")),
      truncated_tcp_(counters.counter("pcap.truncated_tcp")),
      bad_tcp_header_(counters.counter("pcap.bad_tcp_header")),
      truncated_udp_(counters.counter("pcap.truncated_udp")),
      other_ip_protocol_(counters.counter("pcap.other_ip_protocol")) {}

bool PacketDecoder::decode(LinkKind link, ByteView frame, DecodedPacket& out) {
  ByteCursor c(frame);
  out.vlan = 0;
  switch (link) {
    case LinkKind::ethernet: {
      c.skip(12);  // destination and source MAC
      uint16_t ethertype = c.read_u16();
      if (!c.ok()) break;
      for (size_t tags = 0; ethertype == kEtherVlan || ethertype == kEtherQinQ || ethertype == kEtherQinQOld; ++tags) {
        uint16_t tci = c.read_u16();
        ethertype = c.read_u16();
        if (!c.ok() || tags >= kMaxVlanTags) {
          if (c.ok()) ++unknown_ethertype_;
          else ++truncated_link_;
          return false;
        }
        if (tags == 0) out.vlan = tci & 0x0fff;
      }
      return decode_ethertype(ethertype, c, out);
    }
    case LinkKind::linux_sll: {
      c.skip(14);  // packet type, ARPHRD, address length, 8 address bytes
      uint16_t protocol = c.read_u16();
      if (!c.ok()) break;
      return decode_ethertype(protocol, c, out);
    }
    case LinkKind::linux_sll2: {
      uint16_t protocol = c.read_u16();
      c.skip(18);  // reserved, interface index, ARPHRD, packet type, address length, 8 address bytes
      if (!c.ok()) break;
      return decode_ethertype(protocol, c, out);
    }
    case LinkKind::raw_ip: return decode_ip_by_version(c, out);
    case LinkKind::ipv4: return decode_ipv4(c, out);
    case LinkKind::ipv6: return decode_ipv6(c, out);
    case LinkKind::bsd_null:
    case LinkKind::openbsd_loop: {
      // DLT_NULL stores the address family in the capturing host's byte order, DLT_LOOP in network order.
      uint32_t family = link == LinkKind::bsd_null ? c.read_u32_le() : c.read_u32();
      if (!c.ok()) break;
      if (link == LinkKind::bsd_null && family > 0xffff) family = __builtin_bswap32(family);
      if (family == 2) return decode_ipv4(c, out);
      // AF_INET6 differs by OS: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30.
      if (family == 10 || family == 24 || family == 28 || family == 30) return decode_ipv6(c, out);
      ++unknown_link_family_;
      return false;
    }
    case LinkKind::unsupported: return false;
  }
  ++truncated_link_;
  return false;
}

bool PacketDecoder::decode_ethertype(uint16_t ethertype, ByteCursor& c, DecodedPacket& out) {
  if (ethertype == kEtherIpv4) return decode_ipv4(c, out);
  if (ethertype == kEtherIpv6) return decode_ipv6(c, out);
  ++unknown_ethertype_;
  return false;
}

bool PacketDecoder::decode_ip_by_version(ByteCursor& c, DecodedPacket& out) {
  uint8_t version = c.peek_u8() >> 4;
  if (!c.has(1)) {
    ++truncated_ip_;
    return false;
  }
  if (version == 4) return decode_ipv4(c, out);
  if (version == 6) return decode_ipv6(c, out);
  ++bad_ip_header_;
  return false;
}

bool PacketDecoder::decode_ipv4(ByteCursor c, DecodedPacket& out) {
  if (!c.has(20)) {
    ++truncated_ip_;
    return false;
  }
  uint8_t version_ihl = c.read_u8();
  size_t header_length = (version_ihl & 0x0f) * 4u;
  c.skip(1);  // DSCP/ECN
  uint16_t total_length = c.read_u16();
  c.skip(2);  // identification
  uint16_t flags_fragment = c.read_u16();
  c.skip(1);  // TTL
  uint8_t proto = c.read_u8();
  c.skip(2);  // checksum
  ByteView src = c.take(4), dst = c.take(4);
  // A zero total length is what TCP segmentation offload leaves in captures taken on the sender.
  if (total_length == 0) total_length = static_cast<uint16_t>(std::min<size_t>(c.remaining() + 20, 65535));
  if ((version_ihl >> 4) != 4 || header_length < 20 || total_length < header_length) {
    ++bad_ip_header_;
    return false;
  }
  c.skip(header_length - 20);  // options
  if (!c.ok()) {
    ++truncated_ip_;
    return false;
  }
  set_ip(out.src, src, 4);
  set_ip(out.dst, dst, 4);
  out.ip_proto = proto;
  out.ip_bytes = total_length;
  if ((flags_fragment & 0x3fff) != 0) {  // MF set or a non-zero offset
    ++ip_fragments_;
    if ((flags_fragment & 0x1fff) != 0) return false;  // only the first fragment has the transport header
  }
  // Ethernet pads short frames: the IP total length says where the datagram really ends.
  uint32_t payload_wire = total_length - static_cast<uint32_t>(header_length);
  ByteCursor payload = c.remaining() > payload_wire ? c.sub(payload_wire) : c;
  return decode_transport(proto, payload, payload_wire, out);
}

bool PacketDecoder::decode_ipv6(ByteCursor c, DecodedPacket& out) {
  if (!c.has(40)) {
    ++truncated_ip_;
    return false;
  }
  uint8_t version = c.peek_u8() >> 4;
  c.skip(4);  // version, traffic class, flow label
  uint32_t payload_length = c.read_u16();
  uint8_t next = c.read_u8();
  c.skip(1);  // hop limit
  ByteView src = c.take(16), dst = c.take(16);
  if (version != 6) {
    ++bad_ip_header_;
    return false;
  }
  set_ip(out.src, src, 6);
  set_ip(out.dst, dst, 6);
  out.ip_bytes = 40 + payload_length;
  if (c.remaining() > payload_length && payload_length != 0) c = c.sub(payload_length);
  if (payload_length == 0) payload_length = static_cast<uint32_t>(c.remaining());  // jumbogram or unknown
  for (size_t n = 0;; ++n) {
    if (next != 0 && next != 43 && next != 44 && next != 60 && next != 51) break;
    if (n >= kMaxIpv6ExtensionHeaders) {
      ++ipv6_extension_chain_too_long_;
      return false;
    }
    uint8_t following = c.read_u8();
    uint8_t length_field = c.read_u8();
    size_t header_length;
    if (next == 44) {  // fragment header: fixed 8 bytes
      uint16_t offset_flags = c.read_u16();
      c.skip(4);
      if (c.ok()) {
        ++ip_fragments_;
        if ((offset_flags & 0xfff8) != 0) return false;  // not the first fragment
      }
      header_length = 8;
    } else {
      header_length = next == 51 ? (length_field + 2u) * 4u : (length_field + 1u) * 8u;
      c.skip(header_length - 2);
    }
    if (!c.ok() || header_length > payload_length) {
      ++truncated_ip_;
      return false;
    }
    payload_length -= static_cast<uint32_t>(header_length);
    next = following;
  }
  out.ip_proto = next;
  return decode_transport(next, c, payload_length, out);
}

bool PacketDecoder::decode_transport(uint8_t proto, ByteCursor c, uint32_t wire_length, DecodedPacket& out) {
  out.tcp_flags = 0;
  out.seq = out.ack = 0;
  if (proto == kProtoTcp) {
    if (!c.has(20)) {
      ++truncated_tcp_;
      return false;
    }
    out.src_port = c.read_u16();
    out.dst_port = c.read_u16();
    out.seq = c.read_u32();
    out.ack = c.read_u32();
    size_t header_length = (c.read_u8() >> 4) * 4u;
    out.tcp_flags = c.read_u8();
    c.skip(6);  // window, checksum, urgent pointer
    if (header_length < 20 || header_length > wire_length) {
      ++bad_tcp_header_;
      return false;
    }
    c.skip(header_length - 20);  // options: nothing in them is needed for tracking
    if (!c.ok()) {
      ++truncated_tcp_;
      return false;
    }
    out.payload_length = wire_length - static_cast<uint32_t>(header_length);
    out.payload = c.rest();
    return true;
  }
  if (proto == kProtoUdp) {
    if (!c.has(8)) {
      ++truncated_udp_;
      return false;
    }
    out.src_port = c.read_u16();
    out.dst_port = c.read_u16();
    uint16_t udp_length = c.read_u16();
    c.skip(2);
    // A zero length is legal for jumbograms; otherwise the UDP header bounds the payload.
    uint32_t payload_wire = udp_length >= 8 && udp_length <= wire_length ? udp_length - 8u : wire_length - 8u;
    if (wire_length < 8) {
      ++truncated_udp_;
      return false;
    }
    out.payload_length = payload_wire;
    out.payload = c.remaining() > payload_wire ? c.take(payload_wire) : c.rest();
    return true;
  }
  out.src_port = out.dst_port = 0;
  if (proto != kProtoIcmp && proto != kProtoIcmpV6) ++other_ip_protocol_;
  out.payload_length = wire_length;
  out.payload = c.rest();
  return true;
}

}  // namespace c2hunt::pcap
