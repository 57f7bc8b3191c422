#include "c2hunt/correlate/host_network_join.h"

#include <algorithm>
#include <cstdlib>

#include "c2hunt/util/community_id.h"

namespace c2hunt::correlate {
namespace {

records::Transport transport_of(const std::string& protocol) {
  if (protocol == "tcp") return records::Transport::tcp;
  if (protocol == "udp") return records::Transport::udp;
  if (protocol == "icmp") return records::Transport::icmp;
  return records::Transport::other;
}

TimeMicros median_of(std::vector<TimeMicros> v) {
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

TimeMicros abs_diff(TimeMicros a, TimeMicros b) { return a > b ? a - b : b - a; }

}  // namespace

size_t HostNetworkJoin::TupleHash::operator()(const TupleKey& k) const noexcept {
  IpAddressHash h;
  size_t x = h(k.orig_ip) * 31 + h(k.resp_ip);
  return x * 1000003 ^ (static_cast<size_t>(k.orig_port) << 17) ^ k.resp_port ^
         (static_cast<size_t>(k.transport) << 40);
}

std::optional<TimeMicros> HostNetworkJoin::OffsetEstimate::value() {
  if (samples.empty()) return std::nullopt;
  if (!cached) cached = median_of(samples);
  return cached;
}

HostNetworkJoin::HostNetworkJoin(Counters& counters, HostNetworkJoinOptions options,
                                 records::RecordConsumer* downstream)
    : options_(options),
      processes_(counters, options.processes),
      downstream_(downstream),
      next_id_(options.first_connection_id),
      host_connections_(counters.counter("join.host_connections")),
      network_connections_(counters.counter("join.network_connections")),
      joined_(counters.counter("join.joined")),
      unjoined_(counters.counter("join.network_unjoined")),
      ambiguous_(counters.counter("join.ambiguous_tuples")),
      rejected_outlier_(counters.counter("join.rejected_outlier")),
      outside_tolerance_(counters.counter("join.outside_tolerance")),
      host_index_full_(counters.counter("join.host_index_full")),
      no_estimate_(counters.counter("join.ambiguous_without_offset")) {}

HostNetworkJoin::TupleKey HostNetworkJoin::key_of(const records::HostConnection& h) {
  // Initiated=false: the host accepted the connection, so the remote side is the originator.
  if (h.initiated)
    return {transport_of(h.protocol), h.source_ip, h.destination_ip, h.source_port, h.destination_port};
  return {transport_of(h.protocol), h.destination_ip, h.source_ip, h.destination_port, h.source_port};
}

HostNetworkJoin::TupleKey HostNetworkJoin::key_of(const records::Connection& c) {
  return {c.transport, c.orig.ip, c.resp.ip, c.orig.port, c.resp.port};
}

uint32_t HostNetworkJoin::intern(std::map<std::string, uint32_t>& ids, std::vector<std::string>& names,
                                 const std::string& s) {
  auto [it, inserted] = ids.emplace(s, static_cast<uint32_t>(names.size()));
  if (inserted) names.push_back(s);
  return it->second;
}

HostNetworkJoin::OffsetEstimate& HostNetworkJoin::estimate(uint32_t host_source, uint32_t network_source) {
  return offsets_[{host_source, network_source}];
}

void HostNetworkJoin::on_host_connection(records::HostConnection&& h) {
  ++host_connections_;
  if (host_.size() >= options_.max_host_connections) {
    ++host_index_full_;
    return;
  }
  HostEntry entry;
  entry.host_source = intern(host_source_ids_, host_source_names_, h.source_file);
  entry.event = std::move(h);
  by_tuple_.emplace(key_of(entry.event), host_.size());
  host_.push_back(std::move(entry));
}

void HostNetworkJoin::fill(records::Connection& c, const records::HostConnection& h) const {
  c.process = processes_.process_for(h);
  c.lineage = processes_.lineage(*c.process);
}

void HostNetworkJoin::on_connection(records::Connection&& c) {
  attach(c);  // in place: a Connection is about 1 KB, and this runs once per network connection
  if (downstream_) downstream_->on_connection(std::move(c));
}

void HostNetworkJoin::attach(records::Connection& c) {
  ++network_connections_;
  if (host_.empty()) {
    ++unjoined_;
    return;
  }
  const uint32_t net = intern(network_source_ids_, network_source_names_,
                              c.input_file.empty() ? c.source : c.input_file);
  std::vector<size_t> candidates;
  size_t with_tuple = 0;  // host events with this tuple, joined or not
  auto collect = [&](const TupleKey& key) {
    auto [lo, hi] = by_tuple_.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
      const HostEntry& e = host_[it->second];
      ++with_tuple;
      if (std::find(e.joined_by.begin(), e.joined_by.end(), net) == e.joined_by.end())
        candidates.push_back(it->second);
    }
  };
  collect(key_of(c));
  if (candidates.empty()) {
    // A sensor that missed the first packet may have the direction backwards.
    TupleKey reversed = key_of(c);
    std::swap(reversed.orig_ip, reversed.resp_ip);
    std::swap(reversed.orig_port, reversed.resp_port);
    collect(reversed);
  }
  if (candidates.empty()) {
    ++unjoined_;
    return;
  }
  std::optional<size_t> chosen;
  if (with_tuple == 1) {
    // A unique 5-tuple (ephemeral source port) identifies the connection whatever the clocks say;
    // it is also what the offset estimate is learned from.
    HostEntry& e = host_[candidates.front()];
    OffsetEstimate& est = estimate(e.host_source, net);
    const TimeMicros d = c.first_seen - e.event.time;
    std::optional<TimeMicros> current = est.value();
    if (current && est.samples.size() >= options_.min_samples_for_estimate &&
        abs_diff(d, *current) > options_.outlier_limit) {
      ++rejected_outlier_;
      ++est.outliers;
      ++unjoined_;
      return;
    }
    if (est.samples.size() < options_.max_offset_samples) {
      est.samples.push_back(d);
      est.cached.reset();
    }
    chosen = candidates.front();
  } else {
    // Several host events share the tuple (a reused port): the closest offset-corrected time wins.
    ++ambiguous_;
    TimeMicros best = 0;
    bool any_estimate = false;
    for (size_t i : candidates) {
      HostEntry& e = host_[i];
      std::optional<TimeMicros> off = estimate(e.host_source, net).value();
      if (!off) continue;
      any_estimate = true;
      TimeMicros diff = abs_diff(c.first_seen, e.event.time + *off);
      if (diff <= options_.tolerance && (!chosen || diff < best)) {
        chosen = i;
        best = diff;
      }
    }
    if (!any_estimate) ++no_estimate_;
    else if (!chosen) ++outside_tolerance_;
  }
  if (!chosen) {
    ++unjoined_;
    return;
  }
  HostEntry& e = host_[*chosen];
  e.joined_by.push_back(net);
  fill(c, e.event);
  ++joined_;
}

records::Connection HostNetworkJoin::to_connection(const records::HostConnection& h) {
  records::Connection c;
  c.id = next_id_++;
  c.source = "sysmon";
  c.input_file = h.source_file;
  c.uid = "sysmon:" + std::to_string(h.record_number);
  c.transport = transport_of(h.protocol);
  if (h.initiated) {
    c.orig = {h.source_ip, h.source_port};
    c.resp = {h.destination_ip, h.destination_port};
  } else {
    c.orig = {h.destination_ip, h.destination_port};
    c.resp = {h.source_ip, h.source_port};
  }
  c.first_seen = c.last_seen = h.time;
  c.end_reason = records::EndReason::logged;
  if (c.orig.ip.valid() && c.resp.ip.valid() && c.transport != records::Transport::other)
    c.community_id = community_id_v1(c.orig.ip, c.orig.port, c.resp.ip, c.resp.port,
                                     static_cast<uint8_t>(c.transport));
  fill(c, h);
  return c;
}

std::vector<records::Connection> HostNetworkJoin::unmatched_host_connections() {
  std::vector<records::Connection> out;
  for (const HostEntry& e : host_)
    if (e.joined_by.empty()) out.push_back(to_connection(e.event));
  return out;
}

JoinSummary HostNetworkJoin::summary() const {
  JoinSummary s;
  s.host_connections = host_connections_;
  s.network_connections = network_connections_;
  s.joined = joined_;
  s.network_unjoined = unjoined_;
  for (const HostEntry& e : host_) s.host_unjoined += e.joined_by.empty();
  s.host_unjoined += host_index_full_;
  for (const auto& [pair, est] : offsets_) {
    if (est.samples.empty()) continue;
    JoinOffset o;
    o.host_source = host_source_names_[pair.first];
    o.network_source = network_source_names_[pair.second];
    // Final estimate: the median of the samples within outlier_limit of the overall median.
    const TimeMicros rough = median_of(est.samples);
    std::vector<TimeMicros> inliers;
    for (TimeMicros d : est.samples)
      if (abs_diff(d, rough) <= options_.outlier_limit) inliers.push_back(d);
    o.offset = median_of(inliers);
    o.samples = inliers.size();
    o.outliers = est.outliers + (est.samples.size() - inliers.size());
    s.offsets.push_back(std::move(o));
  }
  return s;
}

}  // namespace c2hunt::correlate
