// In-order delivery of the first bytes of one TCP direction (the handshake window). In-order
// segments are handed on without copying; out-of-order ones are buffered in one window-sized buffer
// (allocated only when needed, bounded by a segment count and a global memory budget) with
// first-wins overlap handling. Holes the receiver acknowledges, or that remain at the end, are gaps.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::pcap {

struct ReassemblyShared {
  uint32_t window_bytes = 16 * 1024;
  uint32_t max_segments = 64;
  size_t memory_limit = 256u << 20;
  size_t memory_in_use = 0;
  uint64_t* out_of_order = nullptr;
  uint64_t* retransmissions = nullptr;
  uint64_t* overlaps_conflicting = nullptr;
  uint64_t* segments_dropped = nullptr;
  uint64_t* gaps = nullptr;
};

// What a segment turned out to be, for the connection's history letters.
enum class SegmentKind : uint8_t { in_order, out_of_order, retransmission, beyond_window, dropped };

class TcpReassembler {
 public:
  bool active() const { return active_; }
  bool started() const { return started_; }
  uint32_t delivered() const { return next_; }
  // Offset 0 of the stream is `base_seq` (the sequence number after the SYN, or the first data seen).
  void start(uint32_t base_seq) {
    base_ = base_seq;
    started_ = true;
  }
  // Stops collecting and frees the buffer.
  void stop(ReassemblyShared& shared);

  // deliver(ByteView) -> bool (false: no more bytes wanted); gap(uint64_t missing).
  template <class Deliver>
  SegmentKind add(ReassemblyShared& shared, uint32_t seq, ByteView data, Deliver&& deliver);
  // The peer acknowledged up to `ack`: a hole before it will never be filled by this capture.
  template <class Deliver, class Gap>
  bool acked(ReassemblyShared& shared, uint32_t ack, Deliver&& deliver, Gap&& gap);
  // End of the connection: any hole still open is a gap.
  template <class Deliver, class Gap>
  void finish(ReassemblyShared& shared, Deliver&& deliver, Gap&& gap);

 private:
  struct Interval {
    uint32_t begin, end;
  };
  SegmentKind buffer_segment(ReassemblyShared& shared, uint32_t begin, ByteView data);
  template <class Deliver>
  void drain(ReassemblyShared& shared, Deliver&& deliver);
  template <class Gap>
  void declare_gap(ReassemblyShared& shared, uint64_t missing, Gap&& gap) {
    ++*shared.gaps;
    gap(missing);
    stop(shared);
  }

  bool active_ = true, started_ = false;
  uint32_t base_ = 0, next_ = 0;
  std::unique_ptr<uint8_t[]> buffer_;
  std::vector<Interval> intervals_;  // buffered, sorted, disjoint, all beyond next_
};

template <class Deliver>
SegmentKind TcpReassembler::add(ReassemblyShared& shared, uint32_t seq, ByteView data, Deliver&& deliver) {
  if (!active_ || data.empty()) return SegmentKind::in_order;
  int64_t begin = static_cast<int32_t>(seq - base_);
  int64_t end = begin + static_cast<int64_t>(data.size());
  if (end <= static_cast<int64_t>(next_)) {
    ++*shared.retransmissions;
    return SegmentKind::retransmission;
  }
  if (begin >= shared.window_bytes) return SegmentKind::beyond_window;
  if (begin < next_) {  // overlaps what was delivered: keep the first copy, take only the new tail
    data = data.subspan(static_cast<size_t>(next_ - begin));
    begin = next_;
  }
  if (end > shared.window_bytes) data = data.first(static_cast<size_t>(shared.window_bytes - begin));
  if (begin == next_ && intervals_.empty()) {
    next_ += static_cast<uint32_t>(data.size());
    if (!deliver(data) || next_ >= shared.window_bytes) stop(shared);
    return SegmentKind::in_order;
  }
  SegmentKind kind = buffer_segment(shared, static_cast<uint32_t>(begin), data);
  if (kind != SegmentKind::dropped) drain(shared, deliver);
  return kind;
}

template <class Deliver>
void TcpReassembler::drain(ReassemblyShared& shared, Deliver&& deliver) {
  while (active_ && !intervals_.empty() && intervals_.front().begin <= next_) {
    Interval first = intervals_.front();
    intervals_.erase(intervals_.begin());
    ByteView bytes(buffer_.get() + next_, first.end - next_);
    next_ = first.end;
    if (!deliver(bytes) || next_ >= shared.window_bytes) stop(shared);
  }
}

template <class Deliver, class Gap>
bool TcpReassembler::acked(ReassemblyShared& shared, uint32_t ack, Deliver&& deliver, Gap&& gap) {
  if (!active_ || !started_) return false;
  int64_t acked_to = static_cast<int32_t>(ack - base_);
  // +1: a FIN takes one sequence number without carrying data.
  if (acked_to <= static_cast<int64_t>(next_) + 1) return false;
  uint32_t hole_end = intervals_.empty() ? static_cast<uint32_t>(std::min<int64_t>(acked_to, shared.window_bytes))
                                         : intervals_.front().begin;
  declare_gap(shared, hole_end - next_, gap);
  return true;
}

template <class Deliver, class Gap>
void TcpReassembler::finish(ReassemblyShared& shared, Deliver&& deliver, Gap&& gap) {
  if (active_ && !intervals_.empty()) declare_gap(shared, intervals_.front().begin - next_, gap);
  stop(shared);
}

}  // namespace c2hunt::pcap
