#include "c2hunt/sources/zeek/zeek_source.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <vector>

#include "c2hunt/sources/zeek/line_reader.h"
#include "c2hunt/sources/zeek/tls_names.h"
#include "c2hunt/sources/zeek/zeek_log.h"
#include "c2hunt/util/flat_position_index.h"
#include "c2hunt/util/string_map.h"

namespace c2hunt::zeek {
namespace {

// A Zeek uid (or any id up to 31 bytes) as an inline key: no heap string per pending row, and a
// cheap hash, because the ssl map is the hottest structure of a large join.
struct UidKey {
  std::array<uint64_t, 4> words{};
  static std::optional<UidKey> from(std::string_view s) {
    if (s.size() > 31) return std::nullopt;
    UidKey k;
    std::memcpy(k.words.data(), s.data(), s.size());
    reinterpret_cast<unsigned char*>(k.words.data())[31] = static_cast<unsigned char>(s.size());
    return k;
  }
  std::string_view view() const {
    const char* p = reinterpret_cast<const char*>(words.data());
    return std::string_view(p, static_cast<unsigned char>(p[31]));
  }
  bool operator==(const UidKey&) const = default;
};
// Deliberately not noexcept: libstdc++ then caches the hash in each node, so walking a bucket
// compares cached hashes instead of rehashing every key it passes.
struct UidKeyHash {
  size_t operator()(const UidKey& k) const {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (uint64_t w : k.words) h = (h ^ w) * 0xff51afd7ed558ccdULL;
    return static_cast<size_t>(h ^ (h >> 32));
  }
};

// Interned text shared by many pending ssl rows (SNI, JA3, subject, certificate chain, ...).
class StringPool {
 public:
  explicit StringPool(size_t cap) : cap_(cap) { values_.emplace_back(); }
  // 0 for empty text; kFull when the pool is at its cap.
  static constexpr uint32_t kFull = UINT32_MAX;
  uint32_t intern(std::string_view s) {
    if (s.empty()) return 0;
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    if (values_.size() > cap_) return kFull;
    values_.emplace_back(s);
    uint32_t id = static_cast<uint32_t>(values_.size() - 1);
    index_.emplace(values_.back(), id);
    return id;
  }
  std::string_view get(uint32_t id) const { return id == kFull || id >= values_.size() ? std::string_view() : values_[id]; }
  void clear() {
    index_.clear();
    values_.resize(1);
  }

 private:
  size_t cap_;
  std::deque<std::string> values_;  // stable addresses: index_ keys view into them
  std::unordered_map<std::string_view, uint32_t> index_;
};

// An ssl.log row waiting for its conn row: compact, with repeated text interned.
struct PendingTls {
  records::Endpoint orig, resp;
  TimeMicros ts = 0;
  uint32_t file = 0;
  uint32_t server_name = 0, ja3 = 0, ja3s = 0, ja4 = 0, ja4s = 0, alpn = 0, subject = 0, issuer = 0, sha1 = 0;
  uint32_t chain_fps = 0;        // interned "fp,fp,..." (Zeek 6+)
  std::string chain_fuids;       // "F1,F2,..." (older Zeek): unique per session, not interned
  // The same for the client's chain (mutual TLS): rare, so held apart and every pending row (a
  // day's worth wait in memory) stays as small as without it.
  struct ClientChain {
    uint32_t fps = 0;
    std::string fuids;
  };
  std::unique_ptr<ClientChain> client_chain;
  std::optional<uint16_t> version, cipher;
  std::optional<bool> established, resumed;
  bool client_hello_seen = false, server_hello_seen = false;
  bool sni_present = false;
};

// The pending ssl rows of a rotation by uid: entries in arrival order plus an open-addressing index
// (8 bytes a slot: 32-bit hash tag and entry number). A lookup is about one cache miss, where a
// node-based map chased a bucket and a node per probe and allocated per row.
class PendingSsl {
 public:
  struct Entry {
    UidKey uid;
    PendingTls tls;
    bool claimed = false;  // joined to its conn row (kept so the index needs no deletion)
  };

  size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  void reserve(size_t rows) {
    entries_.reserve(rows);
    index_.reserve(rows);
  }
  // The unclaimed entry of the uid, or nullptr.
  Entry* find(const UidKey& uid) {
    Entry* e = lookup(uid, hash_of(uid));
    return e && !e->claimed ? e : nullptr;
  }
  // False (and nothing changes) when an unclaimed row of the uid is pending.
  bool insert(const UidKey& uid, PendingTls&& tls) {
    uint32_t h = hash_of(uid);
    if (Entry* e = lookup(uid, h)) {
      if (!e->claimed) return false;
      e->tls = std::move(tls);
      e->claimed = false;
      ++live_;
      return true;
    }
    entries_.push_back({uid, std::move(tls), false});
    index_.insert(static_cast<uint32_t>(entries_.size() - 1), h, entries_.size());
    ++live_;
    return true;
  }
  // Invalidates every Entry pointer (claimed rows are compacted away as they accumulate: a join
  // across rotations keeps only the unclaimed rows).
  void claim(Entry& e) {
    e.claimed = true;
    e.tls.chain_fuids = std::string();
    e.tls.client_chain.reset();
    --live_;
    if (live_ == 0) {
      clear();
    } else if (entries_.size() >= 4096 && live_ < entries_.size() / 4) {
      std::erase_if(entries_, [](const Entry& x) { return x.claimed; });
      index_.clear();
      for (size_t i = 0; i < entries_.size(); ++i)
        index_.insert(static_cast<uint32_t>(i), hash_of(entries_[i].uid), i + 1);
    }
  }
  template <typename F>
  void for_each_pending(F&& f) {
    for (auto& e : entries_)
      if (!e.claimed) f(e);
  }
  // Releases the memory too: the next rotation reserves its own, and the scan after the last
  // rotation gets it back.
  void clear() {
    std::vector<Entry>().swap(entries_);
    index_.release();
    live_ = 0;
  }

 private:
  static uint32_t hash_of(const UidKey& uid) { return FlatPositionIndex::tag_of(UidKeyHash{}(uid)); }
  Entry* lookup(const UidKey& uid, uint32_t h) {
    auto position = index_.find(h, [&](uint32_t p) { return entries_[p].uid == uid; });
    return position ? &entries_[*position] : nullptr;
  }

  std::vector<Entry> entries_;
  FlatPositionIndex index_{50};
  size_t live_ = 0;
};

std::string lower_name(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

records::AppProtocol app_protocol_from_service(std::string_view service) {
  records::AppProtocol found = records::AppProtocol::unknown;
  size_t start = 0;
  while (start < service.size()) {
    size_t end = service.find(',', start);
    if (end == std::string_view::npos) end = service.size();
    std::string_view s = service.substr(start, end - start);
    records::AppProtocol p = records::AppProtocol::other_known;
    if (s == "ssl" || s == "tls") return records::AppProtocol::tls;
    if (s == "quic") p = records::AppProtocol::quic;
    else if (s == "http") p = records::AppProtocol::http;
    else if (s == "ssh") p = records::AppProtocol::ssh;
    else if (s == "dns") p = records::AppProtocol::dns;
    else if (s == "smb") p = records::AppProtocol::smb;
    else if (s == "rdp") p = records::AppProtocol::rdp;
    if (found == records::AppProtocol::unknown || found == records::AppProtocol::other_known) found = p;
    start = end + 1;
  }
  return found;
}

uint8_t rcode_value(uint64_t v) { return v > 255 ? 255 : static_cast<uint8_t>(v); }

}  // namespace

struct ZeekSource::Impl {
  Impl(records::RecordConsumer& c, Counters& n, Diagnostics& d, ZeekOptions o)
      : consumer(c), counters(n), diagnostics(d), options(o), pool(o.max_pooled_strings) {}

  records::RecordConsumer& consumer;
  Counters& counters;
  Diagnostics& diagnostics;
  ZeekOptions options;
  StringPool pool;

  std::vector<std::string> files;                       // every file read, by index
  std::vector<std::string> pending_conn_files;
  std::vector<std::pair<std::string, std::string>> pending_conn_texts;
  PendingSsl ssl;
  StringMap<std::shared_ptr<const records::Certificate>> certs_by_fp, certs_by_fuid;  // one description, both keys
  uint64_t next_id = 0;
  bool ssl_cap_reported = false, cert_cap_reported = false, pool_reported = false;

  uint64_t& lines = counters.counter("zeek.lines");
  uint64_t& malformed = counters.counter("zeek.lines_malformed");
  uint64_t& skipped_bad_header = counters.counter("zeek.lines_skipped_bad_header");
  uint64_t& other_lines = counters.counter("zeek.lines_other_log");
  uint64_t& conn_rows = counters.counter("zeek.conn_rows");
  uint64_t& ssl_rows = counters.counter("zeek.ssl_rows");
  uint64_t& x509_rows = counters.counter("zeek.x509_rows");
  uint64_t& dns_rows = counters.counter("zeek.dns_rows");
  uint64_t& joined = counters.counter("zeek.ssl_joined_to_conn");
  uint64_t& ssl_only = counters.counter("zeek.ssl_without_conn");
  uint64_t& ssl_cap_dropped = counters.counter("zeek.ssl_dropped_pending_cap");
  uint64_t& ssl_duplicate = counters.counter("zeek.ssl_duplicate_uid");
  uint64_t& cert_cap_dropped = counters.counter("zeek.x509_dropped_pending_cap");
  uint64_t& cert_not_found = counters.counter("zeek.ssl_certificate_not_in_x509");
  uint64_t& cert_unreferenced = counters.counter("zeek.x509_unreferenced");
  uint64_t& unknown_cipher = counters.counter("zeek.ssl_unknown_cipher_name");
  uint64_t& unknown_version = counters.counter("zeek.ssl_unknown_version_name");
  uint64_t& pool_full = counters.counter("zeek.string_pool_full");
  uint64_t& dns_no_query = counters.counter("zeek.dns_rows_without_query");
  uint64_t& files_damaged = counters.counter("zeek.files_damaged");
  uint64_t& files_read = counters.counter("zeek.files_read");

  uint32_t intern(std::string_view s) {
    uint32_t id = pool.intern(s);
    if (id == StringPool::kFull) {
      ++pool_full;
      if (!pool_reported) {
        pool_reported = true;
        diagnostics.warning("zeek", "ssl.log", "string pool cap reached: some TLS text of pending rows is dropped");
      }
    }
    return id;
  }

  bool read_one(const std::string& name, const std::string* text, bool conn_phase);
  bool read_directory(const std::string& dir);
  std::string handle_row(LogKind kind, const Row& row, uint32_t file);
  std::string handle_conn(const Row& row, uint32_t file);
  std::string handle_ssl(const Row& row, uint32_t file);
  std::string handle_x509(const Row& row);
  std::string handle_dns(const Row& row);
  records::TlsSession make_tls(const PendingTls& p);
  void run_conn_phase();
};

// ---- rows ----

std::string ZeekSource::Impl::handle_row(LogKind kind, const Row& row, uint32_t file) {
  switch (kind) {
    case LogKind::conn: return handle_conn(row, file);
    case LogKind::ssl: return handle_ssl(row, file);
    case LogKind::x509: return handle_x509(row);
    case LogKind::dns: return handle_dns(row);
    default: return {};
  }
}

namespace {
// Reads the 5-tuple columns shared by conn.log and ssl.log (same field order in both enums).
std::string read_endpoints(const Row& row, int orig_h, records::Endpoint& orig, records::Endpoint& resp) {
  auto oh = parse_address(row.text(orig_h));
  auto op = parse_port(row.text(orig_h + 1));
  auto rh = parse_address(row.text(orig_h + 2));
  auto rp = parse_port(row.text(orig_h + 3));
  if (!row.has(orig_h) || !oh) return "bad or missing id.orig_h";
  if (!row.has(orig_h + 1) || !op) return "bad or missing id.orig_p";
  if (!row.has(orig_h + 2) || !rh) return "bad or missing id.resp_h";
  if (!row.has(orig_h + 3) || !rp) return "bad or missing id.resp_p";
  orig = {*oh, *op};
  resp = {*rh, *rp};
  return {};
}
}  // namespace

std::string ZeekSource::Impl::handle_conn(const Row& row, uint32_t file) {
  using namespace conn_field;
  records::Connection c;
  auto t = row.has(ts) ? parse_time(row.text(ts)) : std::nullopt;
  if (!t) return "bad or missing ts";
  if (!row.has(uid) || row.text(uid).empty()) return "missing uid";
  if (std::string e = read_endpoints(row, orig_h, c.orig, c.resp); !e.empty()) return e;
  std::string_view p = row.text(proto);
  c.transport = p == "tcp"    ? records::Transport::tcp
                : p == "udp"  ? records::Transport::udp
                : p == "icmp" ? records::Transport::icmp
                              : records::Transport::other;
  c.first_seen = c.last_seen = *t;
  if (row.has(duration)) {
    auto d = parse_interval(row.text(duration));
    if (!d) return "bad duration";
    c.last_seen = *t + *d;
  }
  struct CountField {
    int f;
    uint64_t* out;
  };
  const CountField counts[] = {{orig_bytes, &c.orig_stats.payload_bytes}, {resp_bytes, &c.resp_stats.payload_bytes},
                               {orig_pkts, &c.orig_stats.packets},        {resp_pkts, &c.resp_stats.packets},
                               {orig_ip_bytes, &c.orig_stats.ip_bytes},   {resp_ip_bytes, &c.resp_stats.ip_bytes}};
  for (const auto& cf : counts) {
    if (!row.has(cf.f)) continue;
    auto v = parse_count(row.text(cf.f));
    if (!v) return "bad " + std::string(field_name(LogKind::conn, cf.f));
    *cf.out = *v;
  }
  if (row.has(vlan)) {
    auto v = parse_count(row.text(vlan));
    if (v && *v < 4096) c.vlan = static_cast<uint16_t>(*v);
  }
  if (row.has(conn_state)) c.conn_state = row.text(conn_state);
  if (row.has(history)) c.history = row.text(history);
  if (row.has(community_id)) c.community_id = row.text(community_id);
  if (row.has(service)) c.app_protocol = app_protocol_from_service(row.text(service));
  c.uid = row.text(uid);
  c.source = "zeek";
  c.input_file = files[file];
  c.end_reason = records::EndReason::logged;
  c.id = ++next_id;
  ++conn_rows;
  auto key = UidKey::from(c.uid);
  if (!ssl.empty() && key) {
    if (auto* pending = ssl.find(*key)) {
      c.tls = make_tls(pending->tls);
      c.app_protocol = records::AppProtocol::tls;
      ssl.claim(*pending);
      ++joined;
    }
  }
  consumer.on_connection(std::move(c));
  return {};
}

std::string ZeekSource::Impl::handle_ssl(const Row& row, uint32_t file) {
  using namespace ssl_field;
  PendingTls p;
  auto t = row.has(ts) ? parse_time(row.text(ts)) : std::nullopt;
  if (!t) return "bad or missing ts";
  if (!row.has(uid) || row.text(uid).empty()) return "missing uid";
  if (std::string e = read_endpoints(row, orig_h, p.orig, p.resp); !e.empty()) return e;
  p.ts = *t;
  p.file = file;
  if (row.has(version)) {
    p.version = logs::tls_version_from_name(row.text(version));
    if (!p.version) ++unknown_version;
  }
  if (row.has(cipher)) {
    p.cipher = logs::cipher_suite_from_name(row.text(cipher));
    if (!p.cipher) ++unknown_cipher;
  }
  if (row.has(resumed)) p.resumed = parse_bool(row.text(resumed));
  if (row.has(established)) p.established = parse_bool(row.text(established));
  p.sni_present = row.has(server_name) && !row.text(server_name).empty();
  if (p.sni_present) p.server_name = intern(row.text(server_name));
  if (row.has(ja3)) p.ja3 = intern(row.text(ja3));
  if (row.has(ja3s)) p.ja3s = intern(row.text(ja3s));
  if (row.has(ja4)) p.ja4 = intern(row.text(ja4));
  if (row.has(ja4s)) p.ja4s = intern(row.text(ja4s));
  if (row.has(next_protocol)) p.alpn = intern(row.text(next_protocol));
  if (row.has(subject)) p.subject = intern(row.text(subject));
  if (row.has(issuer)) p.issuer = intern(row.text(issuer));
  if (row.has(resp_certificate_sha1)) p.sha1 = intern(logs::normalise_hex(row.text(resp_certificate_sha1)));
  if (row.has(ssl_history)) {
    // Zeek writes client-sent messages in upper case: C = ClientHello, s = ServerHello.
    std::string_view h = row.text(ssl_history);
    p.client_hello_seen = h.find('C') != std::string_view::npos;
    p.server_hello_seen = h.find('s') != std::string_view::npos;
  } else {
    p.client_hello_seen = p.sni_present || p.ja3 || p.ja4;
    p.server_hello_seen = p.version || p.cipher || p.ja3s;
  }
  auto join = [&](int f) {
    std::string out;
    if (row.item_count(f) == 1) return std::string(row.item(f, 0));
    for (size_t i = 0; i < row.item_count(f); ++i) {
      if (i) out.push_back(',');
      out += row.item(f, i);
    }
    return out;
  };
  if (row.item_count(cert_chain_fps)) p.chain_fps = intern(join(cert_chain_fps));
  if (row.item_count(cert_chain_fuids)) p.chain_fuids = join(cert_chain_fuids);
  if (row.item_count(client_cert_chain_fps) || row.item_count(client_cert_chain_fuids)) {
    p.client_chain = std::make_unique<PendingTls::ClientChain>();
    if (row.item_count(client_cert_chain_fps)) p.client_chain->fps = intern(join(client_cert_chain_fps));
    if (row.item_count(client_cert_chain_fuids)) p.client_chain->fuids = join(client_cert_chain_fuids);
  }
  ++ssl_rows;
  auto key = UidKey::from(row.text(uid));
  if (!key) return "uid longer than 31 bytes";
  if (ssl.size() >= options.max_pending_ssl && !ssl.find(*key)) {
    ++ssl_cap_dropped;
    if (!ssl_cap_reported) {
      ssl_cap_reported = true;
      diagnostics.warning(files[file], "ssl.log", "pending ssl row cap reached (" +
                                                      std::to_string(options.max_pending_ssl) +
                                                      "): further ssl rows are not joined");
    }
    return {};
  }
  if (!ssl.insert(*key, std::move(p)))
    ++ssl_duplicate;  // a second TLS session on one connection (STARTTLS, renegotiation): the first is kept
  return {};
}

std::string ZeekSource::Impl::handle_x509(const Row& row) {
  using namespace x509_field;
  records::Certificate c;
  if (!row.has(ts) || !parse_time(row.text(ts))) return "bad or missing ts";
  if (row.has(fingerprint)) {
    std::string fp = logs::normalise_hex(row.text(fingerprint));
    if (fp.size() == 64) c.sha256 = fp;
    else if (fp.size() == 40) c.sha1 = fp;
  }
  if (row.has(version)) {
    auto v = parse_count(row.text(version));
    if (v && *v <= 3) c.version = static_cast<int>(*v);
  }
  if (row.has(serial)) c.serial_hex = row.text(serial);
  if (row.has(subject)) {
    c.subject = row.text(subject);
    c.subject_cn = logs::first_common_name(c.subject);
  }
  if (row.has(issuer)) c.issuer = row.text(issuer);
  if (row.has(not_before)) c.not_before = parse_time(row.text(not_before));
  if (row.has(not_after)) c.not_after = parse_time(row.text(not_after));
  if (c.not_before && c.not_after)
    c.validity_days = static_cast<double>(*c.not_after - *c.not_before) / (86400.0 * kMicrosPerSecond);
  if (row.has(key_type)) c.key_type = row.text(key_type);
  if (row.has(key_length)) {
    auto v = parse_count(row.text(key_length));
    if (v && *v < 1'000'000) c.key_bits = static_cast<int>(*v);
  }
  if (row.has(sig_alg)) c.signature_algorithm = row.text(sig_alg);
  if (row.has(is_ca)) c.is_ca = parse_bool(row.text(is_ca));
  for (size_t i = 0; i < row.item_count(san_dns); ++i) c.san_dns.emplace_back(row.item(san_dns, i));
  for (size_t i = 0; i < row.item_count(san_ip); ++i) c.san_ip.emplace_back(row.item(san_ip, i));
  if (row.has(ja4x)) c.ja4x = row.text(ja4x);
  ++x509_rows;
  std::string fp_key = row.has(fingerprint) ? logs::normalise_hex(row.text(fingerprint)) : std::string();
  std::string_view id_key = row.has(id) ? row.text(id) : std::string_view();
  if (certs_by_fp.size() + certs_by_fuid.size() >= options.max_certificates) {
    ++cert_cap_dropped;
    if (!cert_cap_reported) {
      cert_cap_reported = true;
      diagnostics.warning("zeek", "x509.log", "certificate cap reached (" + std::to_string(options.max_certificates) +
                                                  "): further certificates are not joined");
    }
    return {};
  }
  auto facts = std::make_shared<const records::Certificate>(std::move(c));
  if (!id_key.empty()) certs_by_fuid.emplace(std::string(id_key), facts);
  if (!fp_key.empty()) certs_by_fp.emplace(std::move(fp_key), std::move(facts));
  return {};
}

std::string ZeekSource::Impl::handle_dns(const Row& row) {
  using namespace dns_field;
  records::DnsResolution d;
  auto t = row.has(ts) ? parse_time(row.text(ts)) : std::nullopt;
  if (!t) return "bad or missing ts";
  auto client = row.has(orig_h) ? parse_address(row.text(orig_h)) : std::nullopt;
  if (!client) return "bad or missing id.orig_h";
  ++dns_rows;
  if (!row.has(query) || row.text(query).empty()) {
    ++dns_no_query;  // e.g. a SERVFAIL logged without the question
    return {};
  }
  d.time = *t;
  d.client = *client;
  d.query = lower_name(row.text(query));
  if (row.has(qtype)) {
    auto v = parse_count(row.text(qtype));
    if (v && *v <= 0xffff) d.qtype = static_cast<uint16_t>(*v);
  }
  if (row.has(rcode)) {
    if (auto v = parse_count(row.text(rcode))) d.rcode = rcode_value(*v);
  }
  for (size_t i = 0; i < row.item_count(answers); ++i) {
    std::string_view a = row.item(answers, i);
    if (auto ip = parse_address(a)) d.addresses.push_back(*ip);
    else if (d.qtype == 1 || d.qtype == 28 || d.qtype == 5) d.cnames.push_back(lower_name(a));
  }
  bool have_ttl = false;
  for (size_t i = 0; i < row.item_count(ttls); ++i) {
    auto v = parse_interval(row.item(ttls, i));
    if (!v || *v < 0) continue;
    uint64_t secs = static_cast<uint64_t>(*v / kMicrosPerSecond);
    uint32_t s32 = secs > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(secs);
    d.min_ttl = have_ttl ? std::min(d.min_ttl, s32) : s32;
    have_ttl = true;
  }
  d.source = "zeek";
  consumer.on_dns(std::move(d));
  return {};
}

records::TlsSession ZeekSource::Impl::make_tls(const PendingTls& p) {
  records::TlsSession t;
  if (p.client_hello_seen) {
    records::TlsClientHello ch;
    ch.has_sni_extension = p.sni_present;
    ch.server_name = pool.get(p.server_name);
    ch.ja3 = pool.get(p.ja3);
    ch.ja4 = pool.get(p.ja4);
    t.client_hellos.push_back(std::move(ch));
  }
  if (p.server_hello_seen) {
    records::TlsServerHello sh;
    if (p.version) {
      if (*p.version == 0x0304) {  // TLS 1.3 always sends legacy_version 1.2 and the real one in ext 43
        sh.legacy_version = 0x0303;
        sh.selected_version = 0x0304;
      } else {
        sh.legacy_version = *p.version;
      }
    }
    if (p.cipher) sh.cipher_suite = *p.cipher;
    sh.alpn = pool.get(p.alpn);
    sh.ja3s = pool.get(p.ja3s);
    sh.ja4s = pool.get(p.ja4s);
    t.server_hellos.push_back(std::move(sh));
  }
  if (p.established) t.established = *p.established;
  if (p.resumed) t.resumed = *p.resumed;

  auto add_chain = [&](std::string_view refs, StringMap<std::shared_ptr<const records::Certificate>>& map,
                       bool consume, std::vector<records::ChainCertificate>& chain) {
    size_t start = 0;
    uint32_t index = 0;
    while (start < refs.size()) {
      size_t end = refs.find(',', start);
      if (end == std::string_view::npos) end = refs.size();
      std::string_view ref = refs.substr(start, end - start);
      auto it = map.find(ref);
      // x509.log's fingerprints are keyed as lower-case hex; a log that wrote them otherwise still
      // joins (normalised only on a miss: Zeek's own are lower case already).
      if (it == map.end() && !map.empty()) {
        std::string normalised = logs::normalise_hex(ref);
        if (!normalised.empty() && normalised != ref) it = map.find(normalised);
      }
      if (it == map.end()) {
        ++cert_not_found;
      } else {
        chain.push_back({index, it->second});
        if (consume) map.erase(it);
      }
      ++index;
      start = end + 1;
    }
  };
  // By fingerprints (Zeek 6+, shared across sessions) when the row has them, else by file ids.
  auto add_chain_of = [&](uint32_t fps, const std::string& fuids, std::vector<records::ChainCertificate>& chain) {
    if (fps) add_chain(pool.get(fps), certs_by_fp, false, chain);
    else if (!fuids.empty()) add_chain(fuids, certs_by_fuid, true, chain);
  };
  add_chain_of(p.chain_fps, p.chain_fuids, t.certificates);
  if (const auto* client = p.client_chain.get()) add_chain_of(client->fps, client->fuids, t.client_certificates);

  // Older ssl.log rows carry the leaf's subject/issuer (and a package may add its SHA-1) themselves.
  if (t.certificates.empty() && (p.subject || p.issuer || p.sha1)) {
    records::Certificate c;
    c.subject = pool.get(p.subject);
    c.subject_cn = logs::first_common_name(c.subject);
    c.issuer = pool.get(p.issuer);
    if (p.sha1) c.sha1 = pool.get(p.sha1);
    t.certificates.push_back({0, std::make_shared<const records::Certificate>(std::move(c))});
  } else if (p.sha1 && t.certificates[0].chain_index == 0 && t.certificates[0]->sha1.empty()) {
    // The joined facts are shared with other sessions: this session's leaf gets its own copy.
    auto leaf = std::make_shared<records::Certificate>(*t.certificates[0]);
    leaf->sha1 = pool.get(p.sha1);
    t.certificates[0].facts = std::move(leaf);
  }
  return t;
}

// ---- files ----

bool ZeekSource::Impl::read_one(const std::string& name, const std::string* text, bool conn_phase) {
  LogKind name_kind = kind_from_file_name(name);
  std::string head = text ? text->substr(0, 16 * 1024) : logs::read_head(name);
  LogFormat format = sniff_format(head, name_kind);
  if (format.kind == LogKind::unknown || format.kind == LogKind::other) {
    if (!text && head.empty()) {
      diagnostics.error(name, "open", "cannot read the file (missing, unreadable or empty)");
      return false;
    }
    diagnostics.warning(name, "line 1", "not a Zeek conn, ssl, x509 or dns log: skipped");
    return false;
  }
  if (format.kind == LogKind::conn && !conn_phase) {
    if (text) pending_conn_texts.emplace_back(name, *text);
    else pending_conn_files.push_back(name);
    return true;
  }
  logs::LineReader reader;
  if (text) {
    reader.open_memory(*text);
  } else if (!reader.open(name)) {
    diagnostics.error(name, "open", reader.error());
    ++files_damaged;
    return false;
  }
  uint32_t file = static_cast<uint32_t>(files.size());
  files.push_back(name);
  if (format.kind == LogKind::ssl && !text) {
    // About 250 bytes per ssl row in either encoding: size the map once instead of rehashing.
    std::error_code ec;
    auto bytes = std::filesystem::file_size(name, ec);
    if (!ec && !logs::is_gzip_file(name))
      ssl.reserve(std::min<size_t>(ssl.size() + bytes / 250, options.max_pending_ssl));
  }
  ++files_read;
  TsvParser tsv(format.kind);
  JsonParser json(format.kind);
  Row row;
  std::string problem;
  uint64_t skipped_here = 0, other_here = 0, bad_here = 0;
  std::string_view line;
  while (reader.next(line)) {
    ++lines;
    auto position = [&] { return "line " + std::to_string(reader.line_number()); };
    if (reader.last_overlong()) {
      ++malformed;
      ++bad_here;
      diagnostics.error(name, position(), "line longer than " + std::to_string(logs::kMaxLineBytes) + " bytes: skipped");
      continue;
    }
    problem.clear();
    LineType type = format.json ? json.parse(line, reader.readable_from(line), row, problem)
                                : tsv.parse(line, row, problem);
    switch (type) {
      case LineType::row: {
        std::string err = handle_row(format.json ? json.kind() : tsv.kind(), row, file);
        if (!err.empty()) {
          ++malformed;
          ++bad_here;
          diagnostics.error(name, position(), "malformed " + std::string(log_kind_name(format.json ? json.kind() : tsv.kind())) + " row: " + err);
        }
        break;
      }
      case LineType::directive: break;
      case LineType::bad_line:
        ++malformed;
        ++bad_here;
        diagnostics.error(name, position(), problem);
        break;
      case LineType::bad_header:
        diagnostics.error(name, position(), problem + "; the lines under this header are skipped");
        ++files_damaged;
        if (line.empty() || line[0] != '#') ++skipped_here;  // the data line that revealed it
        break;
      case LineType::skipped: ++skipped_here; break;
      case LineType::other_kind: ++other_here; break;
    }
  }
  skipped_bad_header += skipped_here;
  other_lines += other_here;
  if (skipped_here)
    diagnostics.error(name, "end", std::to_string(skipped_here) + " data lines skipped under a bad header");
  if (other_here)
    diagnostics.warning(name, "end", std::to_string(other_here) + " lines of other Zeek logs skipped");
  if (!reader.error().empty()) {
    ++files_damaged;
    diagnostics.error(name, "after line " + std::to_string(reader.line_number()), reader.error());
  }
  uint64_t& dropped = counters.counter("zeek.list_items_dropped");
  dropped += row.dropped_items();
  return true;
}

namespace {
// The rotation a file belongs to: its name without the log kind's stem and without ".gz", so
// conn.2024-01-01-00-00-00.log.gz and ssl.2024-01-01-00-00-00.log share ".2024-01-01-00-00-00.log".
std::string rotation_of(const std::string& file_name, LogKind kind) {
  std::string_view name(file_name);
  size_t dot = name.find('.');
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : name.substr(dot);
  if (rest.ends_with(".gz")) rest.remove_suffix(3);
  std::string stem(name.substr(0, dot));
  stem.resize(stem.size() - std::min(stem.size(), std::strlen(log_kind_name(kind))));
  return std::string(rest) + "|" + stem;
}
}  // namespace

bool ZeekSource::Impl::read_directory(const std::string& dir) {
  struct Found {
    std::string rotation, path;
    LogKind kind;
  };
  std::vector<Found> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    std::string file_name = entry.path().filename().string();
    LogKind k = kind_from_file_name(file_name);
    if (k == LogKind::conn || k == LogKind::ssl || k == LogKind::x509 || k == LogKind::dns)
      found.push_back({rotation_of(file_name, k), entry.path().string(), k});
  }
  if (ec) {
    diagnostics.error(dir, "directory", ec.message());
    return false;
  }
  if (found.empty()) {
    diagnostics.warning(dir, "directory", "no conn, ssl, x509 or dns logs found");
    return false;
  }
  // One rotation at a time, its conn logs last: ssl rows wait only until the conn log of their own
  // rotation (or a later one) is read, so memory follows one rotation, not the whole directory.
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    bool a_conn = a.kind == LogKind::conn, b_conn = b.kind == LogKind::conn;
    return std::tie(a.rotation, a_conn, a.path) < std::tie(b.rotation, b_conn, b.path);
  });
  bool any = false;
  for (const auto& f : found) any |= read_one(f.path, nullptr, true);
  return any;
}

void ZeekSource::Impl::run_conn_phase() {
  auto files_now = std::move(pending_conn_files);
  auto texts_now = std::move(pending_conn_texts);
  pending_conn_files.clear();
  pending_conn_texts.clear();
  for (const auto& f : files_now) read_one(f, nullptr, true);
  for (const auto& [name, text] : texts_now) read_one(name, &text, true);

  // ssl rows no conn row claimed: TLS-only connections, in time order for a stable output.
  std::vector<std::pair<const UidKey*, PendingTls*>> rest;
  rest.reserve(ssl.size());
  ssl.for_each_pending([&](PendingSsl::Entry& e) { rest.emplace_back(&e.uid, &e.tls); });
  std::sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) {
    return a.second->ts != b.second->ts ? a.second->ts < b.second->ts : a.first->view() < b.first->view();
  });
  for (auto& [uid, p] : rest) {
    records::Connection c;
    c.id = ++next_id;
    c.uid = uid->view();
    c.source = "zeek";
    c.input_file = files[p->file];
    c.orig = p->orig;
    c.resp = p->resp;
    c.first_seen = c.last_seen = p->ts;
    bool dtls = p->version && (*p->version & 0xff00) == 0xfe00;
    c.transport = dtls ? records::Transport::udp : records::Transport::tcp;
    c.end_reason = records::EndReason::logged;
    c.app_protocol = records::AppProtocol::tls;
    c.tls = make_tls(*p);
    ++ssl_only;
    consumer.on_connection(std::move(c));
  }
  ssl.clear();
  cert_unreferenced += certs_by_fuid.size();
  certs_by_fuid.clear();
  certs_by_fp.clear();
  pool.clear();
}

// ---- public ----

ZeekSource::ZeekSource(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics,
                       ZeekOptions options)
    : impl_(std::make_unique<Impl>(consumer, counters, diagnostics, options)) {}
ZeekSource::~ZeekSource() = default;

bool ZeekSource::read_path(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return impl_->read_directory(path);
  return impl_->read_one(path, nullptr, false);
}

bool ZeekSource::read_text(const std::string& file_name, std::string_view text) {
  std::string copy(text);
  return impl_->read_one(file_name, &copy, false);
}

void ZeekSource::finish() { impl_->run_conn_phase(); }

bool ZeekSource::looks_like_zeek_log(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      LogKind k = kind_from_file_name(entry.path().filename().string());
      if (k == LogKind::conn || k == LogKind::ssl) return true;
    }
    return false;
  }
  LogFormat f = sniff_format(logs::read_head(path), kind_from_file_name(path));
  if (f.kind == LogKind::unknown || f.kind == LogKind::other) return false;
  std::string head = logs::read_head(path, 256);
  return head.starts_with("#separator") || head.starts_with("{");
}

}  // namespace c2hunt::zeek
