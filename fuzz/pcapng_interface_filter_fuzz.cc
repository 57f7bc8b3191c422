// Fuzzes the pcapng interface filter as the capture stream drives it: the first two bytes choose
// the interface kept and how many packets count as read already, the rest is the pcapng stream,
// cut into blocks by the lengths the filter accepts. Whatever the bytes, it never reads out of
// bounds, and what it passes on is never longer than what it was given.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "c2hunt/sources/pcap/pcapng_interface_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c2hunt::ByteCursor input(c2hunt::ByteView(data, size));
  uint8_t interface = input.read_u8() % 4, skip = input.read_u8() % 8;
  c2hunt::pcap::PcapngInterfaceFilter filter(interface, skip);
  std::vector<uint8_t> out;
  size_t in = 0;
  while (input.ok() && !input.done()) {
    c2hunt::ByteView rest = input.rest();
    uint32_t length = filter.block_length(rest.first(rest.size() < 12 ? rest.size() : 12));
    if (length == 0 || length > rest.size()) break;  // the stream passes the rest on raw
    c2hunt::ByteView block = input.take(length);
    in += block.size();
    filter.filter(block, out);
  }
  if (out.size() > in) __builtin_trap();
  return 0;
}
