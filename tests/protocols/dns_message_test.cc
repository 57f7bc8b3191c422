#include "c2hunt/protocols/dns/dns_message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/hex_bytes.h"

namespace c2hunt::dns {
namespace {

using testing::hex_bytes;

// Builds DNS messages by hand: names are written label by label, pointers as raw offsets.
struct MessageBuilder {
  std::vector<uint8_t> b;
  MessageBuilder(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns = 0, uint16_t ar = 0) {
    for (uint16_t v : {id, flags, qd, an, ns, ar}) u16(v);
  }
  MessageBuilder& u8(uint8_t v) { b.push_back(v); return *this; }
  MessageBuilder& u16(uint16_t v) { b.push_back(static_cast<uint8_t>(v >> 8)); b.push_back(static_cast<uint8_t>(v)); return *this; }
  MessageBuilder& u32(uint32_t v) { u16(static_cast<uint16_t>(v >> 16)); return u16(static_cast<uint16_t>(v)); }
  MessageBuilder& bytes(const std::vector<uint8_t>& v) { b.insert(b.end(), v.begin(), v.end()); return *this; }
  // "www.Example.COM" as labels, ending with the root label unless `then_pointer` is given.
  MessageBuilder& name(const std::string& dotted, int then_pointer = -1) {
    size_t start = 0;
    while (start < dotted.size()) {
      size_t dot = dotted.find('.', start);
      if (dot == std::string::npos) dot = dotted.size();
      u8(static_cast<uint8_t>(dot - start));
      for (size_t i = start; i < dot; ++i) u8(static_cast<uint8_t>(dotted[i]));
      start = dot + 1;
    }
    if (then_pointer >= 0) return pointer(static_cast<uint16_t>(then_pointer));
    return u8(0);
  }
  MessageBuilder& pointer(uint16_t offset) { return u16(static_cast<uint16_t>(0xc000 | offset)); }
  MessageBuilder& question(uint16_t type) { return u16(type).u16(1); }
  // type, class IN, ttl, rdata with its length
  MessageBuilder& rr(uint16_t type, uint32_t ttl, const std::vector<uint8_t>& rdata) {
    u16(type).u16(1).u32(ttl).u16(static_cast<uint16_t>(rdata.size()));
    return bytes(rdata);
  }
};

constexpr uint16_t kResponse = 0x8180;
constexpr size_t kQuestionName = 12;  // offset of the first question's name

TEST(DnsMessage, ParsesQueryHeaderAndQuestion) {
  MessageBuilder m(0xbeef, 0x0100, 1, 0);
  m.name("WWW.Example.COM").question(kTypeAaaa);
  Message msg;
  ASSERT_TRUE(parse_message(m.b, msg));
  EXPECT_EQ(msg.id, 0xbeef);
  EXPECT_FALSE(msg.is_response);
  EXPECT_EQ(msg.opcode, 0);
  EXPECT_EQ(msg.query, "www.example.com");
  EXPECT_EQ(msg.qtype, kTypeAaaa);
  EXPECT_TRUE(msg.answers.empty());
  EXPECT_TRUE(looks_like_dns(m.b));
}

TEST(DnsMessage, ParsesCompressedCnameChainAndAddresses) {
  MessageBuilder m(7, kResponse | 0x0003, 1, 4);  // rcode 3 only to check that it is read
  m.name("www.example.com").question(kTypeA);
  m.pointer(kQuestionName).rr(kTypeCname, 300, {});
  // CNAME rdata "edge" + pointer to "example.com" (offset 16), patched with its length below.
  const size_t cname_rdlength_at = m.b.size() - 2;
  const size_t cname_target = m.b.size();
  m.name("edge", kQuestionName + 4);
  m.b[cname_rdlength_at + 1] = static_cast<uint8_t>(m.b.size() - cname_target);
  m.pointer(static_cast<uint16_t>(cname_target)).rr(kTypeA, 60, {192, 0, 2, 7});
  m.pointer(static_cast<uint16_t>(cname_target)).rr(kTypeAaaa, 60, hex_bytes("20010db8000000000000000000000001"));
  m.pointer(static_cast<uint16_t>(cname_target)).rr(16, 60, hex_bytes("03 616263"));  // TXT: skipped

  Message msg;
  ASSERT_TRUE(parse_message(m.b, msg));
  EXPECT_TRUE(msg.is_response);
  EXPECT_EQ(msg.rcode, 3);
  ASSERT_EQ(msg.answers.size(), 3u);
  EXPECT_EQ(msg.answers[0].name, "www.example.com");
  EXPECT_EQ(msg.answers[0].type, kTypeCname);
  EXPECT_EQ(msg.answers[0].ttl, 300u);
  EXPECT_EQ(msg.answers[0].target, "edge.example.com");
  EXPECT_EQ(msg.answers[1].name, "edge.example.com");
  EXPECT_EQ(msg.answers[1].address.to_string(), "192.0.2.7");
  EXPECT_EQ(msg.answers[2].address.to_string(), "2001:db8::1");
  EXPECT_FALSE(msg.answers_truncated);
}

TEST(DnsMessage, PointerLoopIsRejected) {
  // Name at 12: label "a" then a pointer back to 12: every pass points backwards, only the jump cap ends it.
  MessageBuilder m(1, 0x0100, 1, 0);
  m.name("a", kQuestionName).question(kTypeA);
  Message msg;
  EXPECT_FALSE(parse_message(m.b, msg));
  EXPECT_FALSE(looks_like_dns(m.b));
}

TEST(DnsMessage, SelfAndForwardPointersAreRejected) {
  MessageBuilder self(1, 0x0100, 1, 0);
  self.pointer(kQuestionName).question(kTypeA);
  Message msg;
  EXPECT_FALSE(parse_message(self.b, msg));
  MessageBuilder forward(1, 0x0100, 1, 0);
  forward.pointer(kQuestionName + 2).name("x").question(kTypeA);
  EXPECT_FALSE(parse_message(forward.b, msg));
}

TEST(DnsMessage, PointerPastTheEndIsRejected) {
  MessageBuilder m(1, kResponse, 1, 1);
  m.name("example.org").question(kTypeA);
  m.pointer(0x3fff).rr(kTypeA, 1, {1, 2, 3, 4});
  Message msg;
  ASSERT_TRUE(parse_message(m.b, msg));  // the question is fine
  EXPECT_EQ(msg.query, "example.org");
  EXPECT_TRUE(msg.answers.empty());
  EXPECT_TRUE(msg.answers_truncated);
  std::string name;
  size_t end = 0;
  EXPECT_FALSE(read_name(m.b, m.b.size(), name, end));
}

TEST(DnsMessage, TruncatedAnswerKeepsEarlierAnswers) {
  MessageBuilder m(1, kResponse, 1, 2);
  m.name("example.org").question(kTypeA);
  m.pointer(kQuestionName).rr(kTypeA, 5, {10, 0, 0, 1});
  m.pointer(kQuestionName).rr(kTypeA, 5, {10, 0, 0, 2});
  m.b.resize(m.b.size() - 2);  // cut the second address
  Message msg;
  ASSERT_TRUE(parse_message(m.b, msg));
  ASSERT_EQ(msg.answers.size(), 1u);
  EXPECT_EQ(msg.answers[0].address.to_string(), "10.0.0.1");
  EXPECT_TRUE(msg.answers_truncated);
}

TEST(DnsMessage, WrongSizedAddressIsSkipped) {
  MessageBuilder m(1, kResponse, 1, 1);
  m.name("example.org").question(kTypeA);
  m.pointer(kQuestionName).rr(kTypeA, 5, {10, 0, 0});
  Message msg;
  ASSERT_TRUE(parse_message(m.b, msg));
  EXPECT_TRUE(msg.answers.empty());
  EXPECT_FALSE(msg.answers_truncated);
}

TEST(DnsMessage, CnameTargetMustStayInsideItsRdata) {
  MessageBuilder m(1, kResponse, 1, 1);
  m.name("example.org").question(kTypeA);
  m.pointer(kQuestionName).rr(kTypeCname, 5, {3, 'a', 'b', 'c'});  // no terminating label inside rdlength
  m.u8(0);
  Message msg;
  ASSERT_TRUE(parse_message(m.b, msg));
  EXPECT_TRUE(msg.answers.empty());
  EXPECT_TRUE(msg.answers_truncated);
}

TEST(DnsMessage, AnswersAreCappedAtTheLimit) {
  MessageBuilder m(1, kResponse, 1, 100);
  m.name("many.example").question(kTypeA);
  for (int i = 0; i < 100; ++i) m.pointer(kQuestionName).rr(kTypeA, 1, {10, 0, 0, static_cast<uint8_t>(i)});
  Message msg;
  ASSERT_TRUE(parse_message(m.b, msg));
  EXPECT_EQ(msg.answers.size(), kMaxAnswers);
  EXPECT_TRUE(msg.answers_truncated);
}

TEST(DnsMessage, NameLengthAndLabelLimits) {
  // 4 labels of 63 bytes = 256 bytes of wire format: one more than allowed.
  const std::string label(63, 'x');
  MessageBuilder m(1, 0x0100, 1, 0);
  m.name(label + "." + label + "." + label + "." + label).question(kTypeA);
  Message msg;
  EXPECT_FALSE(parse_message(m.b, msg));
  MessageBuilder ok(1, 0x0100, 1, 0);
  ok.name(label + "." + label + "." + label + "." + std::string(61, 'y')).question(kTypeA);
  ASSERT_TRUE(parse_message(ok.b, msg));
  EXPECT_EQ(msg.query.size(), 63u * 3 + 61 + 3);
  // Extended label type 0x40 is not a name.
  MessageBuilder ext(1, 0x0100, 1, 0);
  ext.u8(0x41).u8('a').u8(0).question(kTypeA);
  EXPECT_FALSE(parse_message(ext.b, msg));
}

TEST(DnsMessage, RootNameAndZeroQuestions) {
  MessageBuilder root(1, 0x0100, 1, 0);
  root.u8(0).question(2);
  Message msg;
  ASSERT_TRUE(parse_message(root.b, msg));
  EXPECT_EQ(msg.query, "");
  MessageBuilder none(1, kResponse, 0, 0);
  ASSERT_TRUE(parse_message(none.b, msg));
  EXPECT_FALSE(looks_like_dns(none.b));
}

TEST(DnsMessage, ShortOrHostileHeaders) {
  Message msg;
  EXPECT_FALSE(parse_message(hex_bytes("0001 0100 0001"), msg));
  EXPECT_FALSE(looks_like_dns(hex_bytes("0001 0100 0001")));
  MessageBuilder many(1, 0x0100, 0xffff, 0xffff);
  many.name("a").question(kTypeA);
  EXPECT_FALSE(parse_message(many.b, msg));  // 65535 questions do not fit
  EXPECT_FALSE(looks_like_dns(many.b));
  MessageBuilder opcode(1, 0x7800, 1, 0);  // opcode 15
  opcode.name("a").question(kTypeA);
  EXPECT_FALSE(looks_like_dns(opcode.b));
  MessageBuilder counts(1, kResponse, 1, 20);  // 20 answers cannot fit in what follows
  counts.name("a").question(kTypeA);
  EXPECT_FALSE(looks_like_dns(counts.b));
}

}  // namespace
}  // namespace c2hunt::dns
