#include "c2hunt/correlate/dns_view.h"

namespace c2hunt::correlate {

DnsView::DnsView(Counters& counters, DnsViewLimits limits)
    : limits_(limits), dropped_(counters.counter("dns_view.dropped_answers")) {}

void DnsView::add(const records::DnsResolution& d) {
  if (d.addresses.empty()) return;
  for (const IpAddress& a : d.addresses) {
    if (by_address_.size() >= limits_.max_addresses && !by_address_.count(a)) {
      ++dropped_;
      continue;
    }
    ++answers_;
    ++by_address_[a];
    ++clients_[d.client];
    auto& names = by_pair_[{d.client, a}];
    bool known = false;
    for (auto& r : names)
      if (r.name == d.query) {
        known = true;
        if (d.time > r.time) r.time = d.time;
      }
    if (known) continue;
    if (names.size() >= limits_.max_names_per_address) {
      ++dropped_;
      continue;
    }
    names.push_back({d.time, d.query});
  }
}

std::optional<std::string> DnsView::name_for(const IpAddress& client, const IpAddress& address, TimeMicros at) const {
  auto it = by_pair_.find({client, address});
  if (it == by_pair_.end() || it->second.empty()) return std::nullopt;
  const Resolution* before = nullptr;
  const Resolution* after = nullptr;
  for (const auto& r : it->second) {
    if (r.time <= at) {
      if (!before || r.time > before->time || (r.time == before->time && r.name < before->name)) before = &r;
    } else if (!after || r.time < after->time || (r.time == after->time && r.name < after->name)) {
      after = &r;
    }
  }
  return before ? before->name : after->name;
}

bool DnsView::resolved_by_anyone(const IpAddress& address) const { return by_address_.count(address) > 0; }

}  // namespace c2hunt::correlate
