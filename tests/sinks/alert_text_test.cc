#include <gtest/gtest.h>

#include <cstdio>

#include "c2hunt/channels/channel_table.h"
#include "c2hunt/config/scan_config.h"
#include "c2hunt/scoring/score.h"
#include "c2hunt/sinks/alert_text.h"
#include "signals/record_builder.h"

namespace c2hunt::testing {
namespace {

std::string table_text(const std::vector<const scoring::ScoredChannel*>& rows) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  sinks::write_alert_table(f, rows);
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

TEST(AlertText, TableWithTopEvidenceAndEscapes) {
  Counters counters;
  channels::ChannelTable t({}, counters);
  t.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 8443).tls("evil\x1b[2J.example").build());
  auto cfg = config::default_config();
  signals::ChannelFindings f;
  f.fire("cert.self_signed", 1.0, "subject 'CN=\x1b]0;pwned\x07'");
  f.fire("tls.nonstandard_port", 1.0, "TLS on port 8443");
  auto a = scoring::score_channel(t.channels().front(), f, cfg);
  std::string text = table_text({&a});
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_NE(text.find("SCORE"), std::string::npos);
  EXPECT_NE(text.find("why: cert.self_signed"), std::string::npos) << text;
  EXPECT_NE(text.find("10.0.0.5"), std::string::npos);
  EXPECT_NE(text.find(config::level_name(a.level)), std::string::npos);
  EXPECT_EQ(text.find("common destination"), std::string::npos) << text;

  signals::ChannelFindings timing;
  timing.fire("beacon.periodic", 1.0, "periodic");
  timing.destination_reach = signals::DestinationReach{900, 1000};
  auto common = scoring::score_channel(t.channels().front(), timing, cfg);
  EXPECT_NE(table_text({&common}).find("common destination: reached by 900 of 1000 hosts (downgraded)"),
            std::string::npos);
}

}  // namespace
}  // namespace c2hunt::testing
