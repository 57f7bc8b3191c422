// dest.no_dns: a connection to a public address that no DNS answer in the data produced.
#include <fmt/format.h>

#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

void evaluate_dns(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  const char* id = "dest.no_dns";
  if (ch.destination_local || !ch.key.destination.valid() || ch.key.proxy.valid()) return;
  if (ch.key.destination.is_multicast_or_broadcast()) return;  // LLMNR, mDNS, SSDP: never resolved by DNS
  if (!ctx.dns || !ctx.dns->has_answers()) return out.skip(id, "no DNS answers in the data");
  if (ctx.dns->resolved_by_anyone(ch.key.destination)) return;
  // With an SNI host name the client did resolve it somehow (a cache, DoH): weaker.
  bool named = ch.key.name_origin == channels::NameOrigin::sni;
  out.fire(id, named ? 0.5 : 1.0,
           fmt::format("no DNS answer in the data resolved to {}{}", ch.key.destination.to_string(),
                       named ? " (the client sent SNI " + ch.key.name + ")" : ""));
}

}  // namespace c2hunt::signals
