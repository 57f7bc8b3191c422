// Placeholder until the DNS parser lands.
#include "c2hunt/protocols/dns/dns_message.h"

namespace c2hunt::dns {

bool parse_message(ByteView, Message&) { return false; }
bool looks_like_dns(ByteView) { return false; }

}  // namespace c2hunt::dns
