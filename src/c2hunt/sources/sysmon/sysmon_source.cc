#include "c2hunt/sources/sysmon/sysmon_source.h"

#include <libevtx.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include <cerrno>
#include <filesystem>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <pugixml.hpp>

#include "c2hunt/sources/sysmon/evtx_guard.h"

namespace c2hunt::sysmon {
namespace {

constexpr size_t kReadChunk = 1 << 20;     // JSON lines
constexpr size_t kXmlReadChunk = 64 << 10;  // XML: events are cut out of a growing window
constexpr size_t kSniffBytes = 64 * 1024;
// EVTX layout (libevtx's format documentation): a 4 KiB file header, then 64 KiB chunks.
constexpr size_t kEvtxHeaderBytes = 4096;
constexpr size_t kEvtxHeaderChecksummed = 120;  // the header CRC32 (at 124) covers bytes 0-119

void put_le(uint8_t* at, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) at[i] = static_cast<uint8_t>(v >> (8 * i));
}

std::string_view local_name(const char* name) {
  std::string_view n(name);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

int parse_int(std::string_view s, int fallback = -1) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

uint64_t parse_u64(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : 0;
}

// Finds the next "<Event" start tag (not "<Events") at or after `from`.
size_t find_event_start(std::string_view buf, size_t from) {
  while (true) {
    size_t p = buf.find("<Event", from);
    if (p == std::string_view::npos || p + 6 >= buf.size()) return std::string_view::npos;
    char next = buf[p + 6];
    if (next == ' ' || next == '>' || next == '\t' || next == '\r' || next == '\n') return p;
    from = p + 6;
  }
}

std::string evtx_error_text(libevtx_error_t* error) {
  if (!error) return "unknown libevtx error";
  char text[512] = {};
  libevtx_error_sprint(error, text, sizeof text);
  libevtx_error_free(&error);
  std::string out(text);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

struct EvtxFileCloser {
  void operator()(libevtx_file_t* f) const {
    libevtx_file_close(f, nullptr);
    libevtx_file_free(&f, nullptr);
  }
};
using EvtxFile = std::unique_ptr<libevtx_file_t, EvtxFileCloser>;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

SysmonSource::SysmonSource(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics,
                           bool strict)
    : dispatcher_(consumer, counters), counters_(counters), diagnostics_(diagnostics), strict_(strict) {}

Format SysmonSource::detect_format(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return Format::unknown;
  char head[512];
  size_t n = std::fread(head, 1, sizeof head, f.get());
  if (n >= 8 && std::memcmp(head, "ElfFile\0", 8) == 0) return Format::evtx;
  size_t i = 0;
  if (n >= 3 && static_cast<unsigned char>(head[0]) == 0xEF && static_cast<unsigned char>(head[1]) == 0xBB &&
      static_cast<unsigned char>(head[2]) == 0xBF)
    i = 3;  // UTF-8 byte order mark
  while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i < n && head[i] == '<') return Format::xml;
  if (i < n && head[i] == '{') return Format::json;
  return Format::unknown;
}

bool SysmonSource::looks_like_sysmon(const std::string& path) {
  Format format = detect_format(path);
  if (format == Format::evtx) return true;
  if (format == Format::unknown) return false;
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return false;
  std::string head(kSniffBytes, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), f.get()));
  if (head.find("Microsoft-Windows-Sysmon") != std::string::npos) return true;
  return format == Format::json && head.find("\"winlog\"") != std::string::npos;
}

bool SysmonSource::bad(const std::string& name, const std::string& position, const std::string& problem) {
  ++bad_events_;
  ++counters_.counter("sysmon.bad_events");
  diagnostics_.error(name, position, problem);
  return !strict_;
}

bool SysmonSource::read_file(const std::string& path) {
  Format format = detect_format(path);
  evtx_corrupt_in_file_ = 0;
  if (format == Format::evtx) {
    std::error_code size_error;
    const uint64_t size = std::filesystem::file_size(path, size_error);
    if (!size_error && size > evtx_whole_file_limit_) return read_evtx_by_chunk(path);
    // Read whole (at most evtx_whole_file_limit_ bytes) so every chunk is checked before libevtx
    // sees it (evtx_guard.h).
    std::unique_ptr<std::FILE, FileCloser> in(std::fopen(path.c_str(), "rb"));
    if (!in) {
      diagnostics_.error(path, "open", std::strerror(errno));
      return false;
    }
    std::vector<uint8_t> image;
    uint8_t buffer[1 << 16];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, in.get())) > 0;) {
      if (image.size() + n > evtx_whole_file_limit_) return read_evtx_by_chunk(path);  // it grew meanwhile
      image.insert(image.end(), buffer, buffer + n);
    }
    if (std::ferror(in.get())) {
      diagnostics_.error(path, "offset " + std::to_string(image.size()), std::strerror(errno));
      return false;
    }
    return read_evtx_image(std::move(image), path);
  }
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    diagnostics_.error(path, "open", std::strerror(errno));
    return false;
  }
  if (format == Format::unknown) {
    diagnostics_.error(path, "offset 0", "neither EVTX, event XML nor JSON lines");
    return false;
  }
  return read_stream(f.get(), path, format);
}

bool SysmonSource::read_stream(std::FILE* in, const std::string& name, Format format) {
  if (format == Format::xml) return read_xml(in, name);
  if (format == Format::json) return read_json(in, name);
  diagnostics_.error(name, "offset 0", "stream format must be XML or JSON");
  return false;
}

bool SysmonSource::read_evtx_memory(const uint8_t* data, size_t size, const std::string& name) {
  evtx_corrupt_in_file_ = 0;
  return read_evtx_image(std::vector<uint8_t>(data, data + size), name);
}

void SysmonSource::refuse_oversized_records(std::span<uint8_t> chunk, const std::string& name,
                                            const std::string& where) {
  for (const RefusedEvtxRecord& r : refuse_oversized_value_counts(chunk)) {
    ++counters_.counter("sysmon.evtx.records_refused_oversized_value_count");
    bad(name, where + " record at chunk offset " + std::to_string(r.chunk_offset),
        "EVTX record declares " + std::to_string(r.value_count) + " template values in " +
            std::to_string(r.bytes_left) +
            " bytes (libevtx would allocate for them before checking): the record is not read");
  }
}

bool SysmonSource::read_evtx_image(std::vector<uint8_t> image, const std::string& name) {
  for (size_t at = kEvtxHeaderBytes; at + kEvtxChunkBytes <= image.size(); at += kEvtxChunkBytes) {
    std::span<uint8_t> chunk(image.data() + at, kEvtxChunkBytes);
    if (std::memcmp(chunk.data(), "ElfChnk\0", 8) == 0)
      refuse_oversized_records(chunk, name,
                               "chunk " + std::to_string((at - kEvtxHeaderBytes) / kEvtxChunkBytes) + " (offset " +
                                   std::to_string(at) + ")");
  }
  // Through an anonymous in-memory file rather than a libbfio memory range: libbfio's memory-range
  // reads are not clamped to the range (a 4096-byte header read overruns a shorter buffer), while
  // file reads come back short and libevtx reports the truncation.
  int fd = memfd_create("c2hunt-evtx", MFD_CLOEXEC);
  if (fd < 0) {
    diagnostics_.error(name, "open", std::string("memfd_create: ") + std::strerror(errno));
    return false;
  }
  size_t written = 0;
  while (written < image.size()) {
    ssize_t n = ::write(fd, image.data() + written, image.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool complete = written == image.size();
  std::vector<uint8_t>().swap(image);  // libevtx reads the in-memory file from here on
  bool ok = false;
  if (!complete) {
    diagnostics_.error(name, "open", std::string("writing the in-memory EVTX image: ") + std::strerror(errno));
  } else {
    libevtx_file_t* raw = nullptr;
    libevtx_error_t* error = nullptr;
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    if (libevtx_file_initialize(&raw, &error) != 1) {
      diagnostics_.error(name, "open", evtx_error_text(error));
    } else if (libevtx_file_open(raw, path.c_str(), LIBEVTX_OPEN_READ, &error) != 1) {
      libevtx_file_free(&raw, nullptr);
      ++counters_.counter("sysmon.evtx.unreadable_files");
      diagnostics_.error(name, "open", "not a readable EVTX file: " + evtx_error_text(error));
    } else {
      RecordNumbers numbers;
      ok = read_evtx_handle(raw, name, numbers, "") && report_missing_records(numbers, name);
    }
  }
  ::close(fd);
  return ok;
}

void SysmonSource::RecordNumbers::add(std::vector<uint64_t>& numbers) {
  std::sort(numbers.begin(), numbers.end());
  for (size_t i = 0; i < numbers.size();) {
    size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] <= numbers[j] + 1) ++j;
    intervals.emplace_back(numbers[i], numbers[j]);
    i = j + 1;
  }
  numbers.clear();
  std::sort(intervals.begin(), intervals.end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (const auto& run : intervals) {
    if (!merged.empty() && run.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, run.second);
    else
      merged.push_back(run);
  }
  intervals.swap(merged);
}

bool SysmonSource::report_missing_records(const RecordNumbers& numbers, const std::string& name) {
  const auto& runs = numbers.intervals;
  if (runs.size() < 2) return true;
  uint64_t lost = 0;
  for (size_t i = 1; i < runs.size(); ++i) lost += runs[i].first - runs[i - 1].second - 1;
  counters_.counter("sysmon.evtx.missing_records") += lost;
  return bad(name, "record number " + std::to_string(runs.front().second + 1),
             std::to_string(lost) + " record number(s) between " + std::to_string(runs.front().first) + " and " +
                 std::to_string(runs.back().second) + " missing: damaged EVTX chunk data");
}

bool SysmonSource::read_evtx_by_chunk(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> in(std::fopen(path.c_str(), "rb"));
  if (!in) {
    diagnostics_.error(path, "open", std::strerror(errno));
    return false;
  }
  // One image of a one-chunk log, rewritten for every chunk: the file's header with its chunk
  // count and chunk numbers set for a single chunk (and its checksum recomputed), then the chunk.
  std::vector<uint8_t> image(kEvtxHeaderBytes + kEvtxChunkBytes);
  if (std::fread(image.data(), 1, kEvtxHeaderBytes, in.get()) != kEvtxHeaderBytes ||
      std::memcmp(image.data(), "ElfFile\0", 8) != 0) {
    ++counters_.counter("sysmon.evtx.unreadable_files");
    diagnostics_.error(path, "offset 0", "not a readable EVTX file: no EVTX file header");
    return false;
  }
  put_le(image.data() + 8, 0, 8);   // first chunk number
  put_le(image.data() + 16, 0, 8);  // last chunk number
  put_le(image.data() + 42, 1, 2);  // number of chunks
  put_le(image.data() + 124, crc32(0, image.data(), kEvtxHeaderChecksummed), 4);
  int fd = memfd_create("c2hunt-evtx-chunk", MFD_CLOEXEC);
  if (fd < 0) {
    diagnostics_.error(path, "open", std::string("memfd_create: ") + std::strerror(errno));
    return false;
  }
  const std::string image_path = "/proc/self/fd/" + std::to_string(fd);
  uint64_t& empty_chunks = counters_.counter("sysmon.evtx.empty_chunks");
  uint64_t& damaged_chunks = counters_.counter("sysmon.evtx.damaged_chunks");
  RecordNumbers numbers;
  bool ok = true;
  for (uint64_t chunk = 0; ok; ++chunk) {
    uint8_t* body = image.data() + kEvtxHeaderBytes;
    size_t got = std::fread(body, 1, kEvtxChunkBytes, in.get());
    if (got == 0) break;
    const std::string where =
        "chunk " + std::to_string(chunk) + " (offset " + std::to_string(kEvtxHeaderBytes + chunk * kEvtxChunkBytes) + ")";
    if (got < kEvtxChunkBytes) {
      ++damaged_chunks;
      ok = bad(path, where, "file ends inside an EVTX chunk (" + std::to_string(got) + " of 65536 bytes)");
      break;
    }
    // Windows allocates a log's chunks ahead: one never written holds nothing.
    if (std::all_of(body, body + kEvtxChunkBytes, [](uint8_t b) { return b == 0; })) {
      ++empty_chunks;
      continue;
    }
    if (std::memcmp(body, "ElfChnk\0", 8) != 0) {
      ++damaged_chunks;
      ok = bad(path, where, "not an EVTX chunk (no chunk signature): its records are lost");
      continue;
    }
    refuse_oversized_records(std::span<uint8_t>(body, kEvtxChunkBytes), path, where);
    if (::pwrite(fd, image.data(), image.size(), 0) != static_cast<ssize_t>(image.size())) {
      diagnostics_.error(path, where, std::string("writing the chunk image: ") + std::strerror(errno));
      ok = false;
      break;
    }
    libevtx_file_t* raw = nullptr;
    libevtx_error_t* error = nullptr;
    if (libevtx_file_initialize(&raw, &error) != 1) {
      diagnostics_.error(path, where, evtx_error_text(error));
      ok = false;
      break;
    }
    if (libevtx_file_open(raw, image_path.c_str(), LIBEVTX_OPEN_READ, &error) != 1) {
      libevtx_file_free(&raw, nullptr);
      ++damaged_chunks;
      ok = bad(path, where, "libevtx cannot read the chunk: " + evtx_error_text(error));
      continue;
    }
    ok = read_evtx_handle(raw, path, numbers, where + " ");
  }
  ::close(fd);
  return ok && report_missing_records(numbers, path);
}

bool SysmonSource::read_evtx_handle(void* handle, const std::string& name, RecordNumbers& numbers,
                                    const std::string& where_prefix) {
  EvtxFile file(static_cast<libevtx_file_t*>(handle));
  libevtx_error_t* error = nullptr;
  std::string xml;
  uint64_t& records = counters_.counter("sysmon.evtx.records");
  uint64_t& corrupt = counters_.counter("sysmon.evtx.corrupt_records");
  uint64_t& recovered = counters_.counter("sysmon.evtx.recovered_records");
  uint64_t& unrecoverable = counters_.counter("sysmon.evtx.unrecoverable_candidates");
  // Each record libevtx fails to read costs memory it never frees: past the limit, stop the file.
  auto over_corrupt_limit = [&](const std::string& position, int index, int count) {
    if (++evtx_corrupt_in_file_ <= evtx_corrupt_record_limit_) return false;
    ++counters_.counter("sysmon.evtx.files_cut_at_corrupt_limit");
    counters_.counter("sysmon.evtx.records_skipped_at_corrupt_limit") += static_cast<uint64_t>(count - index - 1);
    diagnostics_.error(name, position,
                       "more than " + std::to_string(evtx_corrupt_record_limit_) +
                           " records libevtx cannot read (it leaks memory on each): the rest of the file is skipped");
    return true;
  };
  // Record numbers run consecutively through a log. libevtx stops listing a chunk at a damaged
  // record and the recovery scan finds only some of the rest, so holes in the numbers are the
  // trace of damaged chunk data (reported by the caller once the whole file is read).
  std::vector<uint64_t> identifiers;
  auto read_set = [&](bool recovered_set) -> bool {
    int count = 0;
    int rc = recovered_set ? libevtx_file_get_number_of_recovered_records(file.get(), &count, &error)
                           : libevtx_file_get_number_of_records(file.get(), &count, &error);
    if (rc != 1) {
      ++corrupt;
      return bad(name, recovered_set ? "recovered records" : "records", evtx_error_text(error));
    }
    for (int i = 0; i < count; ++i) {
      const std::string position = where_prefix +
                                   (recovered_set ? "recovered record index " : "record index ") + std::to_string(i);
      libevtx_record_t* record = nullptr;
      rc = recovered_set ? libevtx_file_get_recovered_record_by_index(file.get(), i, &record, &error)
                         : libevtx_file_get_record_by_index(file.get(), i, &record, &error);
      if ((rc != 1 || !record) && recovered_set) {
        // Recovery scans slack space speculatively; most candidates there are not records at all.
        ++unrecoverable;
        if (error) evtx_error_text(error);
        error = nullptr;
        if (over_corrupt_limit(position, i, count)) return false;
        continue;
      }
      if (rc != 1 || !record) {
        ++corrupt;
        if (!bad(name, position, "corrupt EVTX record: " + evtx_error_text(error))) return false;
        error = nullptr;
        if (over_corrupt_limit(position, i, count)) return false;
        continue;
      }
      size_t size = 0;
      bool rendered = libevtx_record_get_utf8_xml_string_size(record, &size, &error) == 1 && size > 0 &&
                      size <= kMaxEventBytes;
      if (rendered) {
        xml.resize(size);
        rendered = libevtx_record_get_utf8_xml_string(record, reinterpret_cast<uint8_t*>(xml.data()), size,
                                                      &error) == 1;
      }
      uint64_t identifier = 0;
      libevtx_record_get_identifier(record, &identifier, nullptr);
      libevtx_record_free(&record, nullptr);
      const std::string where = position + " (record number " + std::to_string(identifier) + ")";
      identifiers.push_back(identifier);
      if (!rendered) {
        ++corrupt;
        std::string why = error ? evtx_error_text(error) : "rendered XML missing or over " +
                                                               std::to_string(kMaxEventBytes) + " bytes";
        error = nullptr;
        if (!bad(name, where, "EVTX record not renderable: " + why)) return false;
        if (over_corrupt_limit(where, i, count)) return false;
        continue;
      }
      ++(recovered_set ? recovered : records);
      xml.resize(std::strlen(xml.c_str()));
      if (!handle_xml_event(xml, name, where) && strict_) return false;
    }
    return true;
  };
  bool ok = read_set(false) && read_set(true);
  numbers.add(identifiers);
  return ok;
}

bool SysmonSource::handle_xml_event(std::string_view text, const std::string& name, const std::string& position) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) return bad(name, position, std::string("malformed event XML: ") + parsed.description());
  pugi::xml_node root = doc.document_element();
  if (local_name(root.name()) != "Event") return bad(name, position, "XML element is not an <Event>");
  event_.clear();
  pugi::xml_node system = child(root, "System");
  event_.provider = child(system, "Provider").attribute("Name").value();
  event_.event_id = parse_int(child(system, "EventID").child_value());
  event_.channel = child(system, "Channel").child_value();
  event_.computer = child(system, "Computer").child_value();
  event_.record_number = parse_u64(child(system, "EventRecordID").child_value());
  event_.system_time = child(system, "TimeCreated").attribute("SystemTime").value();
  for (pugi::xml_node d = child(root, "EventData").first_child(); d; d = d.next_sibling()) {
    if (d.type() != pugi::node_element || local_name(d.name()) != "Data") continue;
    const char* field = d.attribute("Name").value();
    if (!*field) continue;
    if (event_.fields.size() >= kMaxFieldsPerEvent) {
      ++counters_.counter("sysmon.fields_over_limit");
      break;
    }
    event_.fields.emplace_back(field, d.child_value());
  }
  std::string problem;
  if (!dispatcher_.dispatch(event_, name, &problem)) return bad(name, position, problem);
  return true;
}

bool SysmonSource::read_xml(std::FILE* in, const std::string& name) {
  std::string buf;
  uint64_t line = 1, events = 0;
  bool skipping = false;  // inside an oversized event: drop text until its end tag
  bool eof = false;
  while (!eof) {
    size_t old = buf.size();
    buf.resize(old + kXmlReadChunk);
    size_t n = std::fread(buf.data() + old, 1, kXmlReadChunk, in);
    buf.resize(old + n);
    eof = n == 0;
    size_t pos = 0;
    while (true) {
      if (skipping) {
        size_t end = buf.find("</Event>", pos);
        if (end == std::string::npos) break;
        for (size_t i = pos; i < end; ++i) line += buf[i] == '\n';
        pos = end + 8;
        skipping = false;
        continue;
      }
      size_t start = find_event_start(buf, pos);
      if (start == std::string::npos) {
        // Keep a tail that could hold a split "<Event" tag.
        size_t keep_from = buf.size() > 8 ? buf.size() - 8 : 0;
        if (keep_from < pos) keep_from = pos;
        for (size_t i = pos; i < keep_from; ++i) line += buf[i] == '\n';
        pos = keep_from;
        break;
      }
      for (size_t i = pos; i < start; ++i) line += buf[i] == '\n';
      pos = start;
      size_t end = buf.find("</Event>", start);
      if (end == std::string::npos || end - start > kMaxEventBytes) {
        if (buf.size() - start > kMaxEventBytes || (end != std::string::npos)) {
          ++counters_.counter("sysmon.oversized_events");
          if (!bad(name, "line " + std::to_string(line), "event larger than " + std::to_string(kMaxEventBytes) + " bytes"))
            return false;
          skipping = true;
          pos = start + 6;
          continue;
        }
        break;  // the end is in the next chunk
      }
      end += 8;
      ++events;
      std::string_view text(buf.data() + start, end - start);
      if (!handle_xml_event(text, name, "line " + std::to_string(line) + " (event " + std::to_string(events) + ")") &&
          strict_)
        return false;
      for (size_t i = start; i < end; ++i) line += buf[i] == '\n';
      pos = end;
    }
    buf.erase(0, pos);
  }
  if (!skipping && find_event_start(buf + " ", 0) != std::string::npos) {
    if (!bad(name, "line " + std::to_string(line), "truncated event at end of file")) return false;
  }
  return !(strict_ && bad_events_ > 0);
}

namespace {

// Maps one JSON member (its dotted path) onto the event; Winlogbeat/ECS and flat NXLog names.
void map_json_member(SysmonEvent& e, std::string_view path, std::string_view key, std::string_view value,
                     bool nested) {
  if (!nested && path.find('.') == std::string_view::npos) {
    // Flat NXLog/OTRF names: most members of most lines, so test only the few envelope names.
    switch (path.size()) {
      case 7:
        if (path == "EventID") return void(e.event_id = parse_int(value));
        if (path == "Channel") return void(e.channel = value);
        break;
      case 8:
        if (path == "Hostname" || path == "Computer") return void(e.computer = value);
        break;
      case 10:
        if (path == "SourceName") return void(e.provider = value);
        if (path == "@timestamp") {
          if (e.system_time.empty()) e.system_time = value;
          return;
        }
        break;
      case 11:
        if (path == "TimeCreated") return void(e.system_time = value);
        break;
      case 12:
        if (path == "ProviderName") return void(e.provider = value);
        if (path == "RecordNumber") return void(e.record_number = parse_u64(value));
        break;
      case 13:
        if (path == "EventRecordID") return void(e.record_number = parse_u64(value));
        break;
    }
    e.fields.emplace_back(path, value);
    return;
  }
  if (path == "winlog.event_id") {
    e.event_id = parse_int(value);
  } else if (path == "event.code") {
    if (e.event_id < 0) e.event_id = parse_int(value);
  } else if (path == "winlog.channel") {
    e.channel = value;
  } else if (path == "winlog.provider_name") {
    e.provider = value;
  } else if (path == "winlog.computer_name") {
    e.computer = value;
  } else if (path == "host.name") {
    if (e.computer.empty()) e.computer = value;
  } else if (path == "winlog.record_id") {
    e.record_number = parse_u64(value);
  } else if (path.size() > 18 && path.substr(0, 18) == "winlog.event_data.") {
    e.fields.emplace_back(nested ? key : path.substr(18), value);
  } else {
    static constexpr std::pair<std::string_view, std::string_view> kEcs[] = {
        {"process.executable", "Image"},
        {"process.entity_id", "ProcessGuid"},
        {"process.pid", "ProcessId"},
        {"process.command_line", "CommandLine"},
        {"process.parent.entity_id", "ParentProcessGuid"},
        {"process.parent.pid", "ParentProcessId"},
        {"process.parent.executable", "ParentImage"},
        {"process.parent.command_line", "ParentCommandLine"},
        {"user.name", "User"},
        {"source.ip", "SourceIp"},
        {"source.port", "SourcePort"},
        {"destination.ip", "DestinationIp"},
        {"destination.port", "DestinationPort"},
        {"destination.domain", "DestinationHostname"},
        {"network.transport", "Protocol"},
        {"dns.question.name", "QueryName"},
    };
    for (const auto& [ecs, sysmon_name] : kEcs)
      if (path == ecs) {
        e.fallback.emplace_back(sysmon_name, value);
        return;
      }
    if (path == "network.direction") {
      bool inbound = value == "ingress" || value == "inbound";
      e.fallback.emplace_back("Initiated", inbound ? "false" : "true");
    }
  }
}

bool descend_into(std::string_view path) {
  static constexpr std::string_view kObjects[] = {"winlog", "winlog.event_data", "process", "process.parent",
                                                  "source", "destination", "network", "user", "dns",
                                                  "dns.question", "host", "event"};
  for (std::string_view o : kObjects)
    if (path == o) return true;
  return false;
}

// Walks one JSON object (the DOM API: it dispatches to the best SIMD kernel at run time).
struct JsonWalker {
  SysmonEvent& event;
  std::string path;
  size_t fields_over_limit = 0;
  // Numbers rendered as text; fixed slots so that the views stay valid for the whole event.
  std::vector<std::array<char, 24>> numbers = std::vector<std::array<char, 24>>(kMaxFieldsPerEvent);
  size_t numbers_used = 0;

  void reset() {
    fields_over_limit = 0;
    numbers_used = 0;
    path.clear();
  }

  std::string_view number_text(simdjson::dom::element value) {
    if (numbers_used == numbers.size()) return {};
    char* out = numbers[numbers_used].data();
    char* end = out + numbers[numbers_used].size();
    std::to_chars_result r{};
    if (value.is_int64()) r = std::to_chars(out, end, int64_t(value.get_int64()));
    else if (value.is_uint64()) r = std::to_chars(out, end, uint64_t(value.get_uint64()));
    else r = std::to_chars(out, end, double(value.get_double()));
    if (r.ec != std::errc()) return {};
    ++numbers_used;
    return std::string_view(out, static_cast<size_t>(r.ptr - out));
  }

  void walk(simdjson::dom::object object, int depth) {
    for (auto [key, value] : object) {
      // The dotted path is only built below the top level; top-level keys are used as they are.
      size_t saved = path.size();
      if (depth > 0) {
        path += '.';
        path += key;
      }
      std::string_view full = depth > 0 ? std::string_view(path) : key;
      std::string_view text;
      bool scalar = true;
      switch (value.type()) {
        case simdjson::dom::element_type::STRING:
          text = std::string_view(value.get_string());
          break;
        case simdjson::dom::element_type::INT64:
        case simdjson::dom::element_type::UINT64:
        case simdjson::dom::element_type::DOUBLE:
          text = number_text(value);
          break;
        case simdjson::dom::element_type::BOOL:
          text = bool(value.get_bool()) ? "true" : "false";
          break;
        case simdjson::dom::element_type::OBJECT:
          scalar = false;
          if (depth < 3 && descend_into(full)) {
            if (depth == 0) path.assign(key);
            walk(value.get_object(), depth + 1);
          }
          break;
        default:
          scalar = false;
          break;
      }
      if (scalar) {
        if (event.fields.size() + event.fallback.size() < kMaxFieldsPerEvent)
          map_json_member(event, full, key, text, depth > 0);
        else
          ++fields_over_limit;
      }
      path.resize(saved);
    }
  }
};

}  // namespace

bool SysmonSource::read_json(std::FILE* in, const std::string& name) {
  simdjson::dom::parser parser(kMaxEventBytes);
  // Lines are parsed in place; simdjson needs SIMDJSON_PADDING readable bytes after each line.
  // The buffer starts small and doubles while a held partial line fills more than half of it, up
  // to a read chunk plus the longest line: a short input (a test, a fuzz case, a small export)
  // does not pay for mapping 2 MiB.
  const size_t max_size = kReadChunk + kMaxEventBytes + simdjson::SIMDJSON_PADDING;
  size_t buf_size = std::min<size_t>((64u << 10) + simdjson::SIMDJSON_PADDING, max_size);
  std::unique_ptr<char[]> storage = std::make_unique_for_overwrite<char[]>(buf_size);
  std::span<char> buf(storage.get(), buf_size);
  size_t have = 0;  // bytes of data at the front of buf
  uint64_t line = 0;
  bool skipping = false, eof = false;
  uint64_t& lines_over_limit = counters_.counter("sysmon.oversized_events");
  uint64_t& fields_over_limit = counters_.counter("sysmon.fields_over_limit");
  JsonWalker walker{event_, {}};
  while (!eof) {
    if (buf_size < max_size && have > (buf_size - simdjson::SIMDJSON_PADDING) / 2) {
      buf_size = std::min(max_size, 2 * buf_size);
      std::unique_ptr<char[]> bigger = std::make_unique_for_overwrite<char[]>(buf_size);
      std::memcpy(bigger.get(), storage.get(), have);
      storage = std::move(bigger);
      buf = std::span<char>(storage.get(), buf_size);
    }
    const size_t data_cap = buf.size() - simdjson::SIMDJSON_PADDING;
    size_t n = std::fread(buf.data() + have, 1, data_cap - have, in);
    eof = n == 0;
    have += n;
    std::memset(buf.data() + have, 0, simdjson::SIMDJSON_PADDING);
    size_t pos = 0;
    while (pos < have) {
      const char* start = buf.data() + pos;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', have - pos));
      if (!nl && !eof) {
        if (have - pos > kMaxEventBytes) {  // a line that will not fit: drop it up to its newline
          if (!skipping) {  // counted once, however many reads the line spans
            ++lines_over_limit;
            if (!bad(name, "line " + std::to_string(line + 1), "JSON line larger than " + std::to_string(kMaxEventBytes) + " bytes"))
              return false;
          }
          skipping = true;
          pos = have;
        }
        break;
      }
      size_t len = nl ? static_cast<size_t>(nl - start) : have - pos;
      pos += len + (nl ? 1 : 0);
      ++line;
      if (skipping) {
        skipping = false;
        continue;
      }
      while (len > 0 && (start[len - 1] == '\r' || start[len - 1] == ' ' || start[len - 1] == '\t')) --len;
      size_t lead = 0;
      while (lead < len && (start[lead] == ' ' || start[lead] == '\t')) ++lead;
      if (lead == len) continue;
      if (len > kMaxEventBytes) {
        ++lines_over_limit;
        if (!bad(name, "line " + std::to_string(line), "JSON line larger than " + std::to_string(kMaxEventBytes) + " bytes"))
          return false;
        continue;
      }
      event_.clear();
      walker.reset();
      simdjson::dom::element doc;
      simdjson::dom::object object;
      // realloc_if_needed=false: the line is followed by at least SIMDJSON_PADDING readable bytes.
      auto err = parser.parse(start + lead, len - lead, false).get(doc);
      if (!err) err = doc.get_object().get(object);
      if (err) {
        if (!bad(name, "line " + std::to_string(line), std::string("malformed JSON: ") + simdjson::error_message(err)))
          return false;
        continue;
      }
      walker.walk(object, 0);
      fields_over_limit += walker.fields_over_limit;
      std::string problem;
      if (!dispatcher_.dispatch(event_, name, &problem) && !bad(name, "line " + std::to_string(line), problem))
        return false;
    }
    std::memmove(buf.data(), buf.data() + pos, have - pos);
    have -= pos;
  }
  return !(strict_ && bad_events_ > 0);
}

}  // namespace c2hunt::sysmon
