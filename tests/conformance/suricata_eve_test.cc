// The pcap path against Suricata 7.0.10's eve.json for the same captures (../shared/data/suricata):
// for every tls and quic event, the same connection with the same SNI, JA3, JA3S, JA4 and leaf
// certificate serial and SHA-1.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "c2hunt/util/digest.h"
#include "capture_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

// Suricata writes serials and fingerprints as colon-separated hex; c2hunt as plain hex, the serial
// byte by byte as Zeek does.
std::string plain_hex(std::string_view s, bool upper) {
  std::string out;
  for (char c : s)
    if (c != ':') out += static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
  // A leading 00 byte is DER's sign octet, which Zeek and c2hunt leave out.
  while (upper && out.size() > 2 && out.compare(0, 2, "00") == 0) out.erase(0, 2);
  return out;
}

// Suricata 7.0.10 appends a trailing '_' to JA4's extension part when the hello has no signature
// algorithms; the JA4 spec says not to (FoxIO-LLC/ja4 issue #146). Recognise exactly that case.
bool is_trailing_underscore_variant(const records::TlsClientHello& h, const std::string& suricata) {
  if (!h.signature_algorithms.empty()) return false;
  size_t last = h.ja4_r.rfind('_');
  if (last == std::string::npos) return false;
  std::string ext_part = h.ja4_r.substr(last + 1) + "_";
  return suricata == h.ja4.substr(0, h.ja4.rfind('_') + 1) + sha256_hex(as_bytes(ext_part)).substr(0, 12);
}

TEST(ConformanceSuricata, PcapPathMatchesEveJson) {
  C2HUNT_REQUIRE_SHARED_DATA();
  namespace fs = std::filesystem;
  size_t events = 0, compared = 0, mismatches = 0, files = 0, known = 0;
  for (const auto& entry : fs::directory_iterator(shared_data_path("suricata"))) {
    std::string fname = entry.path().filename().string();
    if (fname.size() < 9 || fname.substr(fname.size() - 9) != ".eve.json") continue;
    std::string pcap_name = fname.substr(0, fname.size() - 9);
    ++files;
    CaptureResult got = run_capture(shared_data_path("pcap/" + pcap_name));
    std::map<std::string, const records::Connection*> by_key;
    for (const auto& c : got.connections)
      by_key[std::string(records::transport_name(c.transport)) + "|" + c.orig.ip.to_string() + "|" +
             std::to_string(c.orig.port) + "|" + c.resp.ip.to_string() + "|" + std::to_string(c.resp.port)] = &c;

    simdjson::dom::parser parser;
    simdjson::dom::document_stream stream;
    ASSERT_EQ(parser.load_many(entry.path().string()).get(stream), simdjson::SUCCESS);
    for (auto doc : stream) {
      simdjson::dom::object ev;
      if (doc.get_object().get(ev) != simdjson::SUCCESS) continue;
      std::string_view type;
      if (ev["event_type"].get_string().get(type) != simdjson::SUCCESS) continue;
      if (type != "tls" && type != "quic") continue;
      ++events;
      auto str = [&](simdjson::simdjson_result<simdjson::dom::element> e) -> std::string {
        std::string_view v;
        return e.get_string().get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
      };
      int64_t sp = 0, dp = 0;
      if (ev["src_port"].get_int64().get(sp) != simdjson::SUCCESS || ev["dest_port"].get_int64().get(dp) != simdjson::SUCCESS)
        continue;
      std::string proto = type == "quic" ? "udp" : "tcp";
      std::string src = str(ev["src_ip"]), dst = str(ev["dest_ip"]);
      std::string key = proto + "|" + src + "|" + std::to_string(sp) + "|" + dst + "|" + std::to_string(dp);
      bool server_side = false;
      auto it = by_key.find(key);
      if (it == by_key.end()) {  // quic server events are logged in the server's direction
        it = by_key.find(proto + "|" + dst + "|" + std::to_string(dp) + "|" + src + "|" + std::to_string(sp));
        server_side = true;
      }
      std::string where = pcap_name + " " + key;
      if (it == by_key.end() || !it->second->tls) {
        ++compared;
        ++mismatches;
        ADD_FAILURE() << where << ": Suricata logged " << type << ", c2hunt has no TLS connection";
        continue;
      }
      const records::TlsSession& tls = *it->second->tls;
      auto check = [&](const char* field, const std::string& want, const std::string& have) {
        if (want.empty()) return;
        ++compared;
        if (want != have) {
          ++mismatches;
          ADD_FAILURE() << where << " " << field << ": Suricata=" << want << " c2hunt=" << (have.empty() ? "(none)" : have);
        }
      };
      simdjson::simdjson_result<simdjson::dom::element> body = ev[type];
      const records::TlsClientHello* ch = tls.client_hello();
      const records::TlsServerHello* sh = tls.server_hello();
      if (!server_side || type == "tls") {
        check("sni", str(body["sni"]), ch && ch->has_sni_extension ? ch->server_name : "");
        check("ja3", str(body["ja3"]["hash"]), ch && !ch->sslv2_record ? ch->ja3 : "");
        std::string want_ja4 = str(body["ja4"]);
        if (ch && !want_ja4.empty() && want_ja4 != ch->ja4 && is_trailing_underscore_variant(*ch, want_ja4)) {
          ++known;
          std::printf("  known difference: %s ja4: Suricata=%s appends '_' without signature algorithms; c2hunt=%s (spec)\n",
                      where.c_str(), want_ja4.c_str(), ch->ja4.c_str());
        } else {
          check("ja4", want_ja4, ch ? ch->ja4 : "");
        }
      }
      check("ja3s", str(body["ja3s"]["hash"]), sh ? sh->ja3s : "");
      if (type == "tls" && !tls.certificates.empty()) {
        check("serial", plain_hex(str(body["serial"]), true), tls.certificates[0]->serial_hex);
        check("fingerprint", plain_hex(str(body["fingerprint"]), false), tls.certificates[0]->sha1);
      }
    }
  }
  std::printf("Suricata conformance: %zu files, %zu tls/quic events, %zu values compared, %zu mismatches, "
              "%zu known differences\n", files, events, compared, mismatches, known);
  EXPECT_GT(compared, 1000u);
  EXPECT_EQ(mismatches, 0u);
}

}  // namespace
}  // namespace c2hunt::testing
