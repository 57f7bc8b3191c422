// Certificate facts from the pcap path against Zeek's x509.log for the same captures: the btest
// baseline for zeek__tls1.2.pcap and the Zeek 6 log of the Metasploit run; and the Glupteba
// certificate against the Suricata-verify expectations.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "capture_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

std::map<std::string, const records::Certificate*> certificates_by_sha256(const CaptureResult& r) {
  std::map<std::string, const records::Certificate*> out;
  for (const auto& c : r.connections)
    if (c.tls)
      for (const auto& cert : c.tls->certificates) out[cert->sha256] = cert.facts.get();
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string epoch_text(const std::optional<TimeMicros>& t, int64_t shift_seconds = 0) {
  if (!t) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.000000", static_cast<long long>(*t / kMicrosPerSecond + shift_seconds));
  return buf;
}

struct Tally {
  size_t rows = 0, values = 0, mismatches = 0;
};

// `zone_shift_allowed`: the log was written by a sensor whose clock ran in a local time zone, so its
// validity times differ from the certificate's UTC by one constant whole number of hours (the same
// shift for every row; Suricata on the same pcap agrees with c2hunt's UTC values).
void compare_with_zeek_x509(const std::string& x509_log, const std::string& pcap, Tally& t,
                            bool zone_shift_allowed = false) {
  std::optional<int64_t> shift;
  CaptureResult got = run_capture(pcap);
  auto certs = certificates_by_sha256(got);
  std::ifstream in(x509_log);
  ASSERT_TRUE(in) << x509_log;
  std::string line;
  std::vector<std::string> fields;
  while (std::getline(in, line)) {
    if (line.rfind("#fields\t", 0) == 0) {
      fields = split_tabs(line);
      fields.erase(fields.begin());
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    auto cols = split_tabs(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < fields.size() && i < cols.size(); ++i) row[fields[i]] = cols[i];
    ++t.rows;
    auto it = certs.find(row["fingerprint"]);
    if (it == certs.end()) {
      ++t.mismatches;
      ADD_FAILURE() << pcap << ": Zeek logged certificate " << row["fingerprint"] << ", c2hunt did not";
      continue;
    }
    const records::Certificate& c = *it->second;
    auto check = [&](const char* field, const std::string& want, const std::string& have) {
      ++t.values;
      if (want != have) {
        ++t.mismatches;
        ADD_FAILURE() << row["fingerprint"] << " " << field << ": Zeek=" << want << " c2hunt=" << have;
      }
    };
    check("certificate.version", row["certificate.version"], std::to_string(c.version));
    check("certificate.serial", row["certificate.serial"], c.serial_hex);
    check("certificate.subject", row["certificate.subject"], c.subject);
    check("certificate.issuer", row["certificate.issuer"], c.issuer);
    if (zone_shift_allowed && !shift && c.not_before) {
      shift = std::stoll(row["certificate.not_valid_before"]) - *c.not_before / kMicrosPerSecond;
      EXPECT_EQ(*shift % 3600, 0) << "not a time-zone shift";
      std::printf("  %s: validity times are shifted by %lld h (sensor time zone)\n", x509_log.c_str(),
                  static_cast<long long>(*shift / 3600));
    }
    check("certificate.not_valid_before", row["certificate.not_valid_before"], epoch_text(c.not_before, shift.value_or(0)));
    check("certificate.not_valid_after", row["certificate.not_valid_after"], epoch_text(c.not_after, shift.value_or(0)));
    check("certificate.sig_alg", row["certificate.sig_alg"], c.signature_algorithm);
    check("certificate.key_type", row["certificate.key_type"], c.key_type);
    check("certificate.key_length", row["certificate.key_length"], std::to_string(c.key_bits));
    check("san.dns", row["san.dns"], c.san_dns.empty() ? "-" : join(c.san_dns));
    check("basic_constraints.ca", row["basic_constraints.ca"], !c.is_ca ? "-" : (*c.is_ca ? "T" : "F"));
  }
}

TEST(ConformanceX509, ZeekBaselines) {
  C2HUNT_REQUIRE_SHARED_DATA();
  Tally t;
  compare_with_zeek_x509(shared_data_path("expected/zeek__tls1.2.zeek-x509.log"), shared_data_path("pcap/zeek__tls1.2.pcap"), t);
  compare_with_zeek_x509(shared_data_path("zeek/otrf-msf-lsass01/x509.log"),
                         shared_data_path("pcap/otrf__msf-lsass01-metasploit_logonpasswords.pcapng"), t, true);
  std::printf("x509 conformance (Zeek x509.log): %zu certificates, %zu values compared, %zu mismatches\n", t.rows,
              t.values, t.mismatches);
  EXPECT_GE(t.rows, 4u);
  EXPECT_EQ(t.mismatches, 0u);
}

TEST(ConformanceX509, GluptebaMatchesSuricataVerify) {
  C2HUNT_REQUIRE_SHARED_DATA();
  CaptureResult got = run_capture(shared_data_path("pcap/sv__tls-glupteba.pcap"));
  const records::Connection* conn = nullptr;
  for (const auto& c : got.connections)
    if (c.tls && c.resp.port == 443 && c.orig.port == 23481) conn = &c;
  ASSERT_NE(conn, nullptr);
  ASSERT_FALSE(conn->tls->certificates.empty());
  const records::Certificate& leaf = *conn->tls->certificates[0];
  EXPECT_EQ(leaf.sha1, "e9a06950ba18dcacd3a7fe58224a1f425bbc96b0");
  EXPECT_EQ(leaf.issuer, "CN=R3,O=Let's Encrypt,C=US");
  EXPECT_EQ(leaf.subject, "CN=xn--j1ahhq.xn--p1ai");
  EXPECT_EQ(leaf.serial_hex, "03DE23897E97FB868E7CC55309FEAED0AE20");
  EXPECT_EQ(format_iso8601(*leaf.not_before), "2022-12-01T06:47:31.000000Z");
  EXPECT_EQ(format_iso8601(*leaf.not_after), "2023-03-01T06:47:30.000000Z");
  EXPECT_EQ(leaf.san_dns.size(), 17u);
  EXPECT_EQ(conn->tls->negotiated_version(), 0x0301);
  ASSERT_FALSE(conn->tls->client_hellos.empty());
  EXPECT_TRUE(conn->tls->client_hellos[0].sslv2_record);
}

}  // namespace
}  // namespace c2hunt::testing
