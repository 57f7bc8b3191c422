#include <gtest/gtest.h>

#include <simdjson.h>

#include <cmath>

#include "c2hunt/channels/channel_table.h"
#include "c2hunt/config/scan_config.h"
#include "c2hunt/scoring/score.h"
#include "c2hunt/sinks/alert_json.h"
#include "signals/record_builder.h"

namespace c2hunt::testing {
namespace {

const std::string kHostile = std::string("q\"uote\\ nul:") + std::string(1, '\0') + " bad:\xff\xfe esc:\x1b[31mred";

struct Fixture {
  Counters counters;
  channels::ChannelTable table{{}, counters};
  config::ScanConfig cfg = config::default_config();

  scoring::ScoredChannel alert(const records::Connection& c, signals::ChannelFindings f) {
    table.add(c);
    return scoring::score_channel(table.channels().front(), std::move(f), cfg);
  }
};

std::string render(const scoring::ScoredChannel& a) {
  sinks::JsonWriter w;
  sinks::write_alert(w, a, config::rule_info());
  return w.take_line();
}

TEST(AlertJson, EcsFieldsParseBack) {
  Fixture fx;
  auto b = ConnectionBuilder("10.0.0.5", "203.0.113.7", 8443).tls("").certificate(make_certificate("CN=x", "x", true));
  b.at(kT0, 5 * kMicrosPerSecond);
  signals::ChannelFindings f;
  f.fire("cert.self_signed", 1.0, "self-signed");
  f.fire("tls.no_sni", 1.0, "no SNI");
  f.skip("beacon.periodic", "1 successful connections (need 6)");
  auto a = fx.alert(b.build(), f);
  std::string line = render(a);

  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(line);
  EXPECT_EQ(std::string_view(doc["event.kind"]), "alert");
  EXPECT_EQ(std::string_view(doc["@timestamp"]), std::string_view(doc["event.end"]));
  EXPECT_EQ(std::string_view(doc["rule.id"]), "df00tech-t1573");
  EXPECT_EQ(std::string_view(doc["threat.tactic.id"]), "TA0011");
  EXPECT_EQ(std::string_view(doc["threat.technique.id"]), "T1573");
  EXPECT_EQ(std::string_view(doc["threat.technique.subtechnique.id"]), "T1573.002");
  EXPECT_EQ(std::string_view(doc["threat.framework"]), "MITRE ATT&CK");
  EXPECT_EQ(std::string_view(doc["source.ip"]), "10.0.0.5");
  EXPECT_EQ(std::string_view(doc["destination.ip"]), "203.0.113.7");
  EXPECT_EQ(int64_t(doc["destination.port"]), 8443);
  EXPECT_EQ(int64_t(doc["event.severity"]), std::lround(a.score));
  EXPECT_EQ(std::string_view(doc["log.level"]), config::level_name(a.level));
  EXPECT_EQ(std::string_view(doc["tls.server.x509"]["subject.distinguished_name"]), "CN=x");
  simdjson::dom::array ev = doc["c2hunt.evidence"];
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(std::string_view(ev.at(0)["signal"]), "cert.self_signed");
  EXPECT_DOUBLE_EQ(double(ev.at(0)["weight"]), fx.cfg.weight("cert.self_signed"));
  simdjson::dom::array ne = doc["c2hunt.not_evaluated"];
  ASSERT_EQ(ne.size(), 1u);
  EXPECT_EQ(std::string_view(ne.at(0)["signal"]), "beacon.periodic");
  EXPECT_EQ(uint64_t(doc["c2hunt.connection_count"]), 1u);
  EXPECT_TRUE(doc["c2hunt.common_destination.hosts"].error()) << "only on downgraded common destinations";
}

TEST(AlertJson, CommonDestinationSaysHowManyHostsReachIt) {
  Fixture fx;
  signals::ChannelFindings f;
  f.fire("beacon.periodic", 1.0, "periodic");
  f.destination_reach = signals::DestinationReach{700, 1000};
  auto a = fx.alert(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("news.example").build(), f);
  ASSERT_TRUE(a.common_destination);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(render(a));
  EXPECT_EQ(uint64_t(doc["c2hunt.common_destination.hosts_reaching"]), 700u);
  EXPECT_EQ(uint64_t(doc["c2hunt.common_destination.hosts"]), 1000u);
  EXPECT_EQ(int64_t(doc["event.severity"]), std::lround(a.raw_score * fx.cfg.downgrade_factor));
}

TEST(AlertJson, HostileStringsSurvive) {
  Fixture fx;
  auto b = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls(kHostile);
  b.process("C:\\Temp\\" + kHostile);
  signals::ChannelFindings f;
  f.fire("cert.name_mismatch", 1.0, kHostile);
  auto a = fx.alert(b.build(), f);
  std::string line = render(a);
  EXPECT_EQ(line.find('\n'), std::string::npos) << "no raw newline inside an alert line";
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(line);
  std::string_view detail = doc["c2hunt.evidence"].at(0)["detail"];
  // Valid bytes (quote, backslash, NUL, ESC) come back unchanged; invalid UTF-8 becomes \xNN text.
  std::string expected = std::string("q\"uote\\ nul:") + std::string(1, '\0') + " bad:\\xff\\xfe esc:\x1b[31mred";
  EXPECT_EQ(std::string(detail), expected);
  EXPECT_EQ(std::string(std::string_view(doc["destination.domain"])), expected);
  EXPECT_EQ(std::string(std::string_view(doc["process.executable"])), "C:\\Temp\\" + expected);
}

}  // namespace
}  // namespace c2hunt::testing
