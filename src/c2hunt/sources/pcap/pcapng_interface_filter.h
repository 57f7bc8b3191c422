// A pcapng stream narrowed to one of its interfaces. libpcap 1.10 stops reading at an interface
// whose link type differs from the first one's, yet Wireshark writes such files whenever it
// captures on, say, an Ethernet card and a VPN tunnel at once; it also refuses a second raw-IP
// interface (it compares the first one's DLT_ value with the next one's LINKTYPE_ value, which
// differ for raw IP). Narrowed to one interface, each part is a capture libpcap reads, so the
// reader takes such a file once per interface.
// The filter passes section headers, the chosen interface (renumbered 0) and its packets, and
// every block that belongs to no interface; it drops the other interfaces and their packets.
// Blocks are read through ByteCursor; one the filter cannot make sense of is passed on unchanged,
// for libpcap to report as damage with its own message.
#pragma once

#include <cstdint>
#include <vector>

#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::pcap {

// Largest block the filter assembles; a longer one is passed on as it stands, for libpcap to judge.
inline constexpr uint32_t kMaxPcapngBlockBytes = 16u << 20;
inline constexpr uint32_t kPcapngSectionHeader = 0x0A0D0D0A;

class PcapngInterfaceFilter {
 public:
  // `interface`: which interface to keep, counted over the whole file in the order declared.
  // `skip_packets`: the file's first packets (of any interface) that were read already, by an
  // attempt that stopped at an interface libpcap refused; they are not passed on again.
  PcapngInterfaceFilter(uint32_t interface, uint64_t skip_packets) : target_(interface), skip_(skip_packets) {}

  // For a block starting with these bytes (12 of a section header, 8 of any other block): its total
  // length, or 0 when they are not a usable block header.
  uint32_t block_length(ByteView header);
  // Takes one whole block (type, total length, body, total length, as in the file) and appends to
  // `out` what to pass on: the block, the block with its interface renumbered, or nothing.
  void filter(ByteView block, std::vector<uint8_t>& out);

  uint32_t interface() const { return target_; }
  uint32_t interfaces_seen() const { return interfaces_seen_; }  // over the whole file, so far
  uint16_t link_type() const { return link_type_; }              // of the kept interface, once seen

 private:
  uint32_t u32(ByteView bytes, size_t at) const;
  uint16_t u16(ByteView bytes, size_t at) const;
  void put_u32(std::vector<uint8_t>& out, size_t at, uint32_t v) const;
  void put_u16(std::vector<uint8_t>& out, size_t at, uint16_t v) const;
  void packet(ByteView block, uint32_t interface, bool index_is_u16, std::vector<uint8_t>& out);

  uint32_t target_;
  uint64_t skip_;
  uint64_t packets_seen_ = 0;    // packet blocks so far, of every interface
  uint32_t interfaces_seen_ = 0;
  uint32_t section_first_ = 0;   // file-wide number of the current section's interface 0
  uint16_t link_type_ = 0;
  bool big_endian_ = false;      // byte order of the current section
};

}  // namespace c2hunt::pcap
