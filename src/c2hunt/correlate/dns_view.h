// What the DNS answers in the data say: which names resolved to which address, for which client and
// when. Used to name a channel that has no SNI, and for dest.no_dns (an address no answer produced).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "c2hunt/records/dns.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/ip_address.h"

namespace c2hunt::correlate {

struct DnsViewLimits {
  size_t max_addresses = 500'000;        // distinct resolved addresses remembered
  size_t max_names_per_address = 8;      // per (client, address) pair
};

class DnsView {
 public:
  explicit DnsView(Counters& counters, DnsViewLimits limits = {});

  void add(const records::DnsResolution& d);

  // The name `client` most recently resolved to `address` at or before `at` (else the earliest one
  // resolved after it: captures often cut the query off); nullopt when no answer for this client did.
  std::optional<std::string> name_for(const IpAddress& client, const IpAddress& address, TimeMicros at) const;
  // True when any answer in the data, for any client, resolved to `address`.
  bool resolved_by_anyone(const IpAddress& address) const;
  // True when the data held at least one DNS answer with an address (otherwise dest.no_dns cannot judge).
  bool has_answers() const { return answers_ > 0; }
  bool client_has_answers(const IpAddress& client) const { return clients_.count(client) > 0; }

 private:
  struct Resolution {
    TimeMicros time;
    std::string name;
  };
  struct PairHash {
    size_t operator()(const std::pair<IpAddress, IpAddress>& p) const noexcept {
      IpAddressHash h;
      return h(p.first) * 31 + h(p.second);
    }
  };
  DnsViewLimits limits_;
  uint64_t& dropped_;
  uint64_t answers_ = 0;
  std::unordered_map<std::pair<IpAddress, IpAddress>, std::vector<Resolution>, PairHash> by_pair_;
  std::unordered_map<IpAddress, uint32_t, IpAddressHash> by_address_;
  std::unordered_map<IpAddress, uint32_t, IpAddressHash> clients_;
};

}  // namespace c2hunt::correlate
