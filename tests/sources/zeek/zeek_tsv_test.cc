// Hand-built Zeek logs: TSV header directives, escapes, unset/empty and set fields, several
// headers in one file, bad lines and bad headers, JSON dialects, truncated gzip.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "c2hunt/sources/zeek/zeek_source.h"
#include "sources/zeek/recording_consumer.h"

namespace c2hunt::zeek {
namespace {

using testing::RecordingConsumer;

const char* kConnHeader =
    "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\t"
    "conn_state\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tstring\tcount\tcount\t"
    "count\tcount\n";

// One conn row (uid C1, 10.0.0.1:1 -> 10.0.0.2:443) for ssl.log and x509.log rows to join to.
const std::string kOneTlsConn = std::string(kConnHeader) +
                                "1700000000.000000\tC1\t10.0.0.1\t1\t10.0.0.2\t443\ttcp\tssl\t1.0\t1\t1\tSF\tSh\t1\t1\t1\t1\n";

struct TextRun {
  RecordingConsumer out;
  Counters counters;
  Diagnostics diagnostics{stderr};
  TextRun() { diagnostics.set_quiet(true); }
  void read(std::initializer_list<std::pair<const char*, std::string>> files) {
    ZeekSource source(out, counters, diagnostics);
    for (const auto& [name, text] : files) source.read_text(name, text);
    source.finish();
  }
};

TEST(ZeekTsv, ConnFieldsUnsetAndEmptyValues) {
  TextRun run;
  run.read({{"conn.log", std::string(kConnHeader) +
                             "1700000000.250000\tCabc\t10.0.0.1\t5000\t192.0.2.7\t443\ttcp\tssl\t2.5\t100\t2000\tSF\tShADadFf\t5\t400\t4\t2200\n"
                             "1700000001.000000\tCdef\tfe80::1\t53\tff02::fb\t5353\tudp\t-\t-\t-\t-\tS0\t(empty)\t1\t80\t0\t0\n"
                             "#close\t2024-01-01-00-00-00\n"}});
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  ASSERT_EQ(run.out.connections.size(), 2u);
  const auto& a = run.out.connections[0];
  EXPECT_EQ(a.uid, "Cabc");
  EXPECT_EQ(a.source, "zeek");
  EXPECT_EQ(a.input_file, "conn.log");
  EXPECT_EQ(a.first_seen, 1700000000250000);
  EXPECT_EQ(a.last_seen, 1700000002750000);
  EXPECT_EQ(a.orig.port, 5000);
  EXPECT_EQ(a.resp.ip.to_string(), "192.0.2.7");
  EXPECT_EQ(a.orig_stats.payload_bytes, 100u);
  EXPECT_EQ(a.resp_stats.payload_bytes, 2000u);
  EXPECT_EQ(a.orig_stats.ip_bytes, 400u);
  EXPECT_EQ(a.resp_stats.packets, 4u);
  EXPECT_EQ(a.conn_state, "SF");
  EXPECT_EQ(a.history, "ShADadFf");
  EXPECT_EQ(a.app_protocol, records::AppProtocol::tls);
  EXPECT_EQ(a.transport, records::Transport::tcp);
  const auto& b = run.out.connections[1];
  EXPECT_TRUE(b.orig.ip.is_v6());
  EXPECT_EQ(b.last_seen, b.first_seen);  // unset duration
  EXPECT_EQ(b.orig_stats.payload_bytes, 0u);
  EXPECT_EQ(b.history, "");  // (empty)
  EXPECT_EQ(b.app_protocol, records::AppProtocol::unknown);
}

TEST(ZeekTsv, CustomSeparatorsEscapesAndSetFields) {
  // '|' as separator and ';' as set separator; \x7c is an escaped '|' inside a value.
  std::string ssl =
      "#separator \\x7c\n#set_separator|;\n#empty_field|EMPTY\n#unset_field|UNSET\n#path|ssl\n"
      "#fields|ts|uid|id.orig_h|id.orig_p|id.resp_h|id.resp_p|version|cipher|server_name|established|cert_chain_fuids|ja3|ja4\n"
      "#types|time|string|addr|port|addr|port|string|string|string|bool|vector[string]|string|string\n"
      "1700000000.0|C1|10.0.0.1|1|10.0.0.2|443|TLSv13|TLS_AES_128_GCM_SHA256|a\\x7cb.example|T|F1;F2|abc|t13d\n";
  std::string x509 =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tx509\n"
      "#fields\tts\tid\tcertificate.version\tcertificate.serial\tcertificate.subject\tcertificate.issuer\t"
      "certificate.not_valid_before\tcertificate.not_valid_after\tsan.dns\tbasic_constraints.ca\n"
      "#types\ttime\tstring\tcount\tstring\tstring\tstring\ttime\ttime\tvector[string]\tbool\n"
      "1700000000.0\tF1\t3\t0A\tCN=leaf\\x2c Inc,O=X\tCN=ca\t1600000000.0\t1700864000.0\ta.example,b.example\t-\n"
      "1700000000.0\tF2\t3\t0B\tCN=ca\tCN=ca\t1600000000.0\t1900000000.0\t(empty)\tT\n";
  TextRun run;
  run.read({{"ssl.log", ssl}, {"x509.log", x509}, {"conn.log", kOneTlsConn}});
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  ASSERT_EQ(run.out.connections.size(), 1u);
  const auto& tls = run.out.connections[0].tls;
  ASSERT_TRUE(tls);
  ASSERT_EQ(tls->client_hellos.size(), 1u);
  EXPECT_EQ(tls->client_hellos[0].server_name, "a|b.example");
  EXPECT_TRUE(tls->client_hellos[0].has_sni_extension);
  EXPECT_EQ(tls->client_hellos[0].ja3, "abc");
  EXPECT_EQ(tls->client_hellos[0].ja4, "t13d");
  EXPECT_EQ(tls->negotiated_version(), 0x0304);
  EXPECT_EQ(tls->server_hellos[0].legacy_version, 0x0303);
  EXPECT_EQ(tls->server_hellos[0].cipher_suite, 0x1301);
  EXPECT_TRUE(tls->established);
  ASSERT_EQ(tls->certificates.size(), 2u);
  EXPECT_EQ(tls->certificates[0]->subject, "CN=leaf, Inc,O=X");
  EXPECT_EQ(tls->certificates[0]->san_dns, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_FALSE(tls->certificates[0]->is_ca.has_value());
  EXPECT_EQ(tls->certificates[1].chain_index, 1u);
  EXPECT_EQ(tls->certificates[1]->is_ca, std::optional<bool>(true));
  EXPECT_TRUE(tls->certificates[1]->san_dns.empty());
  ASSERT_TRUE(tls->certificates[0]->validity_days);
  EXPECT_NEAR(*tls->certificates[0]->validity_days, 1167.4, 0.1);
  EXPECT_TRUE(tls->client_certificates.empty());
}

// Mutual TLS: ssl.log's client_cert_chain_fps (Zeek 6+) names the client's chain in x509.log, which
// becomes the connection's client chain, as the pcap path reads it from the client's Certificate.
TEST(ZeekTsv, ClientCertificateChainJoinsByFingerprint) {
  std::string ssl =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tssl\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcert_chain_fps\tclient_cert_chain_fps\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tvector[string]\tvector[string]\n"
      "1700000000.0\tC1\t10.0.0.1\t1\t10.0.0.2\t443\tTLSv12\tAA\tBB\n";
  std::string x509 =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tx509\n"
      "#fields\tts\tfingerprint\tcertificate.subject\tcertificate.issuer\thost_cert\n"
      "#types\ttime\tstring\tstring\tstring\tbool\n"
      "1700000000.0\tAA\tCN=server\tCN=server\tT\n"
      "1700000000.0\tBB\tCN=implant\tCN=implant\tF\n";
  TextRun run;
  run.read({{"ssl.log", ssl}, {"x509.log", x509}, {"conn.log", kOneTlsConn}});
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  ASSERT_EQ(run.out.connections.size(), 1u);
  const auto& tls = run.out.connections[0].tls;
  ASSERT_TRUE(tls);
  ASSERT_EQ(tls->certificates.size(), 1u);
  EXPECT_EQ(tls->certificates[0]->subject, "CN=server");
  ASSERT_EQ(tls->client_certificates.size(), 1u);
  EXPECT_EQ(tls->client_certificates[0]->subject, "CN=implant");
}

TEST(ZeekTsv, SeveralHeadersInOneFile) {
  std::string text = std::string(kConnHeader) +
                     "1700000000.0\tC1\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tS\t1\t60\t0\t0\n"
                     "#close\t2024\n"
                     "#separator \\x09\n#path\tconn\n#fields\tuid\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n"
                     "C2\t1700000005.0\t10.0.0.3\t2\t10.0.0.4\t81\tudp\n";
  TextRun run;
  run.read({{"conn.log", text}});
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  ASSERT_EQ(run.out.connections.size(), 2u);
  EXPECT_EQ(run.out.connections[1].uid, "C2");
  EXPECT_EQ(run.out.connections[1].resp.port, 81);
  EXPECT_EQ(run.out.connections[1].transport, records::Transport::udp);
}

TEST(ZeekTsv, MalformedLinesAreCountedAndTheRestKept) {
  std::string text = std::string(kConnHeader) +
                     "1700000000.0\tC1\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tS\t1\t60\t0\t0\n"
                     "1700000000.0\tC2\t10.0.0.1\t1\t10.0.0.2\n"                                           // too few columns
                     "1700000000.0\tC3\tnot-an-ip\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tS\t1\t60\t0\t0\n"  // bad address
                     "1700000000.0\tC4\t10.0.0.1\t99999\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tS\t1\t60\t0\t0\n"  // bad port
                     "1700000000.0\tC5\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tS\t1\t60\t0\t0\n";
  TextRun run;
  run.read({{"conn.log", text}});
  EXPECT_EQ(run.counters.get("zeek.lines_malformed"), 3u);
  EXPECT_EQ(run.diagnostics.errors(), 3u);
  ASSERT_EQ(run.out.connections.size(), 2u);
  EXPECT_EQ(run.out.connections[1].uid, "C5");
}

TEST(ZeekTsv, HeaderThatDoesNotMatchItsLinesIsAnErrorForThatFile) {
  std::string bad = std::string(kConnHeader) + "1700000000.0\tC1\t10.0.0.1\t1\n1700000000.0\tC2\t10.0.0.1\t1\n";
  std::string types_mismatch =
      "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n#types\ttime\n"
      "1\tC9\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\n";
  std::string no_header = "1700000000.0\tC1\t10.0.0.1\n";
  std::string good = std::string(kConnHeader) +
                     "1700000000.0\tC7\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tS\t1\t60\t0\t0\n";
  TextRun run;
  run.read({{"conn.1.log", bad}, {"conn.2.log", types_mismatch}, {"conn.3.log", no_header}, {"conn.4.log", good}});
  EXPECT_GE(run.diagnostics.errors(), 3u);
  // conn.1.log: its first mismatching line is counted malformed, the second shows the header is wrong.
  // conn.3.log has no header at all: it is not recognised as a Zeek log (a warning), so 1 + 1 lines.
  EXPECT_EQ(run.counters.get("zeek.lines_skipped_bad_header"), 2u);
  EXPECT_EQ(run.counters.get("zeek.lines_malformed"), 1u);
  ASSERT_EQ(run.out.connections.size(), 1u);
  EXPECT_EQ(run.out.connections[0].uid, "C7");
}

TEST(ZeekJson, DottedUnderscoreNestedAndEnvelopeDialects) {
  std::string conn =
      R"({"ts":1700000000.5,"uid":"A","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":443,"proto":"tcp","duration":1.5e-05,"conn_state":"SF","_path":"conn"})"
      "\n"
      R"({"@stream":"conn","@system":"s","ts":"2023-11-14T22:13:21.000000Z","uid":"B","id_orig_h":"10.0.0.1","id_orig_p":2,"id_resp_h":"10.0.0.2","id_resp_p":443,"proto":"tcp"})"
      "\n"
      R"({"ts":1700000002,"uid":"C","id":{"orig_h":"10.0.0.1","orig_p":3,"resp_h":"10.0.0.2","resp_p":443},"proto":"udp","orig_bytes":null})"
      "\n"
      R"({"_path":"http","ts":1,"uid":"D"})"
      "\n"
      R"({"ts":1700000003,"uid":"E","id.orig_h":"10.0.0.1"} trailing)"
      "\n";
  std::string dns =
      R"({"ts":1700000000,"uid":"A","id.orig_h":"10.0.0.1","query":"Example.COM.","qtype":1,"rcode":0,"answers":["cdn.example.net","192.0.2.1","2001:db8::1"],"TTLs":[300.0,60.0,120.0]})"
      "\n";
  TextRun run;
  run.read({{"conn.log", conn}, {"dns.log", dns}});
  EXPECT_EQ(run.counters.get("zeek.lines_other_log"), 1u);
  EXPECT_EQ(run.counters.get("zeek.lines_malformed"), 1u);
  ASSERT_EQ(run.out.connections.size(), 3u);
  EXPECT_EQ(run.out.connections[0].last_seen - run.out.connections[0].first_seen, 15);
  EXPECT_EQ(run.out.connections[1].first_seen, 1700000001000000);
  EXPECT_EQ(run.out.connections[2].orig.port, 3);
  EXPECT_EQ(run.out.connections[2].transport, records::Transport::udp);
  ASSERT_EQ(run.out.dns.size(), 1u);
  const auto& d = run.out.dns[0];
  EXPECT_EQ(d.query, "example.com");
  EXPECT_EQ(d.addresses.size(), 2u);
  EXPECT_EQ(d.cnames, (std::vector<std::string>{"cdn.example.net"}));
  EXPECT_EQ(d.min_ttl, 60u);
}

// The JSON reader predicts each key from the order of the previous lines. Lines that reorder their
// keys, leave fields out or add unknown ones must read exactly as each line read on its own.
TEST(ZeekJson, KeyOrderChangesAndLeftOutFieldsReadLikeEachLineAlone) {
  std::mt19937 rng(7);
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    std::vector<std::string> fields = {
        fmt::format(R"("ts":{}.25)", 1700000000 + i), fmt::format(R"("uid":"U{}")", i),
        R"("id.orig_h":"10.0.0.1")", fmt::format(R"("id.orig_p":{})", 40000 + i), R"("id.resp_h":"192.0.2.7")",
        R"("id.resp_p":443)", R"("proto":"tcp")"};
    if (rng() % 3) fields.push_back(fmt::format(R"("duration":{}.5)", i % 7));
    if (rng() % 3) fields.push_back(fmt::format(R"("orig_bytes":{})", i * 3));
    if (rng() % 3) fields.push_back(fmt::format(R"("resp_bytes":{})", i * 5));
    if (rng() % 2) fields.push_back(R"("conn_state":"SF")");
    if (rng() % 4 == 0) fields.push_back(fmt::format(R"("extra_{}":"x")", rng() % 5));
    if (rng() % 5 == 0) std::shuffle(fields.begin(), fields.end(), rng);
    lines.push_back("{" + fmt::format("{}", fmt::join(fields, ",")) + "}\n");
  }
  std::string all;
  for (const auto& l : lines) all += l;
  TextRun together;
  together.read({{"conn.log", all}});
  ASSERT_EQ(together.out.connections.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    TextRun alone;
    alone.read({{"conn.log", lines[i]}});
    ASSERT_EQ(alone.out.connections.size(), 1u) << lines[i];
    const auto& a = alone.out.connections[0];
    const auto& t = together.out.connections[i];
    EXPECT_EQ(t.uid, a.uid) << lines[i];
    EXPECT_EQ(t.orig.port, a.orig.port) << lines[i];
    EXPECT_EQ(t.resp.ip, a.resp.ip) << lines[i];
    EXPECT_EQ(t.first_seen, a.first_seen) << lines[i];
    EXPECT_EQ(t.last_seen, a.last_seen) << lines[i];
    EXPECT_EQ(t.orig_stats.payload_bytes, a.orig_stats.payload_bytes) << lines[i];
    EXPECT_EQ(t.resp_stats.payload_bytes, a.resp_stats.payload_bytes) << lines[i];
    EXPECT_EQ(t.conn_state, a.conn_state) << lines[i];
  }
  EXPECT_EQ(together.counters.get("zeek.lines_malformed"), 0u);
}

TEST(ZeekTsv, SslWithoutConnIsEmittedAtFinishAndCounted) {
  TextRun run;
  run.read({{"ssl.log",
             R"({"ts":1700000000,"uid":"X","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":8443,"version":"TLSv12","cipher":"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384","server_name":"h.example"})"
             "\n"}});
  ASSERT_EQ(run.out.connections.size(), 1u);
  EXPECT_EQ(run.counters.get("zeek.ssl_without_conn"), 1u);
  ASSERT_TRUE(run.out.connections[0].tls);
  EXPECT_EQ(run.out.connections[0].tls->server_hellos[0].cipher_suite, 0xc030);
  EXPECT_EQ(run.out.connections[0].resp.port, 8443);
}

TEST(ZeekGzip, CompressedLogIsReadAndTruncatedOneIsAnError) {
  auto dir = std::filesystem::temp_directory_path() / ("c2hunt_zeek_gz_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string body = std::string(kConnHeader);
  for (int i = 0; i < 2000; ++i)
    body += "1700000000.0\tC" + std::to_string(i) + "\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tS\t1\t60\t0\t0\n";
  uLongf cap = compressBound(body.size()) + 64;
  std::string gz(cap, '\0');
  // gzip framing via deflateInit2 with windowBits 31.
  z_stream zs{};
  ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(body.data());
  zs.avail_in = static_cast<uInt>(body.size());
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = static_cast<uInt>(cap);
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  gz.resize(zs.total_out);
  deflateEnd(&zs);
  auto write = [](const std::filesystem::path& p, const std::string& bytes) {
    std::FILE* f = std::fopen(p.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  };
  write(dir / "conn.2024-01-01-00-00-00.log.gz", gz);
  write(dir / "conn.2024-01-01-01-00-00.log.gz", gz.substr(0, gz.size() / 2));
  RecordingConsumer out;
  Counters counters;
  Diagnostics diagnostics;
  diagnostics.set_quiet(true);
  ZeekSource source(out, counters, diagnostics);
  EXPECT_TRUE(ZeekSource::looks_like_zeek_log(dir.string()));
  EXPECT_TRUE(source.read_path(dir.string()));
  source.finish();
  EXPECT_EQ(counters.get("zeek.files_damaged"), 1u);
  EXPECT_GE(diagnostics.errors(), 1u);
  EXPECT_GT(out.connections.size(), 2000u);   // the whole first file and part of the second
  EXPECT_LT(out.connections.size(), 4000u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace c2hunt::zeek

namespace c2hunt::zeek {
namespace {

TEST(ZeekDirectory, RotationsAreJoinedInOrderAndAcrossRotations) {
  auto dir = std::filesystem::temp_directory_path() / ("c2hunt_zeek_rot_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) {
    std::FILE* f = std::fopen((dir / name).c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  };
  auto ssl = [](const char* uid) {
    return std::string(R"({"ts":1700000000,"uid":")") + uid +
           R"(","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":443,"server_name":"x.example"})" "\n";
  };
  auto conn = [](const char* uid) {
    return std::string(R"({"ts":1700000000,"uid":")") + uid +
           R"(","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":443,"proto":"tcp","conn_state":"SF"})" "\n";
  };
  write("ssl.2024-01-01-00-00-00.log", ssl("Along") + ssl("Ashort"));
  write("conn.2024-01-01-00-00-00.log", conn("Ashort"));
  write("ssl.2024-01-01-01-00-00.log", ssl("B"));
  write("conn.2024-01-01-01-00-00.log", conn("B") + conn("Along"));  // a connection that outlived its rotation
  RecordingConsumer out;
  Counters counters;
  Diagnostics diagnostics;
  ZeekSource source(out, counters, diagnostics);
  EXPECT_TRUE(source.read_path(dir.string()));
  source.finish();
  EXPECT_EQ(diagnostics.errors(), 0u);
  EXPECT_EQ(counters.get("zeek.ssl_joined_to_conn"), 3u);
  EXPECT_EQ(counters.get("zeek.ssl_without_conn"), 0u);
  ASSERT_EQ(out.connections.size(), 3u);
  for (const auto& c : out.connections) EXPECT_TRUE(c.tls) << c.uid;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace c2hunt::zeek

namespace c2hunt::zeek {
namespace {

// Enough pending ssl rows that claiming most of them compacts the pending index several times;
// every conn row still finds its own row, and the unclaimed rows come out at finish.
TEST(ZeekJoin, ManyPendingRowsJoinWhileClaimedOnesAreCompacted) {
  constexpr int kRows = 10000, kJoined = 9000;
  std::string ssl, conn;
  for (int i = 0; i < kRows; ++i)
    ssl += fmt::format(R"({{"ts":{}.5,"uid":"U{}","id.orig_h":"10.0.0.1","id.orig_p":{},"id.resp_h":"10.0.0.2","id.resp_p":443,"server_name":"s{}.example"}})"
                       "\n",
                       1700000000 + i, i, 1024 + i % 50000, i);
  for (int i = kJoined - 1; i >= 0; --i)
    conn += fmt::format(R"({{"ts":{}.5,"uid":"U{}","id.orig_h":"10.0.0.1","id.orig_p":{},"id.resp_h":"10.0.0.2","id.resp_p":443,"proto":"tcp","conn_state":"SF"}})"
                        "\n",
                        1700000000 + i, i, 1024 + i % 50000);
  TextRun run;
  run.read({{"ssl.log", ssl}, {"conn.log", conn}});
  ASSERT_EQ(run.out.connections.size(), size_t{kRows});
  EXPECT_EQ(run.counters.get("zeek.ssl_joined_to_conn"), uint64_t{kJoined});
  EXPECT_EQ(run.counters.get("zeek.ssl_without_conn"), uint64_t{kRows - kJoined});
  for (const auto& c : run.out.connections) {
    ASSERT_TRUE(c.tls) << c.uid;
    const auto* hello = c.tls->client_hello();
    ASSERT_TRUE(hello) << c.uid;
    EXPECT_EQ(hello->server_name, "s" + c.uid.substr(1) + ".example");
  }
  // The TLS-only rest in time order.
  EXPECT_EQ(run.out.connections[kJoined].uid, "U" + std::to_string(kJoined));
  EXPECT_EQ(run.out.connections.back().uid, "U" + std::to_string(kRows - 1));
}

}  // namespace
}  // namespace c2hunt::zeek

namespace c2hunt::zeek {
namespace {

// Property: for generated lines whose fields have every length around the 8-byte steps of the
// field scanner, with separators, escapes (\x41 -> 'A') and stray bytes at every position, the
// fields come out exactly as a byte-by-byte split and unescape gives.
TEST(ZeekTsv, GeneratedFieldsSplitAndUnescapeLikeAByteByByteReading) {
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  auto value = [&](std::string& raw, std::string& decoded) {
    size_t n = 1 + next() % 30;
    for (size_t i = 0; i < n; ++i) {
      switch (next() % 6) {
        case 0: raw += "\\x41"; decoded += 'A'; break;
        case 1: raw += ','; decoded += ','; break;
        case 2: raw += '\x7f'; decoded += '\x7f'; break;
        default: {
          char c = static_cast<char>('a' + next() % 26);
          raw += c;
          decoded += c;
        }
      }
    }
  };
  std::string conn = kConnHeader;
  std::vector<std::pair<std::string, std::string>> expected;  // uid, history
  for (int i = 0; i < 400; ++i) {
    std::string uid_raw, uid, history_raw, history;
    value(uid_raw, uid);
    value(history_raw, history);
    conn += fmt::format("1700000000.{:06}\t{}\t10.0.0.1\t{}\t10.0.0.2\t443\ttcp\t-\t1.0\t1\t1\tSF\t{}\t1\t1\t1\t1\n", i, uid_raw,
                        1000 + i, history_raw);
    expected.emplace_back(uid, history);
  }
  TextRun run;
  run.read({{"conn.log", conn}});
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  ASSERT_EQ(run.out.connections.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(run.out.connections[i].uid, expected[i].first) << i;
    EXPECT_EQ(run.out.connections[i].history, expected[i].second) << i;
  }
}

}  // namespace
}  // namespace c2hunt::zeek
