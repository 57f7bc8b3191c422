// The Suricata-verify expectations that ship with the shared captures (expected/sv__*.yaml).
#include <gtest/gtest.h>

#include "capture_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

TEST(ConformanceSuricataVerify, Ja4OverTcpAndQuic) {
  C2HUNT_REQUIRE_SHARED_DATA();
  CaptureResult got = run_capture(shared_data_path("pcap/sv__ja4-tls-quic.pcap"));
  size_t tcp = 0, quic = 0;
  for (const auto& c : got.connections) {
    if (!c.tls || !c.tls->client_hello()) continue;
    const std::string& ja4 = c.tls->client_hello()->ja4;
    if (c.transport == records::Transport::tcp && ja4 == "t13d1516h2_8daaf6152771_e5627efa2ab1") ++tcp;
    if (c.transport == records::Transport::udp && ja4 == "q13d0310h3_55b375c5d22e_cd85d2d88918") ++quic;
  }
  EXPECT_EQ(tcp, 1u);   // tls.ja4, count 1
  EXPECT_EQ(quic, 1u);  // quic.ja4, count 1
}

TEST(ConformanceSuricataVerify, Ja3sOfTlsCertsAlert) {
  C2HUNT_REQUIRE_SHARED_DATA();
  CaptureResult got = run_capture(shared_data_path("pcap/sv__tls-certs-alert.pcap"));
  size_t matching = 0;
  for (const auto& c : got.connections)
    if (c.tls && c.tls->server_hello() && c.tls->server_hello()->ja3s == "5d79edf64e03689ff559a54e9d9487bc" &&
        c.tls->server_hello()->ja3s_string == "771,49199,65281-0-11-16-23")
      ++matching;
  EXPECT_EQ(matching, 1u);
}

}  // namespace
}  // namespace c2hunt::testing
