#include "c2hunt/sources/pcap/tcp_reassembler.h"

#include <cstring>

namespace c2hunt::pcap {

void TcpReassembler::stop(ReassemblyShared& shared) {
  active_ = false;
  if (buffer_) {
    shared.memory_in_use -= shared.window_bytes;
    buffer_.reset();
  }
  std::vector<Interval>().swap(intervals_);
}

SegmentKind TcpReassembler::buffer_segment(ReassemblyShared& shared, uint32_t begin, ByteView data) {
  uint32_t end = begin + static_cast<uint32_t>(data.size());
  // The merged interval list this segment would produce; refuse it when it needs too many entries.
  size_t overlapping = 0, before = 0;
  for (const Interval& iv : intervals_) {
    if (iv.end < begin) ++before;
    else if (iv.begin <= end) ++overlapping;
  }
  bool fully_covered = false;
  for (const Interval& iv : intervals_)
    if (iv.begin <= begin && end <= iv.end) fully_covered = true;
  if (fully_covered) {
    // A repeat of buffered bytes: compare, keep the first copy.
    if (std::memcmp(buffer_.get() + begin, data.data(), data.size()) != 0) ++*shared.overlaps_conflicting;
    ++*shared.retransmissions;
    return SegmentKind::retransmission;
  }
  if (overlapping == 0 && intervals_.size() >= shared.max_segments) {
    ++*shared.segments_dropped;
    return SegmentKind::dropped;
  }
  if (!buffer_) {
    if (shared.memory_in_use + shared.window_bytes > shared.memory_limit) {
      ++*shared.segments_dropped;
      return SegmentKind::dropped;
    }
    buffer_.reset(new uint8_t[shared.window_bytes]);
    shared.memory_in_use += shared.window_bytes;
  }
  bool is_out_of_order = begin > next_;
  if (is_out_of_order) ++*shared.out_of_order;
  // Copy the parts not buffered yet; compare the parts that are (first copy wins).
  uint32_t pos = begin;
  bool conflict = false;
  for (size_t i = before; i < intervals_.size() && intervals_[i].begin <= end && pos < end; ++i) {
    const Interval& iv = intervals_[i];
    if (iv.begin > pos) {
      uint32_t upto = std::min(iv.begin, end);
      std::memcpy(buffer_.get() + pos, data.data() + (pos - begin), upto - pos);
      pos = upto;
    }
    if (pos < end && iv.end > pos) {
      uint32_t upto = std::min(iv.end, end);
      if (std::memcmp(buffer_.get() + pos, data.data() + (pos - begin), upto - pos) != 0) conflict = true;
      pos = upto;
    }
  }
  if (pos < end) std::memcpy(buffer_.get() + pos, data.data() + (pos - begin), end - pos);
  if (conflict) ++*shared.overlaps_conflicting;
  // Merge [begin, end) with every interval it touches.
  Interval merged{begin, end};
  auto first = intervals_.begin() + static_cast<std::ptrdiff_t>(before);
  auto last = first;
  while (last != intervals_.end() && last->begin <= end) {
    merged.begin = std::min(merged.begin, last->begin);
    merged.end = std::max(merged.end, last->end);
    ++last;
  }
  first = intervals_.erase(first, last);
  intervals_.insert(first, merged);
  return is_out_of_order ? SegmentKind::out_of_order : SegmentKind::in_order;
}

}  // namespace c2hunt::pcap
