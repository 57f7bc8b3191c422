// Shared by the Sysmon fuzz targets: a consumer that drops everything, and quiet diagnostics.
#pragma once

#include <cstdio>

#include "c2hunt/records/consumer.h"
#include "c2hunt/sources/sysmon/sysmon_source.h"

namespace c2hunt::fuzzing {

struct NullConsumer : records::RecordConsumer {
  void on_connection(records::Connection&&) override {}
};

// Feeds bytes to the XML or JSON reader through an in-memory FILE.
inline void read_sysmon_text(const uint8_t* data, size_t size, sysmon::Format format) {
  static std::FILE* devnull = std::fopen("/dev/null", "w");
  NullConsumer sink;
  Counters counters;
  Diagnostics diagnostics(devnull);
  sysmon::SysmonSource source(sink, counters, diagnostics);
  if (size == 0) return;
  std::FILE* in = fmemopen(const_cast<uint8_t*>(data), size, "rb");
  if (!in) return;
  source.read_stream(in, "fuzz", format);
  std::fclose(in);
}

}  // namespace c2hunt::fuzzing
