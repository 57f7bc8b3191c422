// Checks EVTX chunk bytes before libevtx reads them. libfwevt 20181227 (Debian 12's libevtx) sizes
// a template instance's value array from the instance's 32-bit value count before it checks the
// count against the record's bytes: one altered count makes it ask for up to 32 GiB
// (docs/upstream-reports.md). Every record candidate of a chunk is checked here, its nested
// binary-XML values included, and a record declaring more values than the rest of the chunk could
// describe (4 bytes each) has its signature blanked, so neither libevtx's record list nor its
// recovery scan reads it. What is left for libevtx to allocate is bounded by the chunk: at most
// 16,384 values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace c2hunt::sysmon {

constexpr size_t kEvtxChunkBytes = 65536;
constexpr size_t kEvtxChunkHeaderBytes = 512;

struct RefusedEvtxRecord {
  size_t chunk_offset = 0;     // of the record signature, from the start of the chunk
  uint32_t value_count = 0;    // what the template instance declares
  size_t bytes_left = 0;       // what the chunk holds after the count
};

// Blanks (in place) the records of one chunk libevtx cannot be trusted to size, and lists them.
// When the chunk's record checksum was right before, it is recomputed so that the rest of the chunk
// still reads as undamaged.
std::vector<RefusedEvtxRecord> refuse_oversized_value_counts(std::span<uint8_t> chunk);

}  // namespace c2hunt::sysmon
