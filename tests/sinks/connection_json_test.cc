#include <gtest/gtest.h>

#include <simdjson.h>

#include "c2hunt/sinks/connection_json.h"
#include "signals/record_builder.h"

namespace c2hunt::testing {
namespace {

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& line) {
  simdjson::dom::element doc;
  EXPECT_FALSE(parser.parse(line).get(doc)) << line;
  return doc;
}

std::string render(const records::Connection& c) {
  sinks::JsonWriter w;
  sinks::write_connection(w, c);
  return w.take_line();
}

TEST(ConnectionJson, LeafOnceAndTheRestOfTheChainAfterIt) {
  records::Certificate leaf = make_certificate("CN=leaf.example", "leaf.example", false);
  leaf.san_dns = {"leaf.example", "www.leaf.example"};
  leaf.san_ip = {"192.0.2.1"};
  records::Certificate ca = make_certificate("CN=Example CA,O=Example", "Example CA", true);
  auto b = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("leaf.example").certificate(leaf).certificate(ca);
  std::string line = render(b.build());
  simdjson::dom::parser parser;
  auto doc = parse(parser, line);
  EXPECT_EQ(int64_t(doc["c2hunt.schema_version"]), sinks::kConnectionSchemaVersion);
  EXPECT_EQ(std::string_view(doc["tls.server.x509"]["subject.distinguished_name"]), "CN=leaf.example");
  simdjson::dom::array names = doc["tls.server.x509"]["alternative_names"];
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(std::string_view(names.at(2)), "192.0.2.1");
  simdjson::dom::array chain = doc["c2hunt.tls.server.x509_chain"];
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_EQ(int64_t(chain.at(0)["chain_index"]), 1);
  EXPECT_EQ(std::string_view(chain.at(0)["subject.common_name"]), "Example CA");
  EXPECT_TRUE(chain.at(0)["alternative_names"].error()) << "empty lists are left out";
  // The hello offered no ALPN: no empty supported_protocols list.
  EXPECT_TRUE(doc["tls.client.supported_protocols"].error());
}

TEST(ConnectionJson, CachedCertificateJsonIsTheSameBytesAsWrittenAfresh) {
  records::Certificate leaf = make_certificate("CN=leaf \"quoted\"\\x", "leaf", false);
  leaf.san_dns = {"a.example", "\x01\xff"};
  auto shared_leaf = std::make_shared<const records::Certificate>(leaf);
  auto ca = std::make_shared<const records::Certificate>(make_certificate("CN=CA", "CA", true));
  sinks::CertificateJsonCache cache;
  for (int round = 0; round < 3; ++round) {
    records::Connection c = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("leaf.example").build();
    // The same facts at another place in each round's chain, and once as a client certificate.
    c.tls->certificates = {{0, shared_leaf}, {static_cast<uint32_t>(round + 1), ca}};
    if (round == 2) c.tls->client_certificates = {{0, ca}, {7, shared_leaf}};
    sinks::JsonWriter cached;
    sinks::write_connection(cached, c, &cache);
    EXPECT_EQ(cached.take_line(), render(c)) << "round " << round;
  }
}

TEST(ConnectionJson, ClientChainInTheClientsEcsFields) {
  auto b = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("").certificate(make_certificate("CN=srv", "srv", true));
  records::Connection c = b.build();
  c.tls->client_certificates.push_back(
      {0, std::make_shared<const records::Certificate>(make_certificate("CN=implant", "implant", true))});
  simdjson::dom::parser parser;
  auto doc = parse(parser, render(c));
  EXPECT_EQ(std::string_view(doc["tls.server.subject"]), "CN=srv");
  EXPECT_EQ(std::string_view(doc["tls.client.subject"]), "CN=implant");
  EXPECT_EQ(std::string_view(doc["tls.client.x509"]["subject.common_name"]), "implant");
  EXPECT_EQ(std::string_view(doc["tls.client.hash.sha1"]), c.tls->client_certificates[0]->sha1);
  EXPECT_TRUE(doc["c2hunt.tls.client.x509_chain"].error());
  // Without a client chain, no client certificate fields.
  auto plain = parse(parser, render(b.build()));
  EXPECT_TRUE(plain["tls.client.x509"].error());
}

TEST(ConnectionJson, ALeafAloneHasNoChainArray) {
  auto b = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("").certificate(make_certificate("CN=x", "x", true));
  b.hello().alpn = {"h2"};
  simdjson::dom::parser parser;
  auto doc = parse(parser, render(b.build()));
  EXPECT_TRUE(doc["c2hunt.tls.server.x509_chain"].error());
  EXPECT_EQ(std::string_view(doc["tls.server.x509"]["subject.common_name"]), "x");
  simdjson::dom::array alpn = doc["tls.client.supported_protocols"];
  EXPECT_EQ(alpn.size(), 1u);
}

}  // namespace
}  // namespace c2hunt::testing
