// Real Zeek (TSV, JSON), Suricata eve and Sysmon (JSON lines, XML) logs with a few lines cut short,
// bit-flipped or replaced with garbage: no crash, each problem reported once with the line number
// of a damaged line, and every undamaged line still parsed into its record.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <sstream>

#include "../test_support.h"
#include "c2hunt/sources/suricata/eve_source.h"
#include "c2hunt/sources/sysmon/sysmon_source.h"
#include "c2hunt/sources/zeek/zeek_source.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"
#include "damage_support.h"

namespace c2hunt::hardening {
namespace {

// Counts every record a source emits, whatever its kind.
struct CountingConsumer : records::RecordConsumer {
  uint64_t records = 0;
  void on_connection(records::Connection&&) override { ++records; }
  void on_dns(records::DnsResolution&&) override { ++records; }
  void on_process(records::Process&&) override { ++records; }
  void on_host_connection(records::HostConnection&&) override { ++records; }
};

struct LogRun {
  uint64_t records = 0;
  std::vector<std::string> diagnostics;
  uint64_t errors = 0;
};

using SourceRunner = std::function<void(records::RecordConsumer&, Counters&, Diagnostics&, const std::string& name,
                                        const std::string& text)>;

LogRun run_log(const SourceRunner& runner, const std::string& name, const std::string& text) {
  CountingConsumer consumer;
  Counters counters;
  DiagnosticsCapture capture;
  Diagnostics diagnostics(capture.stream(), 1000);
  runner(consumer, counters, diagnostics, name, text);
  return {consumer.records, capture.lines(), diagnostics.errors()};
}

void run_zeek(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics, const std::string& name,
              const std::string& text) {
  zeek::ZeekSource source(consumer, counters, diagnostics);
  source.read_text(name, text);
  source.finish();
}

void run_eve(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics, const std::string& name,
             const std::string& text) {
  suricata::EveSource source(consumer, counters, diagnostics);
  source.read_text(name, text);
  source.finish();
}

SourceRunner sysmon_runner(sysmon::Format format) {
  return [format](records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics,
                  const std::string& name, const std::string& text) {
    sysmon::SysmonSource source(consumer, counters, diagnostics);
    std::FILE* in = fmemopen(const_cast<char*>(text.data()), text.size(), "r");
    ASSERT_NE(in, nullptr);
    source.read_stream(in, name, format);
    std::fclose(in);
  };
}

std::vector<std::string> split_lines(const std::string& text, size_t max_lines) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (lines.size() < max_lines && std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

enum class Damage { cut, flip, garbage };

std::string damage_line(const std::string& line, Damage how, std::mt19937_64& rng) {
  switch (how) {
    case Damage::cut: return line.substr(0, std::uniform_int_distribution<size_t>(0, line.size() / 2)(rng));
    case Damage::flip: return flip_bits(line, 0, 4, rng);
    case Damage::garbage: break;
  }
  std::string g = "\x01{\"\xff\t\"]]\\u12";
  return g;
}

// Damages `per_trial` random data lines (never the TSV header directives, which govern the lines under
// them), then checks: at most one error per damaged line, every line-numbered diagnostic names a
// damaged line, and at most one record lost per damaged line.
void check_damaged_log(const SourceRunner& runner, const std::string& path, const std::string& name,
                       size_t max_lines, int trials, int per_trial, bool line_records) {
  std::string text = read_bytes(path);
  ASSERT_FALSE(text.empty()) << path;
  std::vector<std::string> lines = split_lines(text, max_lines);
  LogRun clean = run_log(runner, name, join_lines(lines));
  ASSERT_EQ(clean.errors, 0u) << path << ": " << (clean.diagnostics.empty() ? "" : clean.diagnostics[0]);
  ASSERT_GT(clean.records, 0u) << path;
  std::mt19937_64 rng(static_cast<uint64_t>(std::hash<std::string>()(name)));
  std::vector<size_t> data_lines;
  for (size_t i = 0; i < lines.size(); ++i)
    if (!lines[i].empty() && lines[i][0] != '#' && lines[i][0] != '<' && lines[i][0] != ' ') data_lines.push_back(i);
  if (data_lines.empty())  // XML: any line may hold part of an event
    for (size_t i = 0; i < lines.size(); ++i) data_lines.push_back(i);
  // Two damaged rows right under a TSV header mark the header as wrong (by design): keep damage sparse.
  per_trial = std::max(1, std::min(per_trial, static_cast<int>(data_lines.size() / 20)));
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<std::string> damaged = lines;
    std::set<uint64_t> damaged_numbers;  // 1-based
    for (int i = 0; i < per_trial; ++i) {
      size_t at = data_lines[std::uniform_int_distribution<size_t>(0, data_lines.size() - 1)(rng)];
      damaged[at] = damage_line(damaged[at], static_cast<Damage>((trial + i) % 3), rng);
      damaged_numbers.insert(at + 1);
    }
    LogRun r = run_log(runner, name, join_lines(damaged));
    std::string what = path + " trial " + std::to_string(trial);
    EXPECT_LE(r.errors, damaged_numbers.size()) << what;
    for (const std::string& line : r.diagnostics) {
      EXPECT_NE(line.find(name + ": "), std::string::npos) << what << ": " << line;
      size_t at = line.find(": line ");
      if (at == std::string::npos || !line_records) continue;
      uint64_t number = std::stoull(line.substr(at + 7));
      EXPECT_TRUE(damaged_numbers.count(number)) << what << ": " << line;
    }
    // A flipped bit can split a line in two ('\n') or merge an event: allow one record either way per line.
    EXPECT_GE(r.records + damaged_numbers.size(), clean.records) << what << "\n" << join_lines(r.diagnostics);
    EXPECT_LE(r.records, clean.records + damaged_numbers.size()) << what;
  }
}

TEST(LogDamage, ZeekTsvConnAndSsl) {
  C2HUNT_REQUIRE_SHARED_DATA();
  for (const char* log : {"conn.log", "ssl.log", "dns.log"})
    check_damaged_log(run_zeek, ::c2hunt::testing::shared_data_path(std::string("zeek/otrf-msf-lsass01/") + log),
                      log, 400, 12, 5, true);
}

TEST(LogDamage, ZeekJson) {
  C2HUNT_REQUIRE_SHARED_DATA();
  for (const char* log : {"conn.log", "ssl.log"})
    check_damaged_log(run_zeek, ::c2hunt::testing::shared_data_path(std::string("zeek/rita-json/") + log), log, 400,
                      12, 5, true);
}

TEST(LogDamage, SuricataEve) {
  C2HUNT_REQUIRE_SHARED_DATA();
  check_damaged_log(run_eve, ::c2hunt::testing::shared_data_path("suricata/slips__test-cc-capture-1.pcap.eve.json"),
                    "eve.json", 600, 12, 5, true);
}

TEST(LogDamage, SysmonJsonLines) {
  C2HUNT_REQUIRE_SHARED_DATA();
  check_damaged_log(sysmon_runner(sysmon::Format::json),
                    ::c2hunt::testing::shared_data_path("sysmon/otrf__msf-lsass01_sysmon-1-3-22.json"), "sysmon.json",
                    460, 12, 5, true);
}

TEST(LogDamage, SysmonXml) {
  C2HUNT_REQUIRE_SHARED_DATA();
  // Line numbers of XML problems name the line the event starts on, not the damaged line inside it.
  check_damaged_log(sysmon_runner(sysmon::Format::xml),
                    ::c2hunt::testing::shared_data_path("sysmon/xml/evtx__DE_sysmon-3-rdp-tun.xml"), "sysmon.xml", 2449,
                    12, 3, false);
}

}  // namespace
}  // namespace c2hunt::hardening
