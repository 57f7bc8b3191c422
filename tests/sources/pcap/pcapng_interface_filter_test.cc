// PcapngInterfaceFilter on hand-built blocks: what it keeps, renumbers, skips and passes on.
#include <gtest/gtest.h>

#include <algorithm>

#include "c2hunt/sources/pcap/pcapng_interface_filter.h"
#include "sources/pcap/pcap_test_support.h"

namespace c2hunt::pcap::testing {
namespace {

// Runs the blocks through the filter as the capture stream does: length from the header, then the block.
Bytes filtered(PcapngInterfaceFilter& f, const std::vector<Bytes>& blocks) {
  Bytes out;
  for (const Bytes& b : blocks) {
    EXPECT_EQ(f.block_length(ByteView(b).first(std::min<size_t>(12, b.size()))), b.size());
    f.filter(b, out);
  }
  return out;
}

uint32_t be32(const Bytes& b, size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | b[at + 3];
}

const std::vector<Bytes> kBlocks = {
    pcapng_section(),                                     // 0
    pcapng_interface(1),                                  // 1: interface 0, Ethernet
    pcapng_interface(101),                                // 2: interface 1, raw IP
    pcapng_packet(0, 1, Bytes(20, 0xaa)),                 // 3
    pcapng_packet(1, 2, Bytes(20, 0xbb)),                 // 4
    pcapng_block(4, Bytes(4, 0)),                         // 5: name resolution, no interface
    pcapng_packet(1, 3, Bytes(20, 0xcc)),                 // 6
    pcapng_block(3, cat({{0, 0, 0, 20}, Bytes(20, 0xdd)})),  // 7: simple packet, interface 0
};

TEST(PcapngInterfaceFilter, KeepsOneInterfaceRenumberedZero) {
  PcapngInterfaceFilter second(1, 0);
  Bytes out = filtered(second, kBlocks);
  EXPECT_EQ(out, cat({kBlocks[0], kBlocks[2], pcapng_packet(0, 2, Bytes(20, 0xbb)), kBlocks[5],
                      pcapng_packet(0, 3, Bytes(20, 0xcc))}));
  EXPECT_EQ(second.interfaces_seen(), 2u);
  EXPECT_EQ(second.link_type(), 101);

  PcapngInterfaceFilter first(0, 0);
  out = filtered(first, kBlocks);
  EXPECT_EQ(out, cat({kBlocks[0], kBlocks[1], kBlocks[3], kBlocks[5], kBlocks[7]}));
  EXPECT_EQ(first.link_type(), 1);
}

TEST(PcapngInterfaceFilter, SkipsThePacketsAFirstAttemptRead) {
  // Two packets of the file were read already (one of each interface): neither comes again.
  PcapngInterfaceFilter second(1, 2);
  Bytes out = filtered(second, kBlocks);
  EXPECT_EQ(out, cat({kBlocks[0], kBlocks[2], kBlocks[5], pcapng_packet(0, 3, Bytes(20, 0xcc))}));
}

TEST(PcapngInterfaceFilter, AnUndeclaredInterfaceIsPassedOnForLibpcapToReport) {
  PcapngInterfaceFilter f(0, 0);
  Bytes stray = pcapng_packet(7, 1, Bytes(8, 1));
  Bytes out = filtered(f, {pcapng_section(), pcapng_interface(1), stray});
  EXPECT_EQ(be32(out, out.size() - stray.size() + 8), 7u);
}

TEST(PcapngInterfaceFilter, LittleEndianSectionsAreRenumberedInTheirOwnByteOrder) {
  // The same blocks, little-endian: every 32-bit field reversed, the link type 16-bit.
  auto le_block = [](uint32_t type, const Bytes& body) {
    Bytes b = pcapng_block(type, body);
    for (size_t at : {size_t{0}, size_t{4}, b.size() - 4}) std::reverse(b.begin() + at, b.begin() + at + 4);
    return b;
  };
  Bytes section = {0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  Bytes eth = {1, 0, 0, 0, 0xff, 0xff, 0, 0}, raw = {101, 0, 0, 0, 0xff, 0xff, 0, 0};
  Bytes packet = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 9, 9, 9, 9};
  PcapngInterfaceFilter f(1, 0);
  Bytes out = filtered(f, {le_block(0x0A0D0D0A, section), le_block(1, eth), le_block(1, raw), le_block(6, packet)});
  EXPECT_EQ(f.link_type(), 101);
  Bytes renumbered = packet;
  renumbered[0] = 0;
  EXPECT_EQ(out, cat({le_block(0x0A0D0D0A, section), le_block(1, raw), le_block(6, renumbered)}));
}

TEST(PcapngInterfaceFilter, UnusableHeadersHaveNoLength) {
  PcapngInterfaceFilter f(0, 0);
  EXPECT_EQ(f.block_length(ByteView()), 0u);
  Bytes bad_magic = pcapng_section();
  bad_magic[8] = 0;
  EXPECT_EQ(f.block_length(ByteView(bad_magic).first(12)), 0u);
  Bytes odd = pcapng_interface(1);
  odd[7] = 13;  // not a multiple of 4
  EXPECT_EQ(f.block_length(ByteView(odd).first(8)), 0u);
  Bytes huge = pcapng_interface(1);
  huge[4] = 0x7f;
  EXPECT_EQ(f.block_length(ByteView(huge).first(8)), 0u);
}

}  // namespace
}  // namespace c2hunt::pcap::testing
