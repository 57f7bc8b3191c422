// Conformance of describe_certificate with other tools on the shared captures: tshark extracts the
// DER of every Certificate message at test time (before c2hunt's own pcap pipeline exists), and
// the facts are compared with Zeek's x509.log, Suricata's eve.json and suricata-verify checks, and
// FoxIO's JA4X outputs. Rows are matched by certificate hash, never by position or address.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "c2hunt/x509/certificate_facts.h"
#include "test_certificates.h"
#include "test_support.h"

namespace c2hunt::x509 {
namespace {

namespace fs = std::filesystem;
using testing::shared_data_path;

struct CertificateFrame {
  std::string frame_number;
  std::vector<records::Certificate> chain;
  std::vector<std::vector<uint8_t>> ders;
};

std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

bool have_tshark() { return std::system("tshark -v >/dev/null 2>&1") == 0; }

// Every TLS Certificate message in the capture, decoded by describe_certificate.
// TCP 8080 is named as TLS because tshark's heuristics miss the Meterpreter handler there.
std::vector<CertificateFrame> run_tshark_certificates(const std::string& pcap) {
  std::string cmd = "tshark -n -r '" + pcap +
                    "' -d tcp.port==8080,tls -Y tls.handshake.certificate -T fields -e frame.number "
                    "-e tls.handshake.certificate 2>/dev/null";
  std::vector<CertificateFrame> frames;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return frames;
  std::string line;
  char buf[65536];
  while (fgets(buf, sizeof buf, pipe) != nullptr) {
    line += buf;
    if (line.empty() || line.back() != '\n') continue;
    line.pop_back();
    auto cols = split(line, '\t');
    line.clear();
    if (cols.size() < 2 || cols[1].empty()) continue;
    CertificateFrame frame{cols[0], {}, {}};
    auto ders = split(cols[1], ',');
    for (size_t i = 0; i < ders.size(); ++i) {
      std::vector<uint8_t> der = from_hex(ders[i]);
      frame.chain.push_back(describe_certificate(ByteView(der)));
      frame.ders.push_back(std::move(der));
    }
    frames.push_back(std::move(frame));
  }
  pclose(pipe);
  return frames;
}

// Memoised per capture: several tests read the same files and tshark is the slow part.
const std::vector<CertificateFrame>& certificate_frames(const std::string& pcap) {
  static std::map<std::string, std::vector<CertificateFrame>> cache;
  auto [it, inserted] = cache.try_emplace(pcap);
  if (inserted) it->second = run_tshark_certificates(pcap);
  return it->second;
}

std::map<std::string, records::Certificate> by_sha256(const std::vector<CertificateFrame>& frames) {
  std::map<std::string, records::Certificate> out;
  for (const auto& f : frames)
    for (const auto& c : f.chain) out.emplace(c.sha256, c);
  return out;
}

std::string zeek_vector(const std::vector<std::string>& v) {
  if (v.empty()) return "-";
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string zeek_bool(const std::optional<bool>& b) { return !b ? "-" : (*b ? "T" : "F"); }

#define REQUIRE_TSHARK()                                                     \
  do {                                                                       \
    C2HUNT_REQUIRE_SHARED_DATA();                                            \
    if (!have_tshark()) {                                                    \
      if (::c2hunt::testing::running_in_ci()) FAIL() << "tshark is missing"; \
      GTEST_SKIP() << "tshark not installed";                                \
    }                                                                        \
  } while (0)

// Zeek TSV x509.log rows, as field name -> value.
std::vector<std::map<std::string, std::string>> read_zeek_tsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> fields;
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("#fields\t")) {
      fields = split(line.substr(8), '\t');
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    auto cols = split(line, '\t');
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < fields.size() && i < cols.size(); ++i) row[fields[i]] = cols[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(CertificateGolden, MatchesZeekX509Log) {
  REQUIRE_TSHARK();
  // Zeek converts ASN.1 times through the sensor's local time zone (GetTimeFromAsn1 and mktime),
  // so a log from a field sensor not set to UTC is shifted by that zone's offset. The btest
  // baseline runs in UTC and must match exactly; a field log may carry one zone offset, the same
  // for both dates of every certificate (which the check below enforces).
  struct Source {
    const char* pcap;
    const char* log;
    bool sensor_local_time;
  };
  const Source sources[] = {
      {"pcap/zeek__tls1.2.pcap", "expected/zeek__tls1.2.zeek-x509.log", false},
      {"pcap/otrf__msf-lsass01-metasploit_logonpasswords.pcapng", "zeek/otrf-msf-lsass01/x509.log", true},
  };
  size_t compared = 0;
  for (const auto& [pcap, log, sensor_local_time] : sources) {
    auto certs = by_sha256(certificate_frames(shared_data_path(pcap)));
    auto rows = read_zeek_tsv(shared_data_path(log));
    ASSERT_FALSE(rows.empty()) << log;
    size_t matched = 0;
    for (const auto& row : rows) {
      auto it = certs.find(row.at("fingerprint"));
      if (it == certs.end()) continue;
      ++matched;
      const records::Certificate& c = it->second;
      SCOPED_TRACE(std::string(log) + " " + row.at("fingerprint"));
      EXPECT_FALSE(c.parse_error);
      EXPECT_EQ(std::to_string(c.version), row.at("certificate.version"));
      EXPECT_EQ(c.serial_hex, row.at("certificate.serial"));
      EXPECT_EQ(c.subject, row.at("certificate.subject"));
      EXPECT_EQ(c.issuer, row.at("certificate.issuer"));
      auto zeek_before = parse_epoch_seconds(row.at("certificate.not_valid_before"));
      auto zeek_after = parse_epoch_seconds(row.at("certificate.not_valid_after"));
      ASSERT_TRUE(c.not_before && c.not_after && zeek_before && zeek_after);
      TimeMicros zone_offset = *zeek_before - *c.not_before;
      if (!sensor_local_time) {
        EXPECT_EQ(zone_offset, 0);
      }
      EXPECT_EQ(zone_offset % (15 * 60 * kMicrosPerSecond), 0);
      EXPECT_LE(std::abs(zone_offset), 14 * 3600 * kMicrosPerSecond);
      EXPECT_EQ(*zeek_after - *c.not_after, zone_offset);
      EXPECT_EQ(c.signature_algorithm, row.at("certificate.sig_alg"));
      EXPECT_EQ(c.key_type, row.at("certificate.key_type"));
      EXPECT_EQ(std::to_string(c.key_bits), row.at("certificate.key_length"));
      EXPECT_EQ(zeek_vector(c.san_dns), row.at("san.dns"));
      EXPECT_EQ(zeek_vector(c.san_ip), row.at("san.ip"));
      EXPECT_EQ(zeek_bool(c.is_ca), row.at("basic_constraints.ca"));
    }
    // Every distinct certificate the log names must be in the capture.
    std::set<std::string> distinct;
    for (const auto& row : rows) distinct.insert(row.at("fingerprint"));
    size_t found = std::count_if(distinct.begin(), distinct.end(), [&](const auto& fp) { return certs.count(fp); });
    EXPECT_EQ(found, distinct.size()) << log;
    compared += matched;
  }
  std::printf("[ x509 ] compared %zu Zeek x509.log rows\n", compared);
  EXPECT_GE(compared, 4u);
}

// Suricata prints names most significant RDN first, ", "-separated, with its own attribute names.
std::string suricata_dn(const std::string& rfc4514) {
  std::vector<std::string> rdns;
  std::string cur;
  for (size_t i = 0; i < rfc4514.size(); ++i) {
    char ch = rfc4514[i];
    if (ch == '\\' && i + 1 < rfc4514.size()) {
      cur += rfc4514[++i];
    } else if (ch == ',') {
      rdns.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) rdns.push_back(cur);
  static const std::pair<const char*, const char*> kNames[] = {{"emailAddress=", "Email="}, {"street=", "streetAddress="}};
  std::string out;
  for (auto it = rdns.rbegin(); it != rdns.rend(); ++it) {
    std::string rdn = *it;
    for (const auto& [ours, theirs] : kNames)
      if (rdn.starts_with(ours)) rdn = theirs + rdn.substr(std::string_view(ours).size());
    out += (out.empty() ? "" : ", ") + rdn;
  }
  return out;
}

// "00:99:FA" -> "99FA": Suricata prints the DER content octets, sign byte included.
std::string suricata_serial(const std::string& s) {
  std::string hex;
  for (char ch : s)
    if (ch != ':') hex += ch;
  if (hex.size() > 2 && hex.starts_with("00")) hex = hex.substr(2);
  return hex;
}

std::string colon_sha1(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) out += (i ? ":" : "") + hex.substr(i, 2);
  return out;
}

std::string suricata_time(const std::optional<TimeMicros>& t) {
  if (!t) return "-";
  std::string iso = format_iso8601(*t);  // "YYYY-MM-DDTHH:MM:SS[.ffffff]Z"
  return iso.substr(0, 19);
}

TEST(CertificateGolden, MatchesSuricataEve) {
  REQUIRE_TSHARK();
  size_t compared = 0;
  for (const auto& entry : fs::directory_iterator(shared_data_path("suricata"))) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".eve.json")) continue;
    std::string pcap = shared_data_path("pcap/" + name.substr(0, name.size() - 9));
    if (!fs::exists(pcap)) continue;
    std::map<std::string, records::Certificate> by_sha1;
    for (const auto& f : certificate_frames(pcap))
      for (const auto& c : f.chain) by_sha1.emplace(colon_sha1(c.sha1), c);
    std::ifstream in(entry.path());
    std::string line;
    simdjson::dom::parser parser;
    while (std::getline(in, line)) {
      simdjson::dom::element tls;
      if (parser.parse(line)["tls"].get(tls) != simdjson::SUCCESS) continue;
      auto text = [&](const char* key) {
        std::string_view v;
        return tls[key].get_string().get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
      };
      std::string fingerprint = text("fingerprint");
      if (fingerprint.empty()) continue;
      auto it = by_sha1.find(fingerprint);
      ASSERT_NE(it, by_sha1.end()) << name << " " << fingerprint;
      const records::Certificate& c = it->second;
      SCOPED_TRACE(name + " " + fingerprint);
      EXPECT_EQ(suricata_dn(c.subject), text("subject"));
      EXPECT_EQ(suricata_dn(c.issuer), text("issuerdn"));
      EXPECT_EQ(c.serial_hex, suricata_serial(text("serial")));
      EXPECT_EQ(suricata_time(c.not_before), text("notbefore"));
      EXPECT_EQ(suricata_time(c.not_after), text("notafter"));
      ++compared;
    }
  }
  std::printf("[ x509 ] compared %zu Suricata eve.json certificates\n", compared);
  EXPECT_GE(compared, 10u);
}

TEST(CertificateGolden, MatchesGluptebaSuricataVerify) {
  REQUIRE_TSHARK();
  YAML::Node test = YAML::LoadFile(shared_data_path("expected/sv__tls-glupteba.suricata-test.yaml"));
  YAML::Node match = test["checks"][0]["filter"]["match"];
  std::map<std::string, records::Certificate> by_sha1;
  for (const auto& f : certificate_frames(shared_data_path("pcap/sv__tls-glupteba.pcap")))
    for (const auto& c : f.chain) by_sha1.emplace(colon_sha1(c.sha1), c);
  auto it = by_sha1.find(match["tls.fingerprint"].as<std::string>());
  ASSERT_NE(it, by_sha1.end());
  const records::Certificate& c = it->second;
  EXPECT_EQ(suricata_dn(c.subject), match["tls.subject"].as<std::string>());
  EXPECT_EQ(suricata_dn(c.issuer), match["tls.issuerdn"].as<std::string>());
  EXPECT_EQ(c.serial_hex, suricata_serial(match["tls.serial"].as<std::string>()));
  EXPECT_EQ(suricata_time(c.not_before), match["tls.notbefore"].as<std::string>());
  EXPECT_EQ(suricata_time(c.not_after), match["tls.notafter"].as<std::string>());
  std::vector<std::string> expected_sans;
  for (size_t i = 0; match["tls.subjectaltname[" + std::to_string(i) + "]"]; ++i)
    expected_sans.push_back(match["tls.subjectaltname[" + std::to_string(i) + "]"].as<std::string>());
  EXPECT_EQ(c.san_dns, expected_sans);
  EXPECT_EQ(c.subject_cn, "xn--j1ahhq.xn--p1ai");
  EXPECT_EQ(c.self_signed, false);
  std::printf("[ x509 ] compared 1 suricata-verify certificate with %zu SANs\n", expected_sans.size());
}


// Real chains check the self-signed rule from both sides: a certificate that the next one in its
// chain signed (with a different key) is not self-signed, and the captures hold self-signed
// certificates whose issuer differs from their subject (the case an issuer == subject rule misses).
TEST(CertificateGolden, SelfSignedAgreesWithChains) {
  REQUIRE_TSHARK();
  size_t signed_by_next = 0, self_signed = 0, self_signed_other_issuer = 0, total = 0;
  for (const auto& entry : fs::directory_iterator(shared_data_path("pcap"))) {
    for (const auto& f : certificate_frames(entry.path().string())) {
      for (size_t i = 0; i < f.chain.size(); ++i) {
        const records::Certificate& c = f.chain[i];
        ++total;
        EXPECT_FALSE(c.parse_error) << entry.path() << " frame " << f.frame_number;
        if (c.self_signed == true) {
          ++self_signed;
          if (c.issuer != c.subject) ++self_signed_other_issuer;
        }
        if (i + 1 == f.chain.size()) continue;
        const unsigned char* p = f.ders[i].data();
        testing::CertPtr cert(d2i_X509(nullptr, &p, static_cast<long>(f.ders[i].size())));
        p = f.ders[i + 1].data();
        testing::CertPtr next(d2i_X509(nullptr, &p, static_cast<long>(f.ders[i + 1].size())));
        ASSERT_TRUE(cert && next);
        EVP_PKEY* next_key = X509_get0_pubkey(next.get());
        if (next_key && X509_verify(cert.get(), next_key) == 1 &&
            EVP_PKEY_eq(next_key, X509_get0_pubkey(cert.get())) != 1) {
          ++signed_by_next;
          EXPECT_EQ(c.self_signed, false) << entry.path() << " frame " << f.frame_number << " #" << i;
        }
      }
    }
  }
  std::printf("[ x509 ] %zu certificates: %zu signed by the next in chain, %zu self-signed (%zu with issuer != subject)\n",
              total, signed_by_next, self_signed, self_signed_other_issuer);
  EXPECT_GT(signed_by_next, 0u);
  EXPECT_GT(self_signed_other_issuer, 0u);
}

#ifdef C2HUNT_JA4PLUS
TEST(CertificateGolden, MatchesFoxIoJa4x) {
  REQUIRE_TSHARK();
  size_t compared = 0;
  for (const auto& entry : fs::directory_iterator(shared_data_path("expected"))) {
    std::string name = entry.path().filename().string();
    const std::string suffix = ".ja4-wireshark-plugin.json";
    if (!name.starts_with("ja4__") || !name.ends_with(suffix)) continue;
    std::string pcap = shared_data_path("pcap/" + name.substr(0, name.size() - suffix.size()));
    std::map<std::string, std::vector<records::Certificate>> chains;
    for (const auto& f : certificate_frames(pcap)) chains[f.frame_number] = f.chain;
    simdjson::dom::parser parser;
    simdjson::dom::array packets;
    ASSERT_EQ(parser.load(entry.path().string()).get_array().get(packets), simdjson::SUCCESS) << name;
    for (simdjson::dom::element packet : packets) {
      simdjson::dom::element layers;
      simdjson::dom::array expected;
      if (packet["_source"]["layers"].get(layers) != simdjson::SUCCESS ||
          layers["ja4.ja4x"].get_array().get(expected) != simdjson::SUCCESS)
        continue;
      std::string frame(std::string_view(layers["frame.number"].at(0)));
      ASSERT_TRUE(chains.count(frame)) << name << " frame " << frame;
      const auto& chain = chains[frame];
      ASSERT_EQ(chain.size(), expected.size()) << name << " frame " << frame;
      size_t i = 0;
      for (simdjson::dom::element value : expected) {
        EXPECT_EQ(chain[i].ja4x, std::string(std::string_view(value))) << name << " frame " << frame << " cert " << i;
        ++i;
        ++compared;
      }
    }
  }
  std::printf("[ x509 ] compared %zu JA4X values with the FoxIO Wireshark plugin\n", compared);
  EXPECT_GE(compared, 20u);
}

TEST(CertificateGolden, MatchesFoxIoPythonJa4x) {
  REQUIRE_TSHARK();
  simdjson::dom::parser parser;
  simdjson::dom::array streams;
  ASSERT_EQ(parser.load(shared_data_path("expected/ja4__browsers-x509.pcapng.ja4-python.json")).get_array().get(streams),
            simdjson::SUCCESS);
  std::multiset<std::string> expected, ours;
  for (simdjson::dom::object stream : streams)
    for (auto field : stream)
      if (field.key.starts_with("JA4X.")) expected.insert(std::string(std::string_view(field.value)));
  for (const auto& f : certificate_frames(shared_data_path("pcap/ja4__browsers-x509.pcapng")))
    for (const auto& c : f.chain) ours.insert(c.ja4x);
  EXPECT_EQ(ours, expected);
  std::printf("[ x509 ] compared %zu JA4X values with the FoxIO Python reference\n", expected.size());
}
#endif

}  // namespace
}  // namespace c2hunt::x509
