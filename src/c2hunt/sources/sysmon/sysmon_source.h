// Reads Windows Sysmon events from EVTX files (libevtx), event XML (an <Events> document or one <Event>
// per line) and JSON lines (flat NXLog/OTRF style or Winlogbeat/ECS style), detecting the format from
// the content, and pushes processes, host connections, DNS answers and process ends to a consumer.
// Files are streamed: memory does not grow with the file size.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "c2hunt/records/consumer.h"
#include "c2hunt/sources/sysmon/sysmon_event.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"

namespace c2hunt::sysmon {

enum class Format { unknown, evtx, xml, json };

class SysmonSource {
 public:
  SysmonSource(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics,
               bool strict = false);

  // Returns false when the file could not be read at all, or (strict) on the first bad event.
  bool read_file(const std::string& path);
  // Stream readers, for callers (and fuzzers) that already hold the data; `name` is used in reports.
  bool read_stream(std::FILE* in, const std::string& name, Format format);
  bool read_evtx_memory(const uint8_t* data, size_t size, const std::string& name);

  static Format detect_format(const std::string& path);
  // True for an EVTX file, or XML/JSON whose first 64 KiB mention Sysmon or Winlogbeat's winlog object.
  static bool looks_like_sysmon(const std::string& path);

  uint64_t bad_events() const { return bad_events_; }
  // EVTX files larger than this are handed to libevtx one 64 KiB chunk at a time: libevtx indexes
  // every record of a file it opens (~155 bytes each), so a whole multi-GB log would cost memory in
  // proportion to its size. Smaller files are opened whole (one open, the file's own header used).
  void set_evtx_whole_file_limit(uint64_t bytes) { evtx_whole_file_limit_ = bytes; }
  // libevtx 20181227 leaks the parse state of every record it fails to read (~800 bytes;
  // docs/upstream-reports.md): after this many in one file the rest of the file is skipped,
  // reported and counted, so a hostile log cannot grow memory without bound.
  void set_evtx_corrupt_record_limit(uint64_t records) { evtx_corrupt_record_limit_ = records; }

 private:
  bool read_xml(std::FILE* in, const std::string& name);
  bool read_json(std::FILE* in, const std::string& name);
  // Record numbers seen, as merged intervals (holes are the trace of damaged chunk data).
  struct RecordNumbers {
    std::vector<std::pair<uint64_t, uint64_t>> intervals;  // sorted, disjoint, inclusive
    void add(std::vector<uint64_t>& numbers);
  };
  bool read_evtx_handle(void* file /* libevtx_file_t* */, const std::string& name, RecordNumbers& numbers,
                        const std::string& where);
  bool read_evtx_by_chunk(const std::string& path);
  // A whole EVTX file in memory: its chunks checked (evtx_guard.h), then read by libevtx.
  bool read_evtx_image(std::vector<uint8_t> image, const std::string& name);
  // Blanks and reports the records of one chunk libevtx cannot be trusted to size.
  void refuse_oversized_records(std::span<uint8_t> chunk, const std::string& name, const std::string& where);
  bool report_missing_records(const RecordNumbers& numbers, const std::string& name);
  // Parses one <Event> element's text; false (and a report) when malformed.
  bool handle_xml_event(std::string_view text, const std::string& name, const std::string& position);
  bool bad(const std::string& name, const std::string& position, const std::string& problem);

  EventDispatcher dispatcher_;
  Counters& counters_;
  Diagnostics& diagnostics_;
  bool strict_;
  uint64_t bad_events_ = 0;
  uint64_t evtx_whole_file_limit_ = 64ull << 20;
  uint64_t evtx_corrupt_record_limit_ = 10000;
  uint64_t evtx_corrupt_in_file_ = 0;  // records libevtx failed to read in the file being read
  SysmonEvent event_;
};

}  // namespace c2hunt::sysmon
