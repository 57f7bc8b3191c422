// Feeds arbitrary bytes to the DNS message parser and the header sanity test.
#include <cstddef>
#include <cstdint>

#include "c2hunt/protocols/dns/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const c2hunt::ByteView bytes(data, size);
  c2hunt::dns::looks_like_dns(bytes);
  c2hunt::dns::Message message;
  if (c2hunt::dns::parse_message(bytes, message) && message.answers.size() > c2hunt::dns::kMaxAnswers) __builtin_trap();
  return 0;
}
