// The benchmark's EVTX writer (bench/sysmon_evtx_generate.py) against the JSON rendering of the same
// generated events: libevtx must list every record of the written file, with no errors, and the
// records c2hunt takes from it must equal those from the JSON lines.
#include <gtest/gtest.h>

#include <cstdlib>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sources/sysmon/sysmon_collect.h"
#include "test_support.h"

namespace c2hunt::sysmon {
namespace {

namespace fs = std::filesystem;
using testing::canonical;
using testing::Reader;

constexpr int kEvents = 2000;

class GeneratedEvtx : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v python3 >/dev/null 2>&1") != 0) {
      if (::c2hunt::testing::running_in_ci()) FAIL() << "python3 is missing in CI";
      GTEST_SKIP() << "python3 not found: skipping the generated EVTX comparison";
    }
    dir_ = fs::temp_directory_path() / ("c2hunt_generated_evtx_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // Runs a bench generator; returns its standard output (the EVTX writer prints the files written).
  std::string generate(const std::string& script, const std::string& args) {
    const fs::path out = dir_ / "stdout.txt";
    const std::string cmd = "python3 " + ::c2hunt::testing::source_dir() + "/bench/" + script + " " + args + " >" +
                            out.string();
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(out);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  fs::path dir_;
};

TEST_F(GeneratedEvtx, EveryRecordReadAndTheSameRecordsAsTheJsonRendering) {
  const std::string json = (dir_ / "events.json").string(), evtx = (dir_ / "events.evtx").string();
  generate("sysmon_generate.py", std::to_string(kEvents) + " " + json);
  EXPECT_EQ(generate("sysmon_evtx_generate.py", std::to_string(kEvents) + " " + evtx), evtx + "\n");
  ASSERT_EQ(SysmonSource::detect_format(evtx), Format::evtx);
  Reader from_json, from_evtx;
  from_json.file(json, true);
  from_evtx.file(evtx, true);
  EXPECT_TRUE(from_evtx.ok) << from_evtx.messages();
  EXPECT_EQ(from_evtx.diagnostics.errors(), 0u) << from_evtx.messages();
  EXPECT_EQ(from_evtx.counters.get("sysmon.evtx.records"), uint64_t(kEvents));
  EXPECT_EQ(from_evtx.counters.get("sysmon.evtx.recovered_records"), 0u);
  EXPECT_EQ(from_evtx.counters.get("sysmon.evtx.missing_records"), 0u);
  EXPECT_EQ(from_evtx.counters.get("sysmon.events"), uint64_t(kEvents));
  EXPECT_EQ(from_json.counters.get("sysmon.events"), uint64_t(kEvents));
  for (const char* eid : {"sysmon.eid.1", "sysmon.eid.3", "sysmon.eid.5", "sysmon.eid.22"}) {
    EXPECT_GT(from_evtx.counters.get(eid), 0u) << eid;
    EXPECT_EQ(from_evtx.counters.get(eid), from_json.counters.get(eid)) << eid;
  }
  EXPECT_EQ(canonical(from_evtx.out), canonical(from_json.out));
}

// A file holds at most 65535 chunks; the writer continues in OUT-2.evtx ... with the record numbers
// running on. With a small cap the pieces together give the same records as one file.
TEST_F(GeneratedEvtx, EventsOverTheChunkCapContinueInTheNextFile) {
  const std::string whole = (dir_ / "whole.evtx").string(), split = (dir_ / "split.evtx").string();
  generate("sysmon_evtx_generate.py", std::to_string(kEvents) + " " + whole);
  std::string listed = generate("sysmon_evtx_generate.py", std::to_string(kEvents) + " " + split + " --max-chunks 8");
  std::vector<std::string> pieces;
  for (size_t start = 0, nl; (nl = listed.find('\n', start)) != std::string::npos; start = nl + 1)
    pieces.push_back(listed.substr(start, nl - start));
  ASSERT_GE(pieces.size(), 2u) << listed;
  EXPECT_EQ(pieces[0], split);
  EXPECT_EQ(pieces[1], (dir_ / "split-2.evtx").string());
  Reader one, parts;
  one.file(whole, true);
  for (const std::string& piece : pieces) {
    parts.file(piece, true);
    EXPECT_TRUE(parts.ok) << piece << parts.messages();
  }
  EXPECT_EQ(parts.diagnostics.errors(), 0u) << parts.messages();
  EXPECT_EQ(parts.counters.get("sysmon.evtx.records"), uint64_t(kEvents));
  EXPECT_EQ(canonical(parts.out), canonical(one.out));
}

// Large EVTX files are handed to libevtx a chunk at a time (memory then does not grow with the
// file): read that way, the generated file gives exactly what reading it whole gives.
TEST_F(GeneratedEvtx, ReadChunkByChunkGivesTheSameRecordsAsTheWholeFile) {
  const std::string evtx = (dir_ / "events.evtx").string();
  generate("sysmon_evtx_generate.py", std::to_string(kEvents) + " " + evtx);
  Reader whole, by_chunk;
  whole.file(evtx, true);
  by_chunk.evtx_whole_file_limit = 0;
  by_chunk.file(evtx, true);
  EXPECT_TRUE(by_chunk.ok) << by_chunk.messages();
  EXPECT_EQ(by_chunk.diagnostics.errors(), 0u) << by_chunk.messages();
  EXPECT_EQ(by_chunk.counters.get("sysmon.evtx.records"), uint64_t(kEvents));
  EXPECT_EQ(by_chunk.counters.get("sysmon.evtx.missing_records"), 0u);
  EXPECT_EQ(by_chunk.counters.get("sysmon.evtx.damaged_chunks"), 0u);
  EXPECT_EQ(canonical(by_chunk.out), canonical(whole.out));
}

// A damaged chunk in a file read chunk by chunk: reported with its offset, the other chunks'
// records still read, and the hole in the record numbers reported.
TEST_F(GeneratedEvtx, ADamagedChunkIsReportedAndTheOthersAreRead) {
  const std::string evtx = (dir_ / "events.evtx").string();
  generate("sysmon_evtx_generate.py", std::to_string(kEvents) + " " + evtx);
  {
    std::fstream f(evtx, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 + 65536);  // the second chunk's signature
    f.write("XXXXXXXX", 8);
  }
  Reader by_chunk;
  by_chunk.evtx_whole_file_limit = 0;
  by_chunk.file(evtx);
  EXPECT_EQ(by_chunk.counters.get("sysmon.evtx.damaged_chunks"), 1u);
  const uint64_t read = by_chunk.counters.get("sysmon.evtx.records");
  EXPECT_GT(read, 0u);
  EXPECT_LT(read, uint64_t(kEvents));
  EXPECT_EQ(by_chunk.counters.get("sysmon.evtx.missing_records"), uint64_t(kEvents) - read);
  const std::string messages = by_chunk.messages();
  EXPECT_NE(messages.find("chunk 1 (offset 69632)"), std::string::npos) << messages;
  EXPECT_NE(messages.find("missing"), std::string::npos) << messages;
}

// Regression for the evtx_fuzz out-of-memory finding (docs/upstream-reports.md): libevtx sizes a
// template instance's value array from its 32-bit count before checking it, so a count of 2^30
// asks for 8 GiB. The record is refused before libevtx reads it, reported with its position and
// counted, and the chunk's other records are still read. Under AddressSanitizer, without the guard,
// the allocation itself aborts the test.
TEST_F(GeneratedEvtx, ARecordDeclaringImpossiblyManyValuesIsRefusedBeforeLibevtxReadsIt) {
  const std::string evtx = (dir_ / "events.evtx").string();
  generate("sysmon_evtx_generate.py", std::to_string(kEvents) + " " + evtx);
  std::vector<uint8_t> bytes;
  {
    std::ifstream in(evtx, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto le32 = [&](size_t at) {
    return uint32_t(bytes[at]) | uint32_t(bytes[at + 1]) << 8 | uint32_t(bytes[at + 2]) << 16 |
           uint32_t(bytes[at + 3]) << 24;
  };
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = uint8_t(v >> (8 * i));
  };
  // The second record of the first chunk: fragment header, template instance token, then (its
  // definition being the first record's) the value count right after the definition offset.
  const size_t chunk = 4096, first = chunk + 512, second = first + le32(first + 4);
  ASSERT_EQ(bytes[second + 24], 0x0f);
  ASSERT_EQ(bytes[second + 28], 0x0c);
  ASSERT_NE(le32(second + 34), second + 38 - chunk) << "expected a reference to an earlier definition";
  const size_t count_at = second + 38;
  ASSERT_LT(le32(count_at), 100u);
  put32(count_at, le32(count_at) | 0x40000000u);
  // The chunk's record checksum made right again, so only the count is wrong.
  const uint32_t free_space = le32(chunk + 48);
  put32(chunk + 52, static_cast<uint32_t>(crc32(0, bytes.data() + chunk + 512, free_space - 512)));
  {
    std::ofstream out(evtx, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  for (uint64_t whole_file_limit : {uint64_t{64} << 20, uint64_t{0}}) {
    Reader reader;
    reader.evtx_whole_file_limit = whole_file_limit;
    reader.file(evtx);
    const std::string messages = reader.messages();
    EXPECT_EQ(reader.counters.get("sysmon.evtx.records_refused_oversized_value_count"), 1u) << messages;
    EXPECT_NE(messages.find("chunk 0 (offset 4096) record at chunk offset " + std::to_string(second - chunk)),
              std::string::npos)
        << messages;
    EXPECT_NE(messages.find("template values"), std::string::npos) << messages;
    // Every other record is read, from the record list or (past the refused one) the recovery scan.
    EXPECT_EQ(reader.counters.get("sysmon.evtx.records") + reader.counters.get("sysmon.evtx.recovered_records"),
              uint64_t(kEvents) - 1)
        << messages;
  }
}

}  // namespace
}  // namespace c2hunt::sysmon
