#include "c2hunt/protocols/quic/quic_initial.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "protocols/hex_bytes.h"
#include "protocols/quic_rfc_vectors.h"
#include "protocols/quic_test_sealer.h"

namespace c2hunt::quic {
namespace {

using testing::hex_bytes;
namespace rfc = testing::rfc;

std::vector<uint8_t> to_vector(ByteView v) { return {v.begin(), v.end()}; }
template <size_t N>
std::vector<uint8_t> to_vector(const std::array<uint8_t, N>& a) { return {a.begin(), a.end()}; }

InitialSecrets rfc_secrets(uint32_t version) {
  InitialSecrets s;
  EXPECT_TRUE(derive_initial_secrets(version, hex_bytes(rfc::kOriginalDcid), s));
  return s;
}

std::vector<uint8_t> padded_client_frames() {
  std::vector<uint8_t> f = hex_bytes(rfc::kClientCryptoFrame);
  f.resize(1162, 0);
  return f;
}

TEST(QuicInitialKeys, MatchRfc9001AppendixA1) {
  const InitialSecrets s = rfc_secrets(kVersion1);
  EXPECT_EQ(to_vector(s.client.secret), hex_bytes("c00cf151ca5be075ed0ebfb5c80323c4 2d6b7db67881289af4008f1f6c357aea"));
  EXPECT_EQ(to_vector(s.client.key), hex_bytes("1f369613dd76d5467730efcbe3b1a22d"));
  EXPECT_EQ(to_vector(s.client.iv), hex_bytes("fa044b2f42a3fd3b46fb255c"));
  EXPECT_EQ(to_vector(s.client.hp), hex_bytes("9f50449e04a0e810283a1e9933adedd2"));
  EXPECT_EQ(to_vector(s.server.secret), hex_bytes("3c199828fd139efd216c155ad844cc81 fb82fa8d7446fa7d78be803acdda951b"));
  EXPECT_EQ(to_vector(s.server.key), hex_bytes("cf3a5331653c364c88f0f379b6067e37"));
  EXPECT_EQ(to_vector(s.server.iv), hex_bytes("0ac1493ca1905853b0bba03e"));
  EXPECT_EQ(to_vector(s.server.hp), hex_bytes("c206b8d9b9f0f37644430b490eeaa314"));
}

TEST(QuicInitialKeys, MatchRfc9369AppendixA1) {
  const InitialSecrets s = rfc_secrets(kVersion2);
  EXPECT_EQ(to_vector(s.client.secret), hex_bytes("14ec9d6eb9fd7af83bf5a668bc17a7e2 83766aade7ecd0891f70f9ff7f4bf47b"));
  EXPECT_EQ(to_vector(s.client.key), hex_bytes("8b1a0bc121284290a29e0971b5cd045d"));
  EXPECT_EQ(to_vector(s.client.iv), hex_bytes("91f73e2351d8fa91660e909f"));
  EXPECT_EQ(to_vector(s.server.secret), hex_bytes("0263db1782731bf4588e7e4d93b74639 07cb8cd8200b5da55a8bd488eafc37c1"));
  EXPECT_EQ(to_vector(s.server.key), hex_bytes("82db637861d55e1d011f19ea71d5d2a7"));
  EXPECT_EQ(to_vector(s.server.iv), hex_bytes("dd13c276499c0249d3310652"));
  InitialSecrets draft;
  EXPECT_FALSE(derive_initial_secrets(0xff00001d, hex_bytes(rfc::kOriginalDcid), draft));
}

struct RfcPacketCase {
  uint32_t version;
  const char* client_packet;
  const char* server_packet;
};

class QuicRfcPackets : public ::testing::TestWithParam<RfcPacketCase> {};

TEST_P(QuicRfcPackets, ClientInitialDecryptsToThePaddedCryptoFrame) {
  const InitialSecrets s = rfc_secrets(GetParam().version);
  const std::vector<uint8_t> packet = hex_bytes(GetParam().client_packet);
  ASSERT_EQ(packet.size(), 1200u);
  std::vector<uint8_t> scratch;
  DecryptedPacket out;
  ASSERT_TRUE(decrypt_initial_packet(packet, s.client, -1, scratch, out));
  EXPECT_EQ(out.packet_number, 2u);
  EXPECT_EQ(out.header.version, GetParam().version);
  EXPECT_EQ(to_vector(out.header.dcid), hex_bytes(rfc::kOriginalDcid));
  EXPECT_TRUE(out.header.scid.empty());
  EXPECT_EQ(out.header.packet_size, 1200u);
  EXPECT_EQ(to_vector(out.payload), padded_client_frames());
  // The server's keys must not open the client's packet.
  EXPECT_FALSE(decrypt_initial_packet(packet, s.server, -1, scratch, out));
}

TEST_P(QuicRfcPackets, ServerInitialDecryptsToAckAndCrypto) {
  const InitialSecrets s = rfc_secrets(GetParam().version);
  const std::vector<uint8_t> packet = hex_bytes(GetParam().server_packet);
  ASSERT_EQ(packet.size(), 135u);
  std::vector<uint8_t> scratch;
  DecryptedPacket out;
  ASSERT_TRUE(decrypt_initial_packet(packet, s.server, -1, scratch, out));
  EXPECT_EQ(out.packet_number, 1u);
  EXPECT_EQ(to_vector(out.header.scid), hex_bytes("f067a5502a4262b5"));
  EXPECT_EQ(to_vector(out.payload), hex_bytes(rfc::kServerFrames));
}

TEST_P(QuicRfcPackets, TamperedPacketFailsAuthentication) {
  const InitialSecrets s = rfc_secrets(GetParam().version);
  std::vector<uint8_t> packet = hex_bytes(GetParam().server_packet);
  packet[100] ^= 0x01;
  std::vector<uint8_t> scratch;
  DecryptedPacket out;
  EXPECT_FALSE(decrypt_initial_packet(packet, s.server, -1, scratch, out));
}

TEST_P(QuicRfcPackets, ParserReassemblesBothHellos) {
  QuicInitialParser parser;
  EXPECT_EQ(parser.feed_datagram(true, hex_bytes(GetParam().client_packet)), Progress::need_more);
  EXPECT_EQ(parser.version(), GetParam().version);
  // The ClientHello handshake message is the CRYPTO frame's data: 4-byte header plus 237 bytes.
  const std::vector<uint8_t> frame = hex_bytes(rfc::kClientCryptoFrame);
  EXPECT_EQ(to_vector(parser.crypto_stream(true)), std::vector<uint8_t>(frame.begin() + 4, frame.end()));
  ASSERT_EQ(parser.handshake_messages(true).size(), 1u);
  EXPECT_EQ(parser.handshake_messages(true)[0].type, 1);
  EXPECT_EQ(parser.handshake_messages(true)[0].length, 237u);

  EXPECT_EQ(parser.feed_datagram(false, hex_bytes(GetParam().server_packet)), Progress::done);
  EXPECT_EQ(parser.crypto_stream(false).size(), 90u);
  ASSERT_EQ(parser.handshake_messages(false).size(), 1u);
  EXPECT_EQ(parser.handshake_messages(false)[0].type, 2);
  EXPECT_EQ(parser.handshake_messages(false)[0].length, 86u);
  EXPECT_TRUE(parser.session().certificates_encrypted);
  EXPECT_EQ(parser.stats().initial_packets_decrypted, 2u);
  EXPECT_EQ(parser.stats().decrypt_failures, 0u);
  // Once done the parser ignores more input.
  EXPECT_EQ(parser.feed_datagram(true, hex_bytes("00")), Progress::done);
}

TEST_P(QuicRfcPackets, LooksLikeInitialOnlyForTheClientPacket) {
  EXPECT_TRUE(looks_like_quic_initial(hex_bytes(GetParam().client_packet)));
  std::vector<uint8_t> packet = hex_bytes(GetParam().client_packet);
  packet.resize(40);  // length field now exceeds the datagram
  EXPECT_FALSE(looks_like_quic_initial(packet));
}

INSTANTIATE_TEST_SUITE_P(V1AndV2, QuicRfcPackets,
                         ::testing::Values(RfcPacketCase{kVersion1, rfc::kClientInitialV1, rfc::kServerInitialV1},
                                           RfcPacketCase{kVersion2, rfc::kClientInitialV2, rfc::kServerInitialV2}));

TEST(QuicTestSealer, ReproducesRfc9001ServerInitial) {
  testing::SealSpec spec;
  spec.scid = hex_bytes("f067a5502a4262b5");
  spec.packet_number = 1;
  EXPECT_EQ(testing::seal_initial(spec, rfc_secrets(kVersion1).server, hex_bytes(rfc::kServerFrames)),
            hex_bytes(rfc::kServerInitialV1));
  spec.version = kVersion2;
  EXPECT_EQ(testing::seal_initial(spec, rfc_secrets(kVersion2).server, hex_bytes(rfc::kServerFrames)),
            hex_bytes(rfc::kServerInitialV2));
}

TEST(QuicPacketNumber, DecodesRfc9000AppendixA3Example) {
  EXPECT_EQ(decode_packet_number(0xa82f30ea, 0x9b32, 16), 0xa82f9b32u);
  EXPECT_EQ(decode_packet_number(-1, 0, 8), 0u);
  EXPECT_EQ(decode_packet_number(255, 0x00, 8), 256u);
}

TEST(QuicVarint, ReadsAllFourLengths) {
  const std::vector<uint8_t> bytes = hex_bytes("25 7bbd 9d7f3e7d c2197c5eff14e88c");
  ByteCursor c(bytes);
  EXPECT_EQ(read_varint(c), 37u);
  EXPECT_EQ(read_varint(c), 15293u);
  EXPECT_EQ(read_varint(c), 494878333u);
  EXPECT_EQ(read_varint(c), 151288809941952652u);
  EXPECT_TRUE(c.done());
  const std::vector<uint8_t> cut = hex_bytes("9d7f");
  ByteCursor t(cut);
  EXPECT_EQ(read_varint(t), 0u);
  EXPECT_FALSE(t.ok());
}

TEST(QuicLongHeader, MapsTypeBitsPerVersion) {
  EXPECT_EQ(long_packet_type(kVersion1, 0xc0), LongPacketType::initial);
  EXPECT_EQ(long_packet_type(kVersion1, 0xf0), LongPacketType::retry);
  EXPECT_EQ(long_packet_type(kVersion2, 0xd0), LongPacketType::initial);
  EXPECT_EQ(long_packet_type(kVersion2, 0xc0), LongPacketType::retry);
  EXPECT_EQ(long_packet_type(kVersion2, 0xf0), LongPacketType::handshake);
}

TEST(QuicLongHeader, RejectsOversizedConnectionIdsAndUnknownVersions) {
  std::vector<uint8_t> p = hex_bytes(rfc::kClientInitialV1);
  p[5] = 21;
  EXPECT_FALSE(looks_like_quic_initial(p));
  p = hex_bytes(rfc::kClientInitialV1);
  p[4] = 0x02;  // version 0x00000002 is not supported
  EXPECT_FALSE(looks_like_quic_initial(p));
  p = hex_bytes(rfc::kClientInitialV1);
  p[0] &= ~0x40;  // fixed bit cleared
  EXPECT_FALSE(looks_like_quic_initial(p));
  EXPECT_FALSE(looks_like_quic_initial(hex_bytes(rfc::kServerFrames)));
  EXPECT_FALSE(looks_like_quic_initial({}));
}

// Hand-built connections: a test DCID, ClientHello split into fragments sealed with the test sealer.
class QuicReassembly : public ::testing::Test {
 protected:
  void SetUp() override {
    spec.dcid = hex_bytes("0011223344556677");
    spec.scid = hex_bytes("aabbccdd");
    ASSERT_TRUE(derive_initial_secrets(kVersion1, spec.dcid, keys));
    hello = testing::handshake_message(1, 600);
  }
  std::vector<uint8_t> client_packet(uint64_t pn, const std::vector<uint8_t>& frames) {
    testing::SealSpec s = spec;
    s.packet_number = pn;
    return testing::seal_initial(s, keys.client, frames);
  }
  std::vector<uint8_t> part(size_t begin, size_t end) const {
    return std::vector<uint8_t>(hello.begin() + begin, hello.begin() + end);
  }
  testing::SealSpec spec;
  InitialSecrets keys;
  std::vector<uint8_t> hello;
};

TEST_F(QuicReassembly, OutOfOrderFragmentsAcrossPackets) {
  QuicInitialParser parser;
  EXPECT_EQ(parser.feed_datagram(true, client_packet(0, testing::crypto_frame(300, part(300, 604)))),
            Progress::need_more);
  EXPECT_TRUE(parser.crypto_stream(true).empty());
  EXPECT_TRUE(parser.handshake_messages(true).empty());
  EXPECT_EQ(parser.feed_datagram(true, client_packet(1, testing::crypto_frame(0, part(0, 310)))), Progress::need_more);
  EXPECT_EQ(to_vector(parser.crypto_stream(true)), hello);
  ASSERT_EQ(parser.handshake_messages(true).size(), 1u);
  EXPECT_EQ(parser.handshake_messages(true)[0].length, 600u);
}

TEST_F(QuicReassembly, CoalescedPacketsAndSeveralFramesPerPacket) {
  std::vector<uint8_t> frames = testing::crypto_frame(400, part(400, 604));
  const std::vector<uint8_t> first = testing::crypto_frame(0, part(0, 200));
  frames.insert(frames.end(), {0x01, 0x00, 0x00});  // PING, PADDING
  frames.insert(frames.end(), first.begin(), first.end());
  std::vector<uint8_t> datagram = client_packet(0, frames);
  const std::vector<uint8_t> second = client_packet(1, testing::crypto_frame(200, part(200, 400)));
  datagram.insert(datagram.end(), second.begin(), second.end());
  // A Handshake packet (v1 type bits 10) coalesced behind: skipped by its length.
  const std::vector<uint8_t> handshake = hex_bytes("e1 00000001 08 0011223344556677 00 4014 00000000000000000000000000000000000000000000");
  datagram.insert(datagram.end(), handshake.begin(), handshake.end());
  datagram.insert(datagram.end(), {0x40, 0x01, 0x02});  // short header packet to the end

  QuicInitialParser parser;
  EXPECT_EQ(parser.feed_datagram(true, datagram), Progress::need_more);
  EXPECT_EQ(to_vector(parser.crypto_stream(true)), hello);
  EXPECT_EQ(parser.stats().initial_packets_decrypted, 2u);
  EXPECT_EQ(parser.stats().skipped_long_packets, 1u);
  EXPECT_EQ(parser.stats().short_header_packets, 1u);
}

TEST_F(QuicReassembly, RetransmittedOverlappingDataIsHarmless) {
  QuicInitialParser parser;
  parser.feed_datagram(true, client_packet(0, testing::crypto_frame(0, part(0, 300))));
  parser.feed_datagram(true, client_packet(1, testing::crypto_frame(100, part(100, 350))));
  parser.feed_datagram(true, client_packet(2, testing::crypto_frame(0, part(0, 604))));
  EXPECT_EQ(to_vector(parser.crypto_stream(true)), hello);
  EXPECT_EQ(parser.handshake_messages(true).size(), 1u);
}

TEST_F(QuicReassembly, CryptoBeyondTheLimitIsDroppedAndCounted) {
  Limits limits;
  limits.max_crypto_bytes = 256;
  QuicInitialParser parser(limits);
  parser.feed_datagram(true, client_packet(0, testing::crypto_frame(0, part(0, 300))));
  EXPECT_EQ(parser.crypto_stream(true).size(), 256u);
  EXPECT_EQ(parser.stats().crypto_bytes_dropped, 44u);
  EXPECT_TRUE(parser.session().truncated);
  // The 604-byte message can never fit: framing stops instead of waiting forever.
  EXPECT_TRUE(parser.handshake_messages(true).empty());
  EXPECT_EQ(parser.stats().dropped_handshake_messages, 1u);
  parser.feed_datagram(true, client_packet(1, testing::crypto_frame(1u << 29, part(0, 10))));
  EXPECT_EQ(parser.stats().crypto_bytes_dropped, 54u);
}

TEST_F(QuicReassembly, TooManyFragmentsAreDropped) {
  Limits limits;
  limits.max_packets = 100;
  QuicInitialParser parser(limits);
  // 80 one-byte fragments with gaps between them: only the first 64 ranges are kept.
  for (uint64_t i = 0; i < 80; ++i) {
    parser.feed_datagram(true, client_packet(i, testing::crypto_frame(static_cast<uint32_t>(10 + 2 * i), {0x55})));
  }
  EXPECT_EQ(parser.stats().crypto_bytes_dropped, 80u - 64u);
}

TEST_F(QuicReassembly, UnknownFrameStopsThePacketButKeepsEarlierFrames) {
  std::vector<uint8_t> frames = testing::crypto_frame(0, part(0, 100));
  frames.push_back(0x21);  // not allowed in Initial packets
  const std::vector<uint8_t> after = testing::crypto_frame(100, part(100, 604));
  frames.insert(frames.end(), after.begin(), after.end());
  QuicInitialParser parser;
  parser.feed_datagram(true, client_packet(0, frames));
  EXPECT_EQ(parser.crypto_stream(true).size(), 100u);
  EXPECT_EQ(parser.stats().unknown_frames, 1u);
}

TEST_F(QuicReassembly, AckAndConnectionCloseFramesAreSkipped) {
  // ACK with one extra range, ACK_ECN, CONNECTION_CLOSE with a reason, then CRYPTO.
  std::vector<uint8_t> frames = hex_bytes("02 05 00 01 00 01 01   03 01 00 00 00 07 08 09   1c 0a 06 03 626164");
  const std::vector<uint8_t> crypto = testing::crypto_frame(0, hello);
  frames.insert(frames.end(), crypto.begin(), crypto.end());
  QuicInitialParser parser;
  parser.feed_datagram(true, client_packet(0, frames));
  EXPECT_EQ(parser.stats().connection_close_frames, 1u);
  EXPECT_EQ(parser.stats().malformed_frames, 0u);
  EXPECT_EQ(to_vector(parser.crypto_stream(true)), hello);
}

TEST_F(QuicReassembly, HugeAckRangeCountEndsAtTheEndOfThePayload) {
  QuicInitialParser parser;
  parser.feed_datagram(true, client_packet(0, hex_bytes("02 00 00 bfffffffffffffff 00 0000")));
  EXPECT_EQ(parser.stats().malformed_frames, 1u);
}

TEST_F(QuicReassembly, MaxPacketsEndsAOneSidedConnection) {
  Limits limits;
  limits.max_packets = 3;
  QuicInitialParser parser(limits);
  EXPECT_EQ(parser.feed_datagram(true, client_packet(0, testing::crypto_frame(0, hello))), Progress::need_more);
  EXPECT_EQ(parser.feed_datagram(true, hex_bytes("4001020304")), Progress::need_more);
  EXPECT_EQ(parser.feed_datagram(true, hex_bytes("4001020304")), Progress::done);
}

TEST_F(QuicReassembly, ServerInitialAfterRetryUsesTheNewDcid) {
  QuicInitialParser parser;
  parser.feed_datagram(true, client_packet(0, testing::crypto_frame(0, hello)));
  // Retry (v1 type bits 11) from the server with a new SCID 0x0102030405060708.
  const std::vector<uint8_t> retry =
      hex_bytes("f0 00000001 04 aabbccdd 08 0102030405060708 746f6b656e 00112233445566778899aabbccddeeff");
  EXPECT_EQ(parser.feed_datagram(false, retry), Progress::need_more);
  EXPECT_EQ(parser.stats().retry_packets, 1u);

  testing::SealSpec again = spec;
  again.dcid = hex_bytes("0102030405060708");
  again.token = hex_bytes("746f6b656e");
  again.packet_number = 1;
  InitialSecrets retry_keys;
  ASSERT_TRUE(derive_initial_secrets(kVersion1, again.dcid, retry_keys));
  parser.feed_datagram(true, testing::seal_initial(again, retry_keys.client, testing::crypto_frame(0, hello)));
  testing::SealSpec server;
  server.dcid = spec.scid;
  server.scid = again.dcid;
  const std::vector<uint8_t> server_hello = testing::handshake_message(2, 90);
  EXPECT_EQ(parser.feed_datagram(false, testing::seal_initial(server, retry_keys.server,
                                                              testing::crypto_frame(0, server_hello))),
            Progress::done);
  EXPECT_EQ(parser.stats().decrypt_failures, 0u);
  EXPECT_EQ(parser.handshake_messages(false).size(), 1u);
}

TEST_F(QuicReassembly, HelloRetryRequestWaitsForTheSecondClientHello) {
  QuicInitialParser parser;
  parser.feed_datagram(true, client_packet(0, testing::crypto_frame(0, hello)));
  // A ServerHello body whose random is the HelloRetryRequest value.
  std::vector<uint8_t> hrr = testing::handshake_message(2, 60);
  const std::vector<uint8_t> magic =
      hex_bytes("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
  std::copy(magic.begin(), magic.end(), hrr.begin() + 6);
  testing::SealSpec server;
  server.dcid = spec.scid;
  server.scid = hex_bytes("5555");
  EXPECT_EQ(parser.feed_datagram(false, testing::seal_initial(server, keys.server, testing::crypto_frame(0, hrr))),
            Progress::need_more);
  const std::vector<uint8_t> second = testing::handshake_message(1, 200);
  EXPECT_EQ(parser.feed_datagram(true, client_packet(1, testing::crypto_frame(604, second))), Progress::done);
  ASSERT_EQ(parser.handshake_messages(true).size(), 2u);
  EXPECT_EQ(parser.handshake_messages(true)[1].length, 200u);
}

TEST(QuicInitialParser, FirstDatagramThatIsNotAnInitialIsNotQuic) {
  QuicInitialParser a;
  EXPECT_EQ(a.feed_datagram(true, hex_bytes("0102030405")), Progress::not_quic);
  EXPECT_EQ(a.feed_datagram(true, hex_bytes(rfc::kClientInitialV1)), Progress::not_quic);  // sticky

  std::vector<uint8_t> damaged = hex_bytes(rfc::kClientInitialV1);
  damaged[600] ^= 0x80;
  QuicInitialParser b;
  EXPECT_EQ(b.feed_datagram(true, damaged), Progress::not_quic);
  EXPECT_EQ(b.stats().decrypt_failures, 1u);

  QuicInitialParser c;  // a server datagram first gives no keys
  EXPECT_EQ(c.feed_datagram(false, hex_bytes(rfc::kServerInitialV1)), Progress::not_quic);
}

TEST(QuicInitialParser, VersionNegotiationIsCountedNotParsed) {
  QuicInitialParser parser;
  parser.feed_datagram(true, hex_bytes(rfc::kClientInitialV1));
  EXPECT_EQ(parser.feed_datagram(false, hex_bytes("80 00000000 00 08 8394c8f03e515708 6b3343cf 1a2a3a4a")),
            Progress::need_more);
  EXPECT_EQ(parser.stats().version_negotiation_packets, 1u);
}

TEST(QuicInitialParser, CountersAreNamedAndOnlyNonZero) {
  ParserStats s;
  s.retry_packets = 2;
  Counters counters;
  add_counters(s, counters);
  EXPECT_EQ(counters.get("quic.retry_packets"), 2u);
  EXPECT_EQ(counters.all().size(), 1u);
}

}  // namespace
}  // namespace c2hunt::quic
