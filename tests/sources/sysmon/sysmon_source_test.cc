#include "c2hunt/sources/sysmon/sysmon_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sources/sysmon/sysmon_collect.h"
#include "test_support.h"

namespace c2hunt::sysmon {
namespace {

using testing::canonical;
using testing::Reader;

std::string event_xml(int eid, const std::string& data, const std::string& ns = "",
                      const std::string& provider = "Microsoft-Windows-Sysmon") {
  return "<Event" + ns + "><System><Provider Name=\"" + provider + "\"/><EventID>" + std::to_string(eid) +
         "</EventID><EventRecordID>7</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>"
         "<Computer>HOST1</Computer><TimeCreated SystemTime=\"2024-01-02T03:04:05.1234567Z\"/></System>"
         "<EventData>" + data + "</EventData></Event>";
}

std::string d(const std::string& name, const std::string& value) {
  return "<Data Name=\"" + name + "\">" + value + "</Data>";
}

TEST(SysmonXml, ProcessCreateFieldsAndGuidNormalisation) {
  std::string xml = "<Events>\n" +
                    event_xml(1, d("UtcTime", "2024-01-02 03:04:05.678") + d("ProcessGuid", "{ABCD-01}") +
                                     d("ProcessId", "42") + d("Image", "C:\\Tools\\a.exe") +
                                     d("CommandLine", "a.exe -x") + d("User", "DOM\\u") +
                                     d("Hashes", "SHA256=AA") + d("IntegrityLevel", "High") +
                                     d("ParentProcessGuid", "{EF-02}") + d("ParentProcessId", "7") +
                                     d("ParentImage", "C:\\Windows\\explorer.exe") +
                                     d("ParentCommandLine", "explorer.exe"),
                              " xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"") +
                    "\n</Events>\n";
  Reader r;
  r.text(xml, Format::xml);
  ASSERT_TRUE(r.ok) << r.messages();
  ASSERT_EQ(r.out.processes.size(), 1u);
  const auto& p = r.out.processes[0];
  EXPECT_EQ(p.entity_id, "abcd-01");
  EXPECT_EQ(p.parent_entity_id, "ef-02");
  EXPECT_EQ(p.pid, 42u);
  EXPECT_EQ(p.parent_pid, 7u);
  EXPECT_EQ(p.host, "HOST1");
  EXPECT_EQ(p.executable, "C:\\Tools\\a.exe");
  EXPECT_EQ(p.command_line, "a.exe -x");
  EXPECT_EQ(p.parent_executable, "C:\\Windows\\explorer.exe");
  EXPECT_EQ(p.parent_command_line, "explorer.exe");
  EXPECT_EQ(p.user, "DOM\\u");
  EXPECT_EQ(p.hashes, "SHA256=AA");
  EXPECT_EQ(p.integrity_level, "High");
  EXPECT_EQ(p.start, *parse_iso8601("2024-01-02T03:04:05.678Z"));
}

TEST(SysmonXml, OneEventPerLineMalformedEventIsCountedAndTheRestRead) {
  std::string good = event_xml(5, d("UtcTime", "2024-01-02 03:04:05.000") + d("ProcessGuid", "{X}"));
  std::string broken = "<Event><System><EventID>3</EventID></Sys></Event>";
  std::string xml = good + "\n" + broken + "\n" + good + "\n";
  Reader r;
  r.text(xml, Format::xml);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.out.ends.size(), 2u);
  EXPECT_EQ(r.counters.get("sysmon.bad_events"), 1u);
  EXPECT_NE(r.messages().find("test-input: line 2"), std::string::npos) << r.messages();

  Reader strict;
  strict.text(xml, Format::xml, /*strict=*/true);
  EXPECT_FALSE(strict.ok);
  EXPECT_EQ(strict.out.ends.size(), 1u);
}

TEST(SysmonXml, NonSysmonEventsAreCountedNotUsed) {
  std::string xml = event_xml(4624, d("UtcTime", "2024-01-02 03:04:05.000"), "", "Microsoft-Windows-Security-Auditing");
  // The channel still says Sysmon in this helper; use a Security channel too.
  size_t at = xml.find("Microsoft-Windows-Sysmon/Operational");
  xml.replace(at, std::string("Microsoft-Windows-Sysmon/Operational").size(), "Security");
  Reader r;
  r.text(xml, Format::xml);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.counters.get("sysmon.non_sysmon_events"), 1u);
  EXPECT_EQ(r.counters.get("sysmon.events"), 0u);
}

TEST(SysmonXml, NetworkDnsAndImageLoad) {
  std::string xml =
      event_xml(3, d("UtcTime", "2024-01-02 03:04:05.000") + d("ProcessGuid", "{P}") + d("ProcessId", "9") +
                       d("Image", "C:\\x.exe") + d("Protocol", "tcp") + d("Initiated", "false") +
                       d("SourceIp", "::ffff:10.1.1.1") + d("SourcePort", "443") + d("DestinationIp", "8.8.8.8") +
                       d("DestinationPort", "50000") + d("DestinationHostname", "-")) +
      "\n" +
      event_xml(22, d("UtcTime", "2024-01-02 03:04:06.000") + d("ProcessGuid", "{P}") +
                        d("QueryName", "Example.COM.") + d("QueryStatus", "0") +
                        d("QueryResults", "type:  5 cdn.example.net;::ffff:1.2.3.4;2001:db8::1;")) +
      "\n" +
      event_xml(22, d("UtcTime", "2024-01-02 03:04:06.000") + d("QueryName", "nx.example") +
                        d("QueryStatus", "9003") + d("QueryResults", "-")) +
      "\n" +
      event_xml(7, d("UtcTime", "2024-01-02 03:04:06.000") + d("ProcessGuid", "{P}") + d("Image", "C:\\x.exe") +
                       d("ImageLoaded", "c:\\X.exe") + d("Signature", "Acme Corp") + d("SignatureStatus", "Valid")) +
      "\n" +
      event_xml(7, d("UtcTime", "2024-01-02 03:04:06.000") + d("ProcessGuid", "{P}") + d("Image", "C:\\x.exe") +
                       d("ImageLoaded", "C:\\Windows\\System32\\ntdll.dll") + d("Signature", "Microsoft")) +
      "\n" + event_xml(11, d("UtcTime", "2024-01-02 03:04:06.000")) + "\n";
  Reader r;
  r.text(xml, Format::xml);
  ASSERT_TRUE(r.ok) << r.messages();
  ASSERT_EQ(r.out.connections.size(), 1u);
  const auto& h = r.out.connections[0];
  EXPECT_FALSE(h.initiated);
  EXPECT_EQ(h.source_ip.to_string(), "10.1.1.1");  // IPv4-mapped kept as IPv4
  EXPECT_EQ(h.destination_port, 50000);
  EXPECT_EQ(h.destination_hostname, "");
  EXPECT_EQ(h.protocol, "tcp");
  EXPECT_EQ(h.record_number, 7u);
  ASSERT_EQ(r.out.dns.size(), 2u);
  EXPECT_EQ(r.out.dns[0].query, "example.com");
  ASSERT_EQ(r.out.dns[0].addresses.size(), 2u);
  EXPECT_EQ(r.out.dns[0].addresses[0].to_string(), "1.2.3.4");
  EXPECT_EQ(r.out.dns[0].addresses[1].to_string(), "2001:db8::1");
  EXPECT_EQ(r.out.dns[0].cnames, std::vector<std::string>{"cdn.example.net"});
  EXPECT_EQ(r.out.dns[0].process_entity_id, "p");
  EXPECT_EQ(r.out.dns[1].rcode, 3);
  EXPECT_TRUE(r.out.dns[1].addresses.empty());
  ASSERT_EQ(r.out.signers.size(), 1u);  // only the main image's own load
  EXPECT_EQ(r.out.signers[0].signer, "Acme Corp");
  EXPECT_EQ(r.out.signers[0].valid, true);
  EXPECT_EQ(r.counters.get("sysmon.eid.11"), 1u);
  EXPECT_EQ(r.counters.get("sysmon.skipped_events"), 1u);
}

TEST(SysmonXml, OversizedAndTruncatedEventsAreReported) {
  std::string huge = event_xml(1, d("UtcTime", "2024-01-02 03:04:05.000") +
                                      d("CommandLine", std::string(kMaxEventBytes + 10, 'a')));
  std::string good = event_xml(5, d("UtcTime", "2024-01-02 03:04:05.000") + d("ProcessGuid", "{X}"));
  Reader r;
  r.text(huge + "\n" + good + "\n<Event><System>", Format::xml);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.out.ends.size(), 1u);
  EXPECT_EQ(r.counters.get("sysmon.oversized_events"), 1u);
  EXPECT_EQ(r.counters.get("sysmon.bad_events"), 2u) << r.messages();
}

TEST(SysmonJson, FlatNxlogStyle) {
  std::string json =
      R"({"EventID":3,"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"H","RecordNumber":12,"UtcTime":"2023-08-10 14:39:12.046","ProcessGuid":"{81056205-D0F7-64D4-1B00-000000000800}","ProcessId":"1048","Image":"C:\\Windows\\System32\\svchost.exe","Protocol":"udp","Initiated":"true","SourceIp":"192.168.1.41","SourcePort":"63829","DestinationIp":"192.168.1.4","DestinationPort":53})"
      "\n\n"
      R"({"EventID":4624,"Channel":"Security","SourceName":"Microsoft-Windows-Security-Auditing"})"
      "\r\n"
      R"({"EventID":3, "broken)"
      "\n";
  Reader r;
  r.text(json, Format::json);
  EXPECT_TRUE(r.ok);
  ASSERT_EQ(r.out.connections.size(), 1u);
  const auto& h = r.out.connections[0];
  EXPECT_EQ(h.process_entity_id, "81056205-d0f7-64d4-1b00-000000000800");
  EXPECT_EQ(h.pid, 1048u);
  EXPECT_EQ(h.host, "H");
  EXPECT_EQ(h.destination_port, 53);  // a number, not a string
  EXPECT_EQ(h.record_number, 12u);
  EXPECT_EQ(h.time, *parse_iso8601("2023-08-10T14:39:12.046Z"));
  EXPECT_EQ(r.counters.get("sysmon.non_sysmon_events"), 1u);
  EXPECT_EQ(r.counters.get("sysmon.bad_events"), 1u);
  EXPECT_NE(r.messages().find("test-input: line 4"), std::string::npos) << r.messages();
}

TEST(SysmonJson, WinlogbeatNestedAndDotted) {
  std::string nested =
      R"({"@timestamp":"2024-05-01T10:00:00.000Z","host":{"name":"ws1"},"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","provider_name":"Microsoft-Windows-Sysmon","event_id":"1","computer_name":"WS1.corp","record_id":99,"event_data":{"UtcTime":"2024-05-01 10:00:00.123","ProcessGuid":"{AA-BB}","ProcessId":"10","Image":"C:\\p.exe","CommandLine":"p.exe","ParentProcessGuid":"{CC}","ParentImage":"C:\\Windows\\explorer.exe"}},"process":{"executable":"C:\\ignored.exe"}})";
  std::string dotted =
      R"({"@timestamp":"2024-05-01T10:00:01.500Z","winlog.channel":"Microsoft-Windows-Sysmon/Operational","winlog.event_id":3,"host.name":"ws1","process.entity_id":"{AA-BB}","process.pid":10,"process.executable":"C:\\p.exe","source.ip":"10.0.0.5","source.port":50123,"destination.ip":"203.0.113.9","destination.port":443,"network.transport":"tcp","network.direction":"egress","user.name":"alice"})";
  Reader r;
  r.text(nested + "\n" + dotted + "\n", Format::json);
  ASSERT_TRUE(r.ok) << r.messages();
  ASSERT_EQ(r.out.processes.size(), 1u);
  EXPECT_EQ(r.out.processes[0].executable, "C:\\p.exe");  // event_data wins over process.*
  EXPECT_EQ(r.out.processes[0].host, "WS1.corp");
  EXPECT_EQ(r.out.processes[0].parent_entity_id, "cc");
  ASSERT_EQ(r.out.connections.size(), 1u);
  const auto& h = r.out.connections[0];
  EXPECT_EQ(h.process_entity_id, "aa-bb");
  EXPECT_EQ(h.host, "ws1");
  EXPECT_EQ(h.destination_ip.to_string(), "203.0.113.9");
  EXPECT_EQ(h.source_port, 50123);
  EXPECT_TRUE(h.initiated);
  EXPECT_EQ(h.user, "alice");
  EXPECT_EQ(h.time, *parse_iso8601("2024-05-01T10:00:01.500Z"));  // no UtcTime: @timestamp
}

TEST(SysmonJson, StrictStopsAtTheFirstBadLine) {
  std::string ok_line =
      R"({"EventID":5,"Channel":"Microsoft-Windows-Sysmon/Operational","UtcTime":"2024-01-01 00:00:00.000","ProcessGuid":"{A}"})";
  Reader r;
  r.text(ok_line + "\nnot json\n" + ok_line + "\n", Format::json, true);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.out.ends.size(), 1u);
}

TEST(SysmonJson, NoTrailingNewlineAndOversizedLine) {
  std::string ok_line =
      R"({"EventID":5,"Channel":"Microsoft-Windows-Sysmon/Operational","UtcTime":"2024-01-01 00:00:00.000","ProcessGuid":"{A}"})";
  // 3 MiB spans one read of the full buffer; 7 MiB spans several, and is still one oversized event.
  for (size_t size : {3 * kMaxEventBytes, 7 * kMaxEventBytes}) {
    std::string big = R"({"EventID":5,"x":")" + std::string(size, 'y') + "\"}";
    Reader r;
    r.text(big + "\n" + ok_line + "\n" + ok_line, Format::json);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.out.ends.size(), 2u) << size;
    EXPECT_EQ(r.counters.get("sysmon.oversized_events"), 1u) << size;
  }
}

// The read buffer starts small and grows: lines longer than its first size, but under the limit,
// are read whole wherever they fall.
TEST(SysmonJson, LongLinesUnderTheLimitAreReadWhole) {
  std::string lines;
  size_t expected = 0;
  for (size_t size : {size_t{10}, size_t{70} << 10, size_t{10}, size_t{300} << 10, size_t{900} << 10, size_t{5}}) {
    lines += R"({"EventID":5,"Channel":"Microsoft-Windows-Sysmon/Operational","UtcTime":"2024-01-01 00:00:00.000","ProcessGuid":"{A}","Image":"C:/)" +
             std::string(size, 'p') + R"(.exe"})" + "\n";
    ++expected;
  }
  Reader r;
  r.text(lines, Format::json);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.out.ends.size(), expected);
  EXPECT_EQ(r.counters.get("sysmon.oversized_events"), 0u);
  EXPECT_EQ(r.counters.get("sysmon.bad_events"), 0u) << r.messages();
}

// --- shared data -----------------------------------------------------------------------------

std::vector<std::string> shared_files(const std::string& ext, const std::string& sub = "sysmon") {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(::c2hunt::testing::shared_data_path(sub)))
    if (entry.path().extension() == ext) out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SysmonSharedData, EveryFileParsesWithoutErrors) {
  C2HUNT_REQUIRE_SHARED_DATA();
  size_t files = 0;
  for (const char* ext : {".evtx", ".json"})
    for (const std::string& path : shared_files(ext)) {
      ASSERT_TRUE(SysmonSource::looks_like_sysmon(path)) << path;
      Reader r;
      r.file(path);
      EXPECT_TRUE(r.ok) << path;
      EXPECT_EQ(r.diagnostics.errors(), 0u) << path << r.messages();
      EXPECT_EQ(r.counters.get("sysmon.bad_events"), 0u) << path;
      EXPECT_GT(r.counters.get("sysmon.events"), 0u) << path;
      ++files;
    }
  for (const std::string& path : shared_files(".xml", "sysmon/xml")) {
    Reader r;
    r.file(path);
    EXPECT_TRUE(r.ok && r.diagnostics.errors() == 0) << path << r.messages();
    EXPECT_GT(r.counters.get("sysmon.events"), 0u) << path;
    ++files;
  }
  EXPECT_GE(files, 9u);
}

// Every Sysmon line of a JSON file is one event: count them independently of the parser.
TEST(SysmonSharedData, JsonEventCountsMatchTheLines) {
  C2HUNT_REQUIRE_SHARED_DATA();
  for (const std::string& path : shared_files(".json")) {
    std::ifstream in(path);
    std::map<std::string, uint64_t> expected;
    uint64_t sysmon_lines = 0;
    uint64_t lines = 0;
    for (std::string line; std::getline(in, line);) {
      lines += !line.empty();
      if (line.find("\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"") == std::string::npos) continue;
      ++sysmon_lines;
      for (const char* id : {"1", "3", "22"})
        if (line.find(std::string("\"EventID\":") + id + ",") != std::string::npos) ++expected[id];
    }
    Reader r;
    r.file(path);
    EXPECT_EQ(r.counters.get("sysmon.events"), sysmon_lines) << path;
    EXPECT_EQ(r.counters.get("sysmon.events") + r.counters.get("sysmon.non_sysmon_events"), lines) << path;
    EXPECT_EQ(r.out.processes.size(), expected["1"]) << path;
    EXPECT_EQ(r.out.connections.size(), expected["3"]) << path;
    EXPECT_EQ(r.out.dns.size(), expected["22"]) << path;
  }
}

TEST(SysmonSharedData, XmlRenderingsGiveTheSameEventsAsTheirEvtx) {
  C2HUNT_REQUIRE_SHARED_DATA();
  size_t compared = 0;
  for (const std::string& xml_path : shared_files(".xml", "sysmon/xml")) {
    std::string stem = std::filesystem::path(xml_path).stem().string();
    std::string evtx_path = ::c2hunt::testing::shared_data_path("sysmon/" + stem + ".evtx");
    Reader from_xml, from_evtx;
    from_xml.file(xml_path);
    from_evtx.file(evtx_path);
    EXPECT_EQ(from_xml.counters.get("sysmon.events"), from_evtx.counters.get("sysmon.events")) << stem;
    EXPECT_GT(from_xml.out.processes.size() + from_xml.out.connections.size(), 0u);
    EXPECT_EQ(canonical(from_xml.out), canonical(from_evtx.out)) << stem;
    ++compared;
  }
  EXPECT_GE(compared, 2u);
}

// The real Windows logs read chunk by chunk (as files over the whole-file limit are) give the same
// events, counters and messages as reading them whole, recovered records included.
TEST(SysmonSharedData, EvtxReadChunkByChunkEqualsTheWholeFile) {
  C2HUNT_REQUIRE_SHARED_DATA();
  size_t compared = 0;
  for (const std::string& path : shared_files(".evtx")) {
    Reader whole, by_chunk;
    whole.file(path);
    by_chunk.evtx_whole_file_limit = 0;
    by_chunk.file(path);
    EXPECT_EQ(by_chunk.ok, whole.ok) << path;
    for (const char* counter : {"sysmon.events", "sysmon.evtx.records", "sysmon.evtx.recovered_records",
                                "sysmon.evtx.corrupt_records", "sysmon.evtx.missing_records"})
      EXPECT_EQ(by_chunk.counters.get(counter), whole.counters.get(counter)) << path << " " << counter;
    EXPECT_EQ(by_chunk.counters.get("sysmon.evtx.damaged_chunks"), 0u) << path << by_chunk.messages();
    EXPECT_EQ(canonical(by_chunk.out), canonical(whole.out)) << path;
    ++compared;
  }
  EXPECT_GE(compared, 5u);
}

TEST(SysmonEvtx, CorruptRecordsAreCountedAndTheRestRead) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string original = ::c2hunt::testing::shared_data_path("sysmon/evtx__DE_sysmon-3-rdp-tun.evtx");
  std::ifstream in(original, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Reader clean;
  clean.file(original);
  const uint64_t all = clean.counters.get("sysmon.evtx.records");
  ASSERT_GT(all, 10u);
  // Overwrite the middle of the first chunk's record area (records start after the 4096-byte file
  // header and the 512-byte chunk header).
  for (size_t i = 4096 + 512 + 20000; i < 4096 + 512 + 20400 && i < bytes.size(); ++i) bytes[i] = '\x5a';
  std::string damaged = (std::filesystem::temp_directory_path() / "c2hunt_damaged_test.evtx").string();
  std::ofstream(damaged, std::ios::binary) << bytes;
  Reader r;
  r.file(damaged);
  EXPECT_LT(r.out.connections.size() + r.out.processes.size(),
            clean.out.connections.size() + clean.out.processes.size());
  EXPECT_GT(r.out.connections.size(), 0u);  // the rest was read
  // Records libevtx neither lists nor recovers are reported as missing record numbers.
  const uint64_t delivered = r.counters.get("sysmon.evtx.records") + r.counters.get("sysmon.evtx.recovered_records");
  ASSERT_LT(delivered, all);
  EXPECT_EQ(r.counters.get("sysmon.evtx.missing_records"), all - delivered);
  EXPECT_GE(r.counters.get("sysmon.bad_events"), 1u);
  EXPECT_NE(r.messages().find("record number"), std::string::npos) << r.messages();
  // In-memory reading (the fuzzer's path) gives the same as the file.
  Reader mem;
  SysmonSource source(mem.out, mem.counters, mem.diagnostics);
  source.read_evtx_memory(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "mem");
  EXPECT_EQ(mem.out.connections.size(), r.out.connections.size());
  std::filesystem::remove(damaged);
}

// libevtx leaks memory on every record it cannot read, so a file with too many such records is cut
// short: with a limit of 0 the first one stops the file, with an error and counters.
TEST(SysmonEvtx, PastTheCorruptRecordLimitTheRestOfTheFileIsSkippedAndCounted) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string original = ::c2hunt::testing::shared_data_path("sysmon/evtx__DE_sysmon-3-rdp-tun.evtx");
  std::ifstream in(original, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Spoil the start of the binary XML of the first five records (their headers stay valid, so
  // libevtx lists them and then fails to read them).
  size_t at = 4096 + 512;
  for (int n = 0; n < 5; ++n) {
    at = bytes.find(std::string("\x2a\x2a\x00\x00", 4), at);
    ASSERT_NE(at, std::string::npos);
    for (size_t k = 24; k < 32; ++k) bytes[at + k] = '\xff';
    at += 8;
  }
  std::string damaged = (std::filesystem::temp_directory_path() / "c2hunt_corrupt_limit_test.evtx").string();
  std::ofstream(damaged, std::ios::binary) << bytes;
  Reader unlimited;
  unlimited.file(damaged);
  ASSERT_EQ(unlimited.counters.get("sysmon.evtx.corrupt_records"), 5u) << unlimited.messages();
  EXPECT_EQ(unlimited.counters.get("sysmon.evtx.files_cut_at_corrupt_limit"), 0u);
  for (uint64_t whole_file_limit : {uint64_t{64} << 20, uint64_t{0}}) {  // whole, then chunk by chunk
    Reader cut;
    cut.evtx_corrupt_record_limit = 0;
    cut.evtx_whole_file_limit = whole_file_limit;
    cut.file(damaged);
    EXPECT_FALSE(cut.ok);
    EXPECT_EQ(cut.counters.get("sysmon.evtx.files_cut_at_corrupt_limit"), 1u);
    EXPECT_LT(cut.counters.get("sysmon.events"), unlimited.counters.get("sysmon.events"));
    EXPECT_NE(cut.messages().find("the rest of the file is skipped"), std::string::npos) << cut.messages();
  }
  std::filesystem::remove(damaged);
}

TEST(SysmonEvtx, NotAnEvtxFileIsAnErrorNotACrash) {
  std::string path = (std::filesystem::temp_directory_path() / "c2hunt_not_evtx_test.evtx").string();
  std::ofstream(path, std::ios::binary) << std::string("ElfFile\0garbage", 15) << std::string(100, '\0');
  Reader r;
  r.file(path);
  EXPECT_FALSE(r.ok);
  EXPECT_GE(r.diagnostics.errors(), 1u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace c2hunt::sysmon

namespace c2hunt::sysmon {
namespace {

// Fuzzer regression: an EVTX header shorter than 4096 bytes overran a libbfio memory range.
TEST(SysmonEvtx, TruncatedHeaderFromMemoryIsAnError) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::ifstream in(::c2hunt::testing::shared_data_path("sysmon/evtx__DE_sysmon-3-rdp-tun.evtx"), std::ios::binary);
  std::string bytes(3323, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  testing::Reader r;
  SysmonSource source(r.out, r.counters, r.diagnostics);
  EXPECT_FALSE(source.read_evtx_memory(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "short"));
  EXPECT_GE(r.diagnostics.errors(), 1u);
  EXPECT_TRUE(r.out.connections.empty());
}

}  // namespace
}  // namespace c2hunt::sysmon
