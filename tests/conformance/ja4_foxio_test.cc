// JA4, JA4_r, JA4_o, JA4_ro, JA4S and JA4X from the shared captures, compared with FoxIO's
// reference (python) output in ../shared/data/expected/<pcap>.ja4-python.json, stream by stream.
// Known, explained differences from the reference are listed in kKnownDifferences.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>

#include "capture_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

struct Counts {
  size_t compared = 0, mismatches = 0, known = 0;
};

// The reference decrypted TLS 1.3 with the key log embedded in the pcapng (a Decryption Secrets
// Block) and so saw certificates that are encrypted on the wire; c2hunt does not use key logs.
bool known_difference(const std::string& field, const std::string& got, bool certificates_encrypted) {
  return field.rfind("JA4X", 0) == 0 && got.empty() && certificates_encrypted;
}

void compare(Counts& n, const std::string& where, const std::string& field, const std::string& want,
             const std::string& got, bool certificates_encrypted = false) {
  ++n.compared;
  if (want == got) return;
  if (known_difference(field, got, certificates_encrypted)) {
    ++n.known;
    std::printf("  known difference: %s %s: FoxIO=%s from the embedded TLS key log; encrypted on the wire\n",
                where.c_str(), field.c_str(), want.c_str());
    return;
  }
  ++n.mismatches;
  ADD_FAILURE() << where << " " << field << ": FoxIO=" << want << " c2hunt=" << (got.empty() ? "(none)" : got);
}

TEST(ConformanceJa4, SharedCapturesMatchFoxioReference) {
  C2HUNT_REQUIRE_SHARED_DATA();
  namespace fs = std::filesystem;
  Counts n;
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(shared_data_path("expected"))) {
    std::string fname = entry.path().filename().string();
    const std::string suffix = ".ja4-python.json";
    if (fname.size() <= suffix.size() || fname.compare(fname.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    std::string pcap_name = fname.substr(0, fname.size() - suffix.size());
    ++files;
    CaptureResult got = run_capture(shared_data_path("pcap/" + pcap_name));
    std::map<std::string, const records::Connection*> by_key;
    for (const auto& c : got.connections)
      if (c.tls && c.transport == records::Transport::tcp)
        by_key[c.orig.ip.to_string() + "|" + std::to_string(c.orig.port) + "|" + c.resp.ip.to_string() + "|" +
               std::to_string(c.resp.port)] = &c;

    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.load(entry.path().string());
    for (simdjson::dom::object row : doc.get_array()) {
      auto text = [&](const char* k) -> std::string {
        std::string_view v;
        return row[k].get_string().get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
      };
      if (text("JA4.1").empty() && text("JA4S").empty()) continue;  // HTTP-only or TCP-only streams
      std::string key = text("src") + "|" + text("srcport") + "|" + text("dst") + "|" + text("dstport");
      std::string where = pcap_name + " " + key;
      auto it = by_key.find(key);
      if (it == by_key.end()) {
        ++n.compared;
        ++n.mismatches;
        ADD_FAILURE() << where << ": FoxIO has a TLS stream c2hunt did not report";
        continue;
      }
      const records::TlsSession& tls = *it->second->tls;
      for (size_t i = 0; i < 4; ++i) {
        std::string suffix_n = "." + std::to_string(i + 1);
        std::string want = text(("JA4" + suffix_n).c_str());
        if (want.empty()) continue;
        const records::TlsClientHello* h = i < tls.client_hellos.size() ? &tls.client_hellos[i] : nullptr;
        compare(n, where, "JA4" + suffix_n, want, h ? h->ja4 : "");
        compare(n, where, "JA4_r" + suffix_n, text(("JA4_r" + suffix_n).c_str()), h ? h->ja4_r : "");
        compare(n, where, "JA4_o" + suffix_n, text(("JA4_o" + suffix_n).c_str()), h ? h->ja4_o : "");
        compare(n, where, "JA4_ro" + suffix_n, text(("JA4_ro" + suffix_n).c_str()), h ? h->ja4_ro : "");
      }
#ifdef C2HUNT_JA4PLUS
      if (!text("JA4S").empty())
        compare(n, where, "JA4S", text("JA4S"), tls.server_hello() ? tls.server_hello()->ja4s : "");
      for (size_t i = 0; i < 8; ++i) {
        std::string want = text(("JA4X." + std::to_string(i + 1)).c_str());
        if (want.empty()) continue;
        compare(n, where, "JA4X." + std::to_string(i + 1), want,
                i < tls.certificates.size() ? tls.certificates[i]->ja4x : "", tls.certificates_encrypted);
      }
#endif
    }
  }
  std::printf("JA4 conformance (FoxIO python reference): %zu files, %zu values compared, %zu mismatches, %zu known differences\n",
              files, n.compared, n.mismatches, n.known);
  EXPECT_GT(n.compared, 200u);
  EXPECT_EQ(n.mismatches, 0u);
}

}  // namespace
}  // namespace c2hunt::testing
