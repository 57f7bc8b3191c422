#include "c2hunt/channels/channel_table.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "c2hunt/util/ascii.h"

namespace c2hunt::channels {
namespace {

// Process GUIDs listed per channel (each reconnecting beacon process adds one).
constexpr size_t kEntityIdsPerChannel = 16;

void add_certificate(Channel& ch, const records::ChainCertificate& presented, TimeMicros at, size_t cap) {
  const records::Certificate& cert = *presented;
  const std::string& id = cert.sha1.empty() ? cert.subject : cert.sha1;
  for (auto& seen : ch.certificates) {
    const std::string& sid = seen.certificate->sha1.empty() ? seen.certificate->subject : seen.certificate->sha1;
    if (sid == id) {
      ++seen.connections;
      seen.first_use = std::min(seen.first_use, at);
      return;
    }
  }
  if (ch.certificates.size() >= cap) return;
  ch.certificates.push_back({presented.facts, at, 1});
}

}  // namespace

const char* name_origin_text(NameOrigin o) {
  switch (o) {
    case NameOrigin::sni: return "sni";
    case NameOrigin::connect: return "connect";
    case NameOrigin::dns: return "dns";
    default: return "none";
  }
}

std::string ChannelKey::to_string() const {
  std::string dest = destination.valid() ? destination.to_string() : std::string("?");
  std::string target = name.empty() ? dest : fmt::format("{}[{}]", name, dest);
  std::string via = proxy.valid() ? fmt::format(" via proxy {}", proxy.to_string()) : std::string();
  std::string proc = process.empty() ? std::string() : fmt::format(" ({})", process);
  return fmt::format("{}{} -> {}:{}/{}{}", source.to_string(), proc, target, port, records::transport_name(transport), via);
}

bool connection_failed(const records::Connection& c) {
  using namespace std::string_view_literals;
  // Several calls per connection: compared as views (length first), not through strlen and memcmp.
  const std::string_view state = c.conn_state;
  if (state == "S0"sv || state == "REJ"sv || state == "RSTOS0"sv || state == "SH"sv || state == "SHR"sv ||
      state == "RSTRH"sv)
    return true;
  if (c.resp_stats.packets != 0) return false;
  if (state == "OTH"sv) return true;
  return (c.transport == records::Transport::tcp || c.transport == records::Transport::udp) &&
         c.resp_stats.payload_bytes == 0;
}

size_t ChannelKeyHash::operator()(const ChannelKey& k) const noexcept {
  IpAddressHash ip;
  size_t h = ip(k.source);
  auto mix = [&h](size_t v) { h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2); };
  mix(ip(k.destination));
  mix(std::hash<std::string>{}(k.name));
  if (!k.process.empty()) mix(std::hash<std::string>{}(k.process));
  mix((size_t(k.port) << 16) | (size_t(k.transport) << 8) | size_t(k.name_origin));
  if (k.proxy.valid()) mix(ip(k.proxy));
  return h;
}

ChannelKey key_for(const records::Connection& c) {
  ChannelKey k;
  k.source = c.orig.ip;
  if (c.process) k.process = c.process->executable;
  k.destination = c.resp.ip;
  k.port = c.resp.port;
  k.transport = c.transport;
  if (c.connect_host && !c.connect_host->empty()) {
    // The proxy only relays: the channel is to the CONNECT target.
    k.proxy = c.resp.ip;
    k.port = c.connect_port.value_or(443);
    if (auto ip = IpAddress::parse(*c.connect_host)) {
      k.destination = *ip;
    } else {
      k.destination = IpAddress{};
      k.name = *c.connect_host;
      lower_ascii_in_place(k.name);
      k.name_origin = NameOrigin::connect;
    }
    return k;
  }
  if (c.tls) {
    if (const auto* ch = c.tls->client_hello(); ch && ch->has_sni_extension && !ch->server_name.empty() &&
                                                !IpAddress::parse(ch->server_name)) {
      k.name = ch->server_name;
      lower_ascii_in_place(k.name);
      k.name_origin = NameOrigin::sni;
    }
  }
  return k;
}

ChannelTable::ChannelTable(ChannelLimits limits, Counters& counters)
    : limits_(limits),
      dropped_(counters.counter("channels.dropped_connections_over_cap")),
      samples_capped_(counters.counter("channels.samples_not_kept")),
      created_(counters.counter("channels.created")),
      entity_ids_capped_(counters.counter("channels.process_entity_ids_not_kept")),
      texts_not_pooled_(counters.counter("channels.texts_not_pooled")) {
  // Channel::samples_taken is 32-bit (the config allows at most 1e6).
  limits_.samples_per_channel = std::min<size_t>(limits_.samples_per_channel, UINT32_MAX);
}

const std::string* ChannelTable::pooled(std::string_view text) {
  if (auto it = texts_.find(text); it != texts_.end()) return &*it;
  if (texts_.size() >= kMaxPooledTexts) {
    ++texts_not_pooled_;
    return nullptr;
  }
  return &*texts_.emplace(text).first;
}

void ChannelTable::remember(TextList& values, const std::string& v, size_t cap) {
  if (v.empty() || values.size() >= cap || values.contains(v)) return;
  if (const std::string* text = pooled(v)) values.push_back(text);
}

namespace {
uint32_t tag_of(const ChannelKey& k) { return FlatPositionIndex::tag_of(ChannelKeyHash{}(k)); }
}  // namespace

Channel* ChannelTable::find(const ChannelKey& key, uint32_t tag) const {
  auto position = index_.find(tag, [&](uint32_t p) { return channels_[p].key == key; });
  return position ? const_cast<Channel*>(&channels_[*position]) : nullptr;
}

void ChannelTable::rebuild_index() {
  index_.clear();
  for (size_t p = 0; p < channels_.size(); ++p) index_.insert(static_cast<uint32_t>(p), tag_of(channels_[p].key), p + 1);
}

std::vector<const Channel*> ChannelTable::sorted() const {
  std::vector<const Channel*> out;
  out.reserve(channels_.size());
  for (const auto& ch : channels_) out.push_back(&ch);
  std::sort(out.begin(), out.end(), [](const Channel* a, const Channel* b) { return a->key < b->key; });
  return out;
}

Channel* ChannelTable::add(const records::Connection& c) {
  ChannelKey key = key_for(c);
  const uint32_t tag = tag_of(key);
  Channel* found = find(key, tag);
  if (!found) {
    if (channels_.size() >= limits_.max_channels) {
      ++dropped_;
      return nullptr;
    }
    ++created_;
    Channel& fresh = channels_.emplace_back();
    fresh.key = std::move(key);
    fresh.first_seen = c.first_seen;
    fresh.last_seen = c.last_seen;
    auto input = input_files_.find(c.input_file);
    if (input == input_files_.end()) input = input_files_.insert(c.input_file).first;
    fresh.input_file = *input;
    index_.insert(static_cast<uint32_t>(channels_.size() - 1), tag, channels_.size());
    found = &fresh;
  }
  Channel& ch = *found;
  ch.first_seen = std::min(ch.first_seen, c.first_seen);
  ch.last_seen = std::max(ch.last_seen, c.last_seen);
  ++ch.connections;
  bool failed = connection_failed(c);
  ++(failed ? ch.failed : ch.successful);
  ch.orig_bytes += c.orig_stats.payload_bytes;
  ch.resp_bytes += c.resp_stats.payload_bytes;
  ch.max_duration = std::max(ch.max_duration, c.duration());
  ch.total_duration += c.duration();
  if (ch.samples_taken < limits_.samples_per_channel) {
    ++ch.samples_taken;
    if (!failed) ch.samples.push_back({c.first_seen, c.orig_stats.payload_bytes, c.resp_stats.payload_bytes});
  } else {
    ++samples_capped_;
  }
  if (ch.sample_ids.size() < limits_.sample_connection_ids) {
    // The smallest heap block holds 3 ids; then straight to the cap instead of doubling.
    if (ch.sample_ids.size() == ch.sample_ids.capacity())
      ch.sample_ids.reserve(ch.sample_ids.empty() ? std::min<size_t>(3, limits_.sample_connection_ids)
                                                  : limits_.sample_connection_ids);
    ch.sample_ids.push_back(c.id);
  }

  if (c.tls) {
    ++ch.tls_connections;
    if (uint16_t v = c.tls->negotiated_version()) ch.tls_version = v;
    if (const auto* hello = c.tls->client_hello()) {
      if (hello->has_sni_extension && ch.server_name != hello->server_name) {
        if (hello->server_name.empty())
          ch.server_name = {};
        else if (const std::string* text = pooled(hello->server_name))
          ch.server_name = *text;
      }
      remember(ch.ja3, hello->ja3, limits_.fingerprints_per_channel);
      remember(ch.ja4, hello->ja4, limits_.fingerprints_per_channel);
    }
    if (const auto* server = c.tls->server_hello()) {
      remember(ch.ja3s, server->ja3s, limits_.fingerprints_per_channel);
      remember(ch.ja4s, server->ja4s, limits_.fingerprints_per_channel);
    }
    if (!c.tls->certificates.empty())
      add_certificate(ch, c.tls->certificates.front(), c.first_seen, limits_.certificates_per_channel);
  }
  if (c.process) {
    // Meterpreter-style migration makes a new process take over a channel: the alert names the latest.
    if (!ch.process || c.first_seen >= ch.process_seen) {
      ch.process = std::make_shared<const records::Process>(*c.process);
      ch.lineage = c.lineage;
      ch.process_seen = c.first_seen;
    }
    const std::string& id = c.process->entity_id;
    auto& ids = ch.process_entity_ids;
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) {
      if (ids.size() < kEntityIdsPerChannel)
        ids.push_back(id);
      else
        ++entity_ids_capped_;
    }
  }
  return &ch;
}

void ChannelTable::name_from_dns(const correlate::DnsView& dns) {
  bool renamed = false;
  for (Channel& ch : channels_) {
    const ChannelKey& k = ch.key;
    if (k.name_origin != NameOrigin::none || !k.destination.valid()) continue;
    std::optional<std::string> name = dns.name_for(k.source, k.destination, ch.first_seen);
    if (!name) continue;
    // A renamed key cannot collide with an existing one: name_origin dns exists only after renaming.
    ch.key.name = std::move(*name);
    ch.key.name_origin = NameOrigin::dns;
    renamed = true;
  }
  if (renamed) rebuild_index();
}

}  // namespace c2hunt::channels
