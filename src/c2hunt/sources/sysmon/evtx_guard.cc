#include "c2hunt/sources/sysmon/evtx_guard.h"

#include <algorithm>
#include <cstring>

#include <zlib.h>

#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::sysmon {
namespace {

constexpr uint8_t kRecordSignature[4] = {0x2a, 0x2a, 0x00, 0x00};
constexpr size_t kRecordHeaderBytes = 24;  // signature, size, record number, time
constexpr size_t kRecordTrailerBytes = 4;  // the size again
constexpr uint8_t kFragmentHeaderToken = 0x0f;
constexpr uint8_t kTemplateInstanceToken = 0x0c;
constexpr uint8_t kBinaryXmlValueType = 0x21;
constexpr size_t kValueDescriptorBytes = 4;  // size (2), type (1), unused (1)
constexpr int kMaxNesting = 16;               // binary-XML values inside values

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  ByteCursor c(b.subspan(at));
  return c.read_u32_le();
}

struct Oversized {
  uint32_t count = 0;
  size_t bytes_left = 0;
};

// The first template instance under the fragment at `begin` (a record's, or a value's nested in it)
// whose value count cannot fit in the chunk bytes that follow it. libfwevt reads a record's binary
// XML out of the whole chunk (offsets in it are chunk-relative), not bounded by the record's size
// field, so neither is this check: a count it could allocate for is judged against the chunk's end.
bool find_oversized(std::span<const uint8_t> chunk, size_t begin, int depth, Oversized& found) {
  if (depth > kMaxNesting || begin >= chunk.size()) return false;
  ByteCursor c(chunk.subspan(begin));
  auto offset = [&] { return chunk.size() - c.remaining(); };
  if ((c.read_u8() & 0xbf) != kFragmentHeaderToken) return false;
  c.skip(3);  // major and minor version, flags
  if ((c.read_u8() & 0xbf) != kTemplateInstanceToken) return false;  // an element: no value array
  c.skip(1 + 4);                                                      // unknown, template id
  const uint32_t definition = c.read_u32_le();
  if (c.ok() && definition == offset()) {
    // The definition follows inline: next definition offset, GUID, its size, then its bytes.
    c.skip(4 + 16);
    c.skip(c.read_u32_le());
  }
  const uint32_t count = c.read_u32_le();
  if (!c.ok()) return false;  // libevtx stops at the same missing bytes without allocating
  if (count > c.remaining() / kValueDescriptorBytes) {
    found = {count, c.remaining()};
    return true;
  }
  struct Value {
    uint16_t size;
    uint8_t type;
  };
  std::vector<Value> values(count);
  for (Value& v : values) {
    v.size = c.read_u16_le();
    v.type = c.read_u8();
    c.skip(1);
  }
  for (const Value& v : values) {
    const size_t at = offset();
    c.skip(v.size);
    if (!c.ok()) return false;
    if ((v.type & 0x7f) == kBinaryXmlValueType && find_oversized(chunk, at, depth + 1, found)) return true;
  }
  return false;
}

}  // namespace

std::vector<RefusedEvtxRecord> refuse_oversized_value_counts(std::span<uint8_t> chunk) {
  std::vector<RefusedEvtxRecord> refused;
  if (chunk.size() < kEvtxChunkHeaderBytes) return refused;
  // libevtx's recovery scan looks for records anywhere in the chunk: every signature is a candidate.
  const auto* signature_end = kRecordSignature + sizeof kRecordSignature;
  for (auto it = chunk.begin() + kEvtxChunkHeaderBytes;
       (it = std::search(it, chunk.end(), kRecordSignature, signature_end)) != chunk.end(); ++it) {
    const size_t at = static_cast<size_t>(it - chunk.begin());
    if (chunk.size() - at < kRecordHeaderBytes + kRecordTrailerBytes) break;
    Oversized found;
    if (find_oversized(chunk, at + kRecordHeaderBytes, 0, found))
      refused.push_back({at, found.count, found.bytes_left});
  }
  if (refused.empty()) return refused;
  const uint32_t free_space = le32(chunk, 48);
  auto records_checksum = [&] {
    return static_cast<uint32_t>(
        crc32(0, chunk.data() + kEvtxChunkHeaderBytes, static_cast<uInt>(free_space - kEvtxChunkHeaderBytes)));
  };
  const bool checksum_held = free_space >= kEvtxChunkHeaderBytes && free_space <= chunk.size() &&
                             records_checksum() == le32(chunk, 52);
  for (const RefusedEvtxRecord& r : refused) std::memset(chunk.data() + r.chunk_offset, 0, sizeof kRecordSignature);
  if (checksum_held) {
    const uint32_t crc = records_checksum();
    for (size_t i = 0; i < 4; ++i) chunk[52 + i] = static_cast<uint8_t>(crc >> (8 * i));
  }
  return refused;
}

}  // namespace c2hunt::sysmon
