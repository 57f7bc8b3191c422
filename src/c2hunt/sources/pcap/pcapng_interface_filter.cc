#include "c2hunt/sources/pcap/pcapng_interface_filter.h"

namespace c2hunt::pcap {
namespace {

constexpr uint32_t kInterfaceDescription = 1, kObsoletePacket = 2, kSimplePacket = 3, kInterfaceStatistics = 5,
                   kEnhancedPacket = 6;
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;

}  // namespace

uint32_t PcapngInterfaceFilter::u32(ByteView bytes, size_t at) const {
  ByteCursor c(bytes);
  c.skip(at);
  return big_endian_ ? c.read_u32() : c.read_u32_le();
}

uint16_t PcapngInterfaceFilter::u16(ByteView bytes, size_t at) const {
  ByteCursor c(bytes);
  c.skip(at);
  return big_endian_ ? c.read_u16() : c.read_u16_le();
}

void PcapngInterfaceFilter::put_u32(std::vector<uint8_t>& out, size_t at, uint32_t v) const {
  for (size_t i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (big_endian_ ? 24 - 8 * i : 8 * i));
}

void PcapngInterfaceFilter::put_u16(std::vector<uint8_t>& out, size_t at, uint16_t v) const {
  for (size_t i = 0; i < 2; ++i) out[at + i] = static_cast<uint8_t>(v >> (big_endian_ ? 8 - 8 * i : 8 * i));
}

uint32_t PcapngInterfaceFilter::block_length(ByteView header) {
  ByteCursor c(header);
  uint32_t type = c.read_u32();  // a section header's type reads the same in either byte order
  c.skip(4);
  if (!c.ok()) return 0;
  if (type == kPcapngSectionHeader) {
    uint32_t magic = c.read_u32();
    if (!c.ok()) return 0;
    if (magic == kByteOrderMagic) big_endian_ = true;
    else if (magic == __builtin_bswap32(kByteOrderMagic)) big_endian_ = false;
    else return 0;
  }
  uint32_t length = u32(header, 4);
  return length < 12 || length % 4 != 0 || length > kMaxPcapngBlockBytes ? 0 : length;
}

void PcapngInterfaceFilter::filter(ByteView block, std::vector<uint8_t>& out) {
  auto pass = [&] { out.insert(out.end(), block.begin(), block.end()); };
  if (!ByteCursor(block).has(12)) return pass();
  switch (u32(block, 0)) {
    case kPcapngSectionHeader:
      section_first_ = interfaces_seen_;
      return pass();
    case kInterfaceDescription:
      if (interfaces_seen_++ != target_) return;
      link_type_ = u16(block, 8);
      return pass();
    case kEnhancedPacket:
      ++packets_seen_;
      return packet(block, u32(block, 8), false, out);
    case kObsoletePacket:
      ++packets_seen_;
      return packet(block, u16(block, 8), true, out);
    case kSimplePacket:
      ++packets_seen_;
      return packet(block, 0, false, out);  // always the section's first interface
    case kInterfaceStatistics: return packet(block, u32(block, 8), false, out);
    default: return pass();  // name resolution, decryption secrets, custom blocks: no interface
  }
}

void PcapngInterfaceFilter::packet(ByteView block, uint32_t interface, bool index_is_u16, std::vector<uint8_t>& out) {
  uint32_t type = u32(block, 0);
  uint64_t file_wide = uint64_t{section_first_} + interface;
  if (file_wide >= interfaces_seen_) {  // no such interface (yet): libpcap reports it
    out.insert(out.end(), block.begin(), block.end());
    return;
  }
  if (file_wide != target_) return;
  if (type != kInterfaceStatistics && packets_seen_ <= skip_) return;  // read by the first attempt
  size_t at = out.size();
  out.insert(out.end(), block.begin(), block.end());
  if (type == kSimplePacket) return;  // interface 0 implicitly: the kept one is 0 in its section
  if (index_is_u16) put_u16(out, at + 8, 0);
  else put_u32(out, at + 8, 0);
}

}  // namespace c2hunt::pcap
