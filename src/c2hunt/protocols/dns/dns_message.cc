// DNS message parsing (RFC 1035): header, first question, A/AAAA/CNAME answers.
#include "c2hunt/protocols/dns/dns_message.h"
#include "c2hunt/util/ascii.h"

namespace c2hunt::dns {

namespace {

constexpr size_t kHeaderLength = 12;
constexpr size_t kMinQuestionLength = 5;        // root name, type, class
constexpr size_t kMinResourceRecordLength = 11;  // root name, type, class, ttl, rdlength

struct Header {
  uint16_t id = 0, flags = 0, qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
};

Header read_header(ByteCursor& c) {
  Header h;
  h.id = c.read_u16();
  h.flags = c.read_u16();
  h.qdcount = c.read_u16();
  h.ancount = c.read_u16();
  h.nscount = c.read_u16();
  h.arcount = c.read_u16();
  return h;
}


}  // namespace

bool read_name(ByteView message, size_t offset, std::string& out, size_t& end) {
  out.clear();
  if (offset >= message.size()) return false;
  ByteCursor c(message.subspan(offset));
  size_t jumps = 0, labels = 0, wire_length = 1;  // the terminating zero byte
  bool jumped = false;
  for (;;) {
    const size_t at = message.size() - c.remaining();
    const uint8_t len = c.read_u8();
    if (!c.ok()) return false;
    if (len == 0) break;
    if ((len & 0xc0) == 0xc0) {
      const size_t target = static_cast<size_t>(len & 0x3f) << 8 | c.read_u8();
      if (!c.ok() || target >= at || ++jumps > kMaxCompressionJumps) return false;
      if (!jumped) end = at + 2;
      jumped = true;
      c = ByteCursor(message.subspan(target));
      continue;
    }
    if (len & 0xc0) return false;  // extended label types (RFC 6891) are not names
    const ByteView label = c.take(len);
    wire_length += 1 + len;
    if (!c.ok() || ++labels > kMaxLabels || wire_length > kMaxNameLength) return false;
    if (!out.empty()) out.push_back('.');
    for (uint8_t b : label) out.push_back(ascii_lower(static_cast<char>(b)));
  }
  if (!jumped) end = message.size() - c.remaining();
  return true;
}

bool parse_message(ByteView bytes, Message& out) {
  out = Message{};
  ByteCursor c(bytes);
  const Header h = read_header(c);
  if (!c.ok()) return false;
  out.id = h.id;
  out.is_response = h.flags & 0x8000;
  out.opcode = static_cast<uint8_t>((h.flags >> 11) & 0x0f);
  out.rcode = static_cast<uint8_t>(h.flags & 0x0f);

  size_t pos = kHeaderLength;
  std::string name;
  for (uint16_t q = 0; q < h.qdcount; ++q) {
    size_t end = 0;
    if (!read_name(bytes, pos, name, end)) return false;
    ByteCursor fixed(bytes.subspan(end));
    const uint16_t qtype = fixed.read_u16();
    fixed.read_u16();  // class
    if (!fixed.ok()) return false;
    if (q == 0) {
      out.query = name;
      out.qtype = qtype;
    }
    pos = end + 4;
  }

  for (uint16_t a = 0; a < h.ancount; ++a) {
    size_t end = 0;
    if (!read_name(bytes, pos, name, end)) {
      out.answers_truncated = true;
      break;
    }
    ByteCursor rr(bytes.subspan(end));
    const uint16_t type = rr.read_u16();
    rr.read_u16();  // class
    const uint32_t ttl = rr.read_u32();
    const uint16_t rdlength = rr.read_u16();
    const ByteView rdata = rr.take(rdlength);
    if (!rr.ok()) {
      out.answers_truncated = true;
      break;
    }
    const size_t rdata_offset = end + 10;
    pos = rdata_offset + rdlength;
    Answer answer;
    if (type == kTypeA && rdata.size() == 4) {
      answer.address = IpAddress::v4(rdata.data());
    } else if (type == kTypeAaaa && rdata.size() == 16) {
      answer.address = IpAddress::v6(rdata.data());
    } else if (type == kTypeCname) {
      size_t target_end = 0;
      if (!read_name(bytes, rdata_offset, answer.target, target_end) || target_end > pos) {
        out.answers_truncated = true;
        break;
      }
    } else {
      continue;  // other types (and A/AAAA of the wrong size) are skipped by rdlength
    }
    if (out.answers.size() >= kMaxAnswers) {
      out.answers_truncated = true;
      break;
    }
    answer.name = name;
    answer.type = type;
    answer.ttl = ttl;
    out.answers.push_back(std::move(answer));
  }
  return true;
}

bool looks_like_dns(ByteView bytes) {
  ByteCursor c(bytes);
  const Header h = read_header(c);
  if (!c.ok()) return false;
  const unsigned opcode = (h.flags >> 11) & 0x0f;
  if (h.qdcount < 1 || h.qdcount > 4 || opcode > 5) return false;
  const size_t records = size_t{h.ancount} + h.nscount + h.arcount;
  if (kHeaderLength + h.qdcount * kMinQuestionLength + records * kMinResourceRecordLength > bytes.size()) return false;
  std::string name;
  size_t end = 0;
  return read_name(bytes, kHeaderLength, name, end) && end + 4 <= bytes.size();
}

}  // namespace c2hunt::dns
