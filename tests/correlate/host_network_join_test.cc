#include "c2hunt/correlate/host_network_join.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "c2hunt/sources/sysmon/sysmon_source.h"
#include "test_support.h"

namespace c2hunt::correlate {
namespace {

constexpr TimeMicros kSec = kMicrosPerSecond;

records::HostConnection host_event(uint16_t sport, TimeMicros t, const std::string& guid,
                                   const std::string& file = "host.json", bool initiated = true) {
  records::HostConnection h;
  h.time = t;
  h.host = "ws";
  h.process_entity_id = guid;
  h.executable = "C:\\p\\" + guid + ".exe";
  h.protocol = "tcp";
  h.initiated = initiated;
  h.source_ip = *IpAddress::parse("10.0.0.5");
  h.destination_ip = *IpAddress::parse("198.51.100.7");
  h.source_port = sport;
  h.destination_port = 443;
  h.source_file = file;
  if (!initiated) {
    std::swap(h.source_ip, h.destination_ip);
    std::swap(h.source_port, h.destination_port);
  }
  return h;
}

records::Connection net(uint16_t sport, TimeMicros t, const std::string& file = "cap.pcap") {
  records::Connection c;
  c.source = "pcap";
  c.input_file = file;
  c.transport = records::Transport::tcp;
  c.orig = {*IpAddress::parse("10.0.0.5"), sport};
  c.resp = {*IpAddress::parse("198.51.100.7"), 443};
  c.first_seen = c.last_seen = t;
  return c;
}

records::Connection attached(HostNetworkJoin& join, records::Connection c) {
  join.attach(c);
  return c;
}

TEST(HostNetworkJoin, EstimatesTheOffsetFromUniqueTuplesAndRejectsOutliers) {
  Counters counters;
  HostNetworkJoin join(counters);
  const TimeMicros offset = (5 * 24 + 14) * 3600 * kSec + 123 * kSec;
  for (uint16_t i = 0; i < 10; ++i) join.on_host_connection(host_event(50000 + i, 1000 * kSec + i * 60 * kSec, "g"));
  // A port reused hours later by another connection in the capture: same tuple, far-off time.
  join.on_host_connection(host_event(50020, 5000 * kSec, "late"));
  for (uint16_t i = 0; i < 10; ++i) {
    auto c = attached(join, net(50000 + i, 1000 * kSec + i * 60 * kSec + offset + (i % 2) * kSec / 2));
    ASSERT_TRUE(c.process) << i;
    EXPECT_EQ(c.process->entity_id, "g");
  }
  auto stray = attached(join, net(50020, 5000 * kSec + offset + 3600 * kSec));
  EXPECT_FALSE(stray.process);
  EXPECT_EQ(counters.get("join.rejected_outlier"), 1u);
  JoinSummary s = join.summary();
  ASSERT_EQ(s.offsets.size(), 1u);
  EXPECT_NEAR(static_cast<double>(s.offsets[0].offset), static_cast<double>(offset), kSec);
  EXPECT_EQ(s.offsets[0].samples, 10u);
  EXPECT_EQ(s.offsets[0].host_source, "host.json");
  EXPECT_EQ(s.offsets[0].network_source, "cap.pcap");
  EXPECT_EQ(s.joined, 10u);
  EXPECT_EQ(s.network_unjoined, 1u);
  EXPECT_EQ(s.host_unjoined, 1u);
  auto left = join.unmatched_host_connections();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].process->entity_id, "late");
}

TEST(HostNetworkJoin, AmbiguousTuplesGoToTheClosestCorrectedTime) {
  Counters counters;
  HostNetworkJoin join(counters);
  const TimeMicros offset = -7200 * kSec;
  for (uint16_t i = 0; i < 5; ++i) join.on_host_connection(host_event(40000 + i, i * 10 * kSec, "learn"));
  // Port 41000 used twice on the host, 30 s apart.
  join.on_host_connection(host_event(41000, 100 * kSec, "first"));
  join.on_host_connection(host_event(41000, 130 * kSec, "second"));
  for (uint16_t i = 0; i < 5; ++i) attached(join, net(40000 + i, i * 10 * kSec + offset));
  auto b = attached(join, net(41000, 131 * kSec + offset));
  auto a = attached(join, net(41000, 99 * kSec + offset));
  ASSERT_TRUE(a.process && b.process);
  EXPECT_EQ(a.process->entity_id, "first");
  EXPECT_EQ(b.process->entity_id, "second");
  auto none = attached(join, net(41000, 115 * kSec + offset));  // both taken / outside tolerance
  EXPECT_FALSE(none.process);
  EXPECT_EQ(counters.get("join.ambiguous_tuples"), 2u);
}

TEST(HostNetworkJoin, InboundEventsJoinWithTheRemoteAsOriginator) {
  Counters counters;
  HostNetworkJoin join(counters);
  // The host (198.51.100.7 here) accepted a connection from 10.0.0.5:50000.
  join.on_host_connection(host_event(50000, 10 * kSec, "server", "host.json", /*initiated=*/false));
  auto c = attached(join, net(50000, 11 * kSec));
  ASSERT_TRUE(c.process);
  EXPECT_EQ(c.process->entity_id, "server");
  auto only = HostNetworkJoin(counters).to_connection(host_event(1, 1, "x", "f", false));
  EXPECT_EQ(only.orig.ip.to_string(), "10.0.0.5");
  EXPECT_EQ(only.resp.port, 443);
}

TEST(HostNetworkJoin, HostOnlyConnectionsCarryProcessAndLineage) {
  Counters counters;
  HostNetworkJoin join(counters);
  records::Process parent;
  parent.entity_id = "par";
  parent.executable = "C:\\Windows\\System32\\wscript.exe";
  join.on_process(std::move(parent));
  records::Process child;
  child.entity_id = "g";
  child.parent_entity_id = "par";
  child.executable = "C:\\Users\\u\\AppData\\Local\\Temp\\x.exe";
  child.command_line = "x.exe";
  join.on_process(std::move(child));
  join.on_host_connection(host_event(50000, 10 * kSec, "g"));
  auto out = join.unmatched_host_connections();
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0];
  EXPECT_EQ(c.source, "sysmon");
  EXPECT_EQ(c.transport, records::Transport::tcp);
  EXPECT_EQ(c.first_seen, 10 * kSec);
  EXPECT_EQ(c.last_seen, 10 * kSec);
  EXPECT_EQ(c.process->command_line, "x.exe");
  ASSERT_EQ(c.lineage.size(), 1u);
  EXPECT_EQ(c.lineage[0].executable, "C:\\Windows\\System32\\wscript.exe");
  EXPECT_FALSE(c.community_id.empty());
  EXPECT_GE(c.id, HostNetworkJoinOptions{}.first_connection_id);
}

// --- shared data -----------------------------------------------------------------------------

struct HostSide {
  Counters counters;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> sink{std::tmpfile(), std::fclose};
  Diagnostics diagnostics{sink.get()};
  HostNetworkJoin join{counters};
  explicit HostSide(const std::vector<std::string>& files) {
    sysmon::SysmonSource source(join, counters, diagnostics);
    for (const auto& f : files) EXPECT_TRUE(source.read_file(f)) << f;
  }
};

const records::Connection* find_to(const std::vector<records::Connection>& v, const std::string& ip, uint16_t port,
                                   const std::string& image_suffix) {
  for (const auto& c : v) {
    if (c.resp.ip.to_string() != ip || c.resp.port != port || !c.process) continue;
    const std::string& exe = c.process->executable;
    if (exe.size() >= image_suffix.size() &&
        strcasecmp(exe.c_str() + exe.size() - image_suffix.size(), image_suffix.c_str()) == 0)
      return &c;
  }
  return nullptr;
}

TEST(HostNetworkJoinSharedData, EvtxSamplesGiveConnectionsWithProcessAndLineage) {
  C2HUNT_REQUIRE_SHARED_DATA();
  auto path = [](const char* f) { return ::c2hunt::testing::shared_data_path(std::string("sysmon/") + f); };
  HostSide side({path("evtx__LM_sysmon_psexec_smb_meterpreter.evtx"),
                 path("evtx__sysmon_mshta_sharpshooter_stageless_meterpreter.evtx"),
                 path("evtx__sysmon_vbs_sharpshooter_stageless_meterpreter.evtx"),
                 path("evtx__exec_persist_rundll32_mshta_scheduledtask_sysmon_1_3_11.evtx"),
                 path("evtx__DE_sysmon-3-rdp-tun.evtx")});
  auto conns = side.join.unmatched_host_connections();
  struct Expect {
    const char* ip;
    uint16_t port;
    const char* image;
  };
  for (const Expect& e : {Expect{"10.0.2.19", 4444, "\\powershell.exe"}, Expect{"10.0.2.18", 4443, "\\mshta.exe"},
                          Expect{"10.0.2.18", 4443, "\\wscript.exe"}, Expect{"108.179.232.58", 443, "\\mshta.exe"}}) {
    const records::Connection* c = find_to(conns, e.ip, e.port, e.image);
    ASSERT_TRUE(c) << e.ip << ":" << e.port << " " << e.image;
    EXPECT_EQ(c->source, "sysmon");
    EXPECT_FALSE(c->process->entity_id.empty());
    EXPECT_FALSE(c->lineage.empty()) << e.image;
    EXPECT_FALSE(c->lineage[0].executable.empty()) << e.image;
  }
  // plink runs from a user's Desktop folder.
  bool plink = false;
  for (const auto& c : conns)
    if (c.process && c.process->executable.find("\\Desktop\\") != std::string::npos &&
        c.process->executable.find("plink") != std::string::npos)
      plink = true;
  EXPECT_TRUE(plink);
}

TEST(HostNetworkJoinSharedData, MetasploitPayloadThenMigratedSvchost) {
  C2HUNT_REQUIRE_SHARED_DATA();
  HostSide side({::c2hunt::testing::shared_data_path("sysmon/otrf__msf-lsass01_sysmon-1-3-22.json")});
  auto conns = side.join.unmatched_host_connections();
  const records::Connection* payload = find_to(conns, "10.0.5.13", 8080, ".exe");
  ASSERT_TRUE(payload);
  EXPECT_NE(payload->process->executable.find("\\Downloads\\"), std::string::npos) << payload->process->executable;
  ASSERT_FALSE(payload->lineage.empty());
  TimeMicros payload_first = payload->first_seen;
  const records::Connection* svchost = nullptr;
  for (const auto& c : conns)
    if (c.resp.ip.to_string() == "10.0.5.13" && c.resp.port == 8080 && c.first_seen > payload_first &&
        c.process->executable.size() >= 11 &&
        strcasecmp(c.process->executable.c_str() + c.process->executable.size() - 11, "svchost.exe") == 0)
      svchost = &c;
  ASSERT_TRUE(svchost);
  EXPECT_NE(svchost->process->entity_id, payload->process->entity_id);
}

// Network side built from tshark at test time: each TCP SYN and each new UDP flow is one connection.
std::vector<records::Connection> tshark_connections(const std::string& pcap) {
  std::vector<records::Connection> out;
  std::string cmd = "tshark -n -r '" + pcap +
                    "' -Y '(tcp.flags.syn==1 && tcp.flags.ack==0) || udp' -T fields -e frame.time_epoch -e ip.src "
                    "-e ip.dst -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport 2>/dev/null";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return out;
  std::set<std::string> seen;
  char line[512];
  while (std::fgets(line, sizeof line, p.get())) {
    std::istringstream in(line);
    std::string t, src, dst, tsp, tdp, usp, udp;
    std::getline(in, t, '\t');
    std::getline(in, src, '\t');
    std::getline(in, dst, '\t');
    std::getline(in, tsp, '\t');
    std::getline(in, tdp, '\t');
    std::getline(in, usp, '\t');
    std::getline(in, udp, '\n');
    auto sip = IpAddress::parse(src), dip = IpAddress::parse(dst);
    if (!sip || !dip) continue;
    bool tcp = !tsp.empty();
    std::string key = (tcp ? "t" : "u") + src + ":" + (tcp ? tsp : usp) + ">" + dst + ":" + (tcp ? tdp : udp);
    std::string reverse = (tcp ? "t" : "u") + dst + ":" + (tcp ? tdp : udp) + ">" + src + ":" + (tcp ? tsp : usp);
    if (seen.count(key) || seen.count(reverse)) continue;
    seen.insert(key);
    records::Connection c;
    c.source = "pcap";
    c.input_file = pcap;
    c.transport = tcp ? records::Transport::tcp : records::Transport::udp;
    c.orig = {*sip, static_cast<uint16_t>(std::stoi(tcp ? tsp : usp))};
    c.resp = {*dip, static_cast<uint16_t>(std::stoi(tcp ? tdp : udp))};
    c.first_seen = c.last_seen = *parse_epoch_seconds(t.substr(0, t.find('.') + 7));
    out.push_back(std::move(c));
  }
  return out;
}

TEST(HostNetworkJoinSharedData, JoinsTheMetasploitCaptureDespiteAFiveDayClockOffset) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string pcap = ::c2hunt::testing::shared_data_path("pcap/otrf__msf-lsass01-metasploit_logonpasswords.pcapng");
  auto network = tshark_connections(pcap);
  if (network.empty()) GTEST_SKIP() << "tshark not available";
  HostSide side({::c2hunt::testing::shared_data_path("sysmon/otrf__msf-lsass01_sysmon-1-3-22.json")});
  std::vector<records::Connection> joined;
  for (auto& c : network) joined.push_back(attached(side.join, std::move(c)));
  JoinSummary s = side.join.summary();
  ASSERT_EQ(s.offsets.size(), 1u);
  const double days = static_cast<double>(s.offsets[0].offset) / (86400.0 * kSec);
  // About 5 days 14 hours: the capture's clock is ahead of the host's.
  EXPECT_GT(days, 5.0 + 13.0 / 24);
  EXPECT_LT(days, 5.0 + 15.0 / 24);
  std::printf("join: offset %s (%.6f days) from %zu samples, %zu outliers; joined %llu of %llu network, "
              "%llu host events unjoined\n",
              s.offsets[0].offset >= 0 ? "+" : "-", days, s.offsets[0].samples, s.offsets[0].outliers,
              static_cast<unsigned long long>(s.joined), static_cast<unsigned long long>(s.network_connections),
              static_cast<unsigned long long>(s.host_unjoined));
  EXPECT_GE(s.offsets[0].samples, 10u);
  EXPECT_GT(s.joined, 20u);
  // Every Meterpreter connection to 10.0.5.13:8080 is attributed, the later one to svchost.exe.
  size_t c2 = 0, payload = 0, svchost = 0;
  for (const auto& c : joined) {
    if (c.resp.ip.to_string() != "10.0.5.13" || c.resp.port != 8080) continue;
    ++c2;
    ASSERT_TRUE(c.process) << c.orig.port;
    if (c.process->executable.find("\\Downloads\\") != std::string::npos) {
      ++payload;
      EXPECT_FALSE(c.lineage.empty());
    }
    if (c.process->executable.find("svchost.exe") != std::string::npos) ++svchost;
  }
  EXPECT_GE(c2, 2u);
  EXPECT_GE(payload, 1u);
  EXPECT_GE(svchost, 1u);
  EXPECT_EQ(payload + svchost, c2);
  EXPECT_EQ(side.counters.get("join.joined"), s.joined);
}

}  // namespace
}  // namespace c2hunt::correlate
