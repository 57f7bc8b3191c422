#include "c2hunt/sources/suricata/eve_source.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <unordered_map>
#include <vector>

#include "c2hunt/sources/zeek/line_reader.h"
#include "c2hunt/sources/zeek/tls_names.h"
#include "c2hunt/sources/zeek/zeek_log.h"

namespace c2hunt::suricata {
namespace {

using simdjson::dom::element;

std::string_view str(element e, const char* key) {
  std::string_view s;
  if (e[key].get(s)) return {};
  return s;
}
std::optional<uint64_t> u64(element e, const char* key) {
  uint64_t v;
  if (e[key].get(v)) return std::nullopt;
  return v;
}

std::string lower_name(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

uint16_t rrtype_value(std::string_view name) {
  struct T {
    std::string_view n;
    uint16_t v;
  };
  static constexpr T kTypes[] = {{"A", 1},     {"NS", 2},    {"CNAME", 5}, {"SOA", 6},   {"PTR", 12},
                                 {"MX", 15},   {"TXT", 16},  {"AAAA", 28}, {"SRV", 33},  {"SVCB", 64},
                                 {"HTTPS", 65}, {"ANY", 255}};
  for (const auto& t : kTypes)
    if (t.n == name) return t.v;
  return 0;
}

uint8_t rcode_value(std::string_view name) {
  static constexpr std::string_view kCodes[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
  for (size_t i = 0; i < std::size(kCodes); ++i)
    if (kCodes[i] == name) return static_cast<uint8_t>(i);
  return 0;
}

// The comma-separated numbers of one JA3 field ("771,4865-4866,0-23,29,0" field 1 = ciphers).
std::vector<uint16_t> ja3_field(std::string_view ja3, size_t index) {
  std::vector<uint16_t> out;
  size_t start = 0;
  for (size_t i = 0; i < index; ++i) {
    start = ja3.find(',', start);
    if (start == std::string_view::npos) return out;
    ++start;
  }
  std::string_view field = ja3.substr(start, ja3.find(',', start) - start);
  size_t p = 0;
  while (p < field.size()) {
    size_t e = field.find('-', p);
    if (e == std::string_view::npos) e = field.size();
    if (auto v = zeek::parse_port(field.substr(p, e - p))) out.push_back(*v);
    p = e + 1;
  }
  return out;
}

struct PendingTls {
  records::TlsSession tls;
  records::Endpoint orig, resp;
  records::Transport transport = records::Transport::tcp;
  TimeMicros ts = 0;
  uint32_t file = 0;
};

records::Transport transport_from(std::string_view proto) {
  if (proto == "TCP") return records::Transport::tcp;
  if (proto == "UDP") return records::Transport::udp;
  if (proto == "ICMP" || proto == "IPv6-ICMP") return records::Transport::icmp;
  return records::Transport::other;
}

records::AppProtocol app_from(std::string_view p) {
  using records::AppProtocol;
  if (p.empty() || p == "failed") return AppProtocol::unknown;
  if (p == "tls") return AppProtocol::tls;
  if (p == "quic") return AppProtocol::quic;
  if (p == "http" || p == "http1" || p == "http2") return AppProtocol::http;
  if (p == "ssh") return AppProtocol::ssh;
  if (p == "dns") return AppProtocol::dns;
  if (p == "smb") return AppProtocol::smb;
  if (p == "rdp") return AppProtocol::rdp;
  return AppProtocol::other_known;
}

}  // namespace

std::string rfc4514_from_suricata_dn(std::string_view dn) {
  // Split at ", " only where an attribute name and '=' follow, so values with commas survive.
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i + 1 < dn.size(); ++i) {
    if (dn[i] != ',' || dn[i + 1] != ' ') continue;
    size_t j = i + 2;
    while (j < dn.size() && (std::isalnum(static_cast<unsigned char>(dn[j])) || dn[j] == '.')) ++j;
    if (j > i + 2 && j < dn.size() && dn[j] == '=') {
      parts.push_back(dn.substr(start, i - start));
      start = i + 2;
    }
  }
  parts.push_back(dn.substr(start));
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out.push_back(',');
    std::string_view rdn = *it;
    size_t eq = rdn.find('=');
    std::string_view name = rdn.substr(0, eq);
    // OpenSSL's names, as Zeek and the capture path print them.
    if (name == "streetAddress") name = "street";
    else if (name == "Email") name = "emailAddress";
    out += name;
    if (eq == std::string_view::npos) continue;
    out.push_back('=');
    for (char c : rdn.substr(eq + 1)) {
      if (c == ',' || c == '+' || c == ';' || c == '"' || c == '\\' || c == '<' || c == '>') out.push_back('\\');
      out.push_back(c);
    }
  }
  return out;
}

std::string serial_from_suricata(std::string_view serial) {
  std::string out;
  for (char c : serial) {
    if (c == ':') continue;
    out.push_back(static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c));
  }
  if (out.size() % 2) out.insert(out.begin(), '0');
  // Zeek (i2a_ASN1_INTEGER) prints whole magnitude bytes: a DER sign byte 00 goes, "01" stays.
  size_t start = 0;
  while (start + 2 < out.size() && out[start] == '0' && out[start + 1] == '0') start += 2;
  return out.substr(start);
}

struct EveSource::Impl {
  Impl(records::RecordConsumer& c, Counters& n, Diagnostics& d, EveOptions o)
      : consumer(c), counters(n), diagnostics(d), options(o) {}
  records::RecordConsumer& consumer;
  Counters& counters;
  Diagnostics& diagnostics;
  EveOptions options;
  simdjson::dom::parser parser;

  struct Input {
    std::string name;
    std::string text;  // used when from_memory
    bool from_memory = false;
  };
  std::vector<Input> inputs;
  std::unordered_map<std::string, PendingTls> tls;
  uint64_t next_id = 0;
  bool cap_reported = false;

  uint64_t& lines = counters.counter("suricata.lines");
  uint64_t& malformed = counters.counter("suricata.lines_malformed");
  uint64_t& flows = counters.counter("suricata.flow_events");
  uint64_t& tls_events = counters.counter("suricata.tls_events");
  uint64_t& dns_events = counters.counter("suricata.dns_events");
  uint64_t& dns_queries = counters.counter("suricata.dns_queries_not_emitted");
  uint64_t& other_events = counters.counter("suricata.other_events");
  uint64_t& joined = counters.counter("suricata.tls_joined_to_flow");
  uint64_t& tls_only = counters.counter("suricata.tls_without_flow");
  uint64_t& tls_cap = counters.counter("suricata.tls_dropped_pending_cap");
  uint64_t& tls_duplicate = counters.counter("suricata.tls_duplicate_flow_id");
  uint64_t& damaged = counters.counter("suricata.files_damaged");

  void pass(const Input& in, uint32_t file, bool flow_pass);
  std::string handle(element doc, uint32_t file, bool flow_pass);
  std::string handle_tls(element doc, element t, const std::string& flow_id, uint32_t file);
  std::string handle_dns(element doc, element d);
  std::string handle_flow(element doc, element f, const std::string& flow_id, uint32_t file);
  std::string endpoints(element doc, records::Endpoint& orig, records::Endpoint& resp, TimeMicros& ts);
};

std::string EveSource::Impl::endpoints(element doc, records::Endpoint& orig, records::Endpoint& resp, TimeMicros& ts) {
  auto t = parse_iso8601(str(doc, "timestamp"));
  if (!t) return "bad or missing timestamp";
  ts = *t;
  auto s = zeek::parse_address(str(doc, "src_ip"));
  auto d = zeek::parse_address(str(doc, "dest_ip"));
  if (!s || !d) return "bad or missing src_ip/dest_ip";
  orig = {*s, static_cast<uint16_t>(u64(doc, "src_port").value_or(0) & 0xffff)};
  resp = {*d, static_cast<uint16_t>(u64(doc, "dest_port").value_or(0) & 0xffff)};
  return {};
}

std::string EveSource::Impl::handle_tls(element doc, element t, const std::string& flow_id, uint32_t file) {
  PendingTls p;
  if (std::string e = endpoints(doc, p.orig, p.resp, p.ts); !e.empty()) return e;
  p.file = file;
  p.transport = transport_from(str(doc, "proto"));
  ++tls_events;
  records::TlsSession& s = p.tls;
  std::string_view sni = str(t, "sni"), ja4 = str(t, "ja4");
  element ja3, ja3s;
  bool has_ja3 = !t["ja3"].get(ja3), has_ja3s = !t["ja3s"].get(ja3s);
  std::string_view ja3_string = has_ja3 ? str(ja3, "string") : std::string_view();
  if (!sni.empty() || !ja3_string.empty() || !ja4.empty()) {
    records::TlsClientHello ch;
    ch.server_name = sni;
    // Whether the SNI extension was sent is exact in the JA3 extension list, or in JA4's d/i flag.
    if (!ja3_string.empty()) {
      auto ext = ja3_field(ja3_string, 2);
      ch.has_sni_extension = std::find(ext.begin(), ext.end(), 0) != ext.end();
      auto v = ja3_field(ja3_string, 0);
      if (!v.empty()) ch.legacy_version = v[0];
    } else if (ja4.size() > 3) {
      ch.has_sni_extension = ja4[3] == 'd';
    } else {
      ch.has_sni_extension = !sni.empty();
    }
    if (has_ja3) {
      ch.ja3 = str(ja3, "hash");
      ch.ja3_string = ja3_string;
    }
    ch.ja4 = ja4;
    s.client_hellos.push_back(std::move(ch));
  }
  auto version = logs::tls_version_from_name(str(t, "version"));
  std::string_view ja3s_string = has_ja3s ? str(ja3s, "string") : std::string_view();
  if (version || !ja3s_string.empty()) {
    records::TlsServerHello sh;
    if (!ja3s_string.empty()) {  // JA3S = legacy_version,cipher,extensions: exact wire values
      auto v = ja3_field(ja3s_string, 0);
      auto c = ja3_field(ja3s_string, 1);
      if (!v.empty()) sh.legacy_version = v[0];
      if (!c.empty()) sh.cipher_suite = c[0];
      sh.extensions = ja3_field(ja3s_string, 2);
      sh.ja3s = str(ja3s, "hash");
      sh.ja3s_string = ja3s_string;
    }
    if (version && *version == 0x0304) {
      sh.selected_version = 0x0304;
      if (!sh.legacy_version) sh.legacy_version = 0x0303;
    } else if (version && !sh.legacy_version) {
      sh.legacy_version = *version;
    }
    s.server_hellos.push_back(std::move(sh));
  }
  bool resumed = false;
  if (!t["session_resumed"].get(resumed)) s.resumed = resumed;
  std::string_view subject = str(t, "subject"), issuer = str(t, "issuerdn"), serial = str(t, "serial"),
                   fp = str(t, "fingerprint");
  if (!subject.empty() || !issuer.empty() || !serial.empty() || !fp.empty()) {
    records::Certificate c;
    c.subject = rfc4514_from_suricata_dn(subject);
    c.subject_cn = logs::first_common_name(c.subject);
    c.issuer = rfc4514_from_suricata_dn(issuer);
    c.serial_hex = serial_from_suricata(serial);
    std::string hex = logs::normalise_hex(fp);
    if (hex.size() == 40) c.sha1 = hex;
    else if (hex.size() == 64) c.sha256 = hex;
    std::string_view nb = str(t, "notbefore"), na = str(t, "notafter");
    if (!nb.empty()) c.not_before = parse_iso8601(nb);
    if (!na.empty()) c.not_after = parse_iso8601(na);
    if (c.not_before && c.not_after)
      c.validity_days = static_cast<double>(*c.not_after - *c.not_before) / (86400.0 * kMicrosPerSecond);
    s.certificates.push_back({0, std::make_shared<const records::Certificate>(std::move(c))});
  }
  if (tls.count(flow_id)) {
    ++tls_duplicate;
    return {};
  }
  if (tls.size() >= options.max_pending_tls) {
    ++tls_cap;
    if (!cap_reported) {
      cap_reported = true;
      diagnostics.warning(inputs[file].name, "tls", "pending tls event cap reached: further tls events are not joined");
    }
    return {};
  }
  tls.emplace(flow_id, std::move(p));
  return {};
}

std::string EveSource::Impl::handle_dns(element doc, element d) {
  ++dns_events;
  std::string_view type = str(d, "type");
  simdjson::dom::array answers;
  bool has_answers = !d["answers"].get(answers);
  element grouped;
  bool has_grouped = !d["grouped"].get(grouped);
  if (type == "query" || (!has_answers && !has_grouped && type != "answer" && type != "response")) {
    ++dns_queries;
    return {};
  }
  records::DnsResolution r;
  TimeMicros ts = 0;
  records::Endpoint src, dst;
  if (std::string e = endpoints(doc, src, dst, ts); !e.empty()) return e;
  r.time = ts;
  r.client = src.port == 53 && dst.port != 53 ? dst.ip : src.ip;
  std::string_view rrname = str(d, "rrname"), rrtype = str(d, "rrtype");
  simdjson::dom::array queries;
  if (rrname.empty() && !d["queries"].get(queries)) {  // eve dns version 3
    for (element q : queries) {
      rrname = str(q, "rrname");
      rrtype = str(q, "rrtype");
      break;
    }
  }
  r.query = lower_name(rrname);
  r.qtype = rrtype_value(rrtype);
  r.rcode = rcode_value(str(d, "rcode"));
  bool have_ttl = false;
  auto add = [&](std::string_view type_name, std::string_view rdata) {
    if (type_name == "A" || type_name == "AAAA") {
      if (auto ip = zeek::parse_address(rdata)) r.addresses.push_back(*ip);
    } else if (type_name == "CNAME") {
      r.cnames.push_back(lower_name(rdata));
    }
  };
  if (has_answers) {
    for (element a : answers) {
      add(str(a, "rrtype"), str(a, "rdata"));
      if (auto ttl = u64(a, "ttl")) {
        uint32_t t32 = static_cast<uint32_t>(std::min<uint64_t>(*ttl, UINT32_MAX));
        r.min_ttl = have_ttl ? std::min(r.min_ttl, t32) : t32;
        have_ttl = true;
      }
    }
  } else if (has_grouped) {
    for (const char* k : {"A", "AAAA", "CNAME"}) {
      simdjson::dom::array values;
      if (grouped[k].get(values)) continue;
      for (element v : values) {
        std::string_view s;
        if (!v.get(s)) add(k, s);
      }
    }
  }
  if (r.query.empty()) return {};
  r.source = "suricata";
  consumer.on_dns(std::move(r));
  return {};
}

std::string EveSource::Impl::handle_flow(element doc, element f, const std::string& flow_id, uint32_t file) {
  records::Connection c;
  TimeMicros ts = 0;
  if (std::string e = endpoints(doc, c.orig, c.resp, ts); !e.empty()) return e;
  auto start = parse_iso8601(str(f, "start"));
  auto end = parse_iso8601(str(f, "end"));
  c.first_seen = start.value_or(ts);
  c.last_seen = end.value_or(c.first_seen);
  c.transport = transport_from(str(doc, "proto"));
  // Suricata counts whole packets (link header included) in bytes_to*: kept as ip_bytes.
  c.orig_stats.packets = u64(f, "pkts_toserver").value_or(0);
  c.resp_stats.packets = u64(f, "pkts_toclient").value_or(0);
  c.orig_stats.ip_bytes = u64(f, "bytes_toserver").value_or(0);
  c.resp_stats.ip_bytes = u64(f, "bytes_toclient").value_or(0);
  std::string_view state = str(f, "state"), reason = str(f, "reason");
  c.end_reason = state == "closed"      ? records::EndReason::closed
                 : reason == "timeout" ? records::EndReason::idle_timeout
                                       : records::EndReason::logged;
  c.app_protocol = app_from(str(doc, "app_proto"));
  c.community_id = str(doc, "community_id");
  if (auto vlan = doc["vlan"].at(0).get_uint64(); !vlan.error() && vlan.value() < 4096)
    c.vlan = static_cast<uint16_t>(vlan.value());
  c.uid = flow_id;
  c.source = "suricata";
  c.input_file = inputs[file].name;
  c.id = ++next_id;
  ++flows;
  auto it = tls.find(flow_id);
  if (it != tls.end()) {
    c.tls = std::move(it->second.tls);
    c.app_protocol = records::AppProtocol::tls;
    tls.erase(it);
    ++joined;
  }
  consumer.on_connection(std::move(c));
  return {};
}

std::string EveSource::Impl::handle(element doc, uint32_t file, bool flow_pass) {
  std::string_view type = str(doc, "event_type");
  if (type.empty()) return "no event_type";
  std::string flow_id;
  if (auto id = u64(doc, "flow_id")) flow_id = std::to_string(*id);
  element body;
  if (type == "flow") {
    if (!flow_pass) return {};
    if (doc["flow"].get(body)) return "flow event without a flow object";
    if (flow_id.empty()) return "flow event without flow_id";
    return handle_flow(doc, body, flow_id, file);
  }
  if (flow_pass) return {};
  if (type == "tls") {
    if (doc["tls"].get(body)) return "tls event without a tls object";
    if (flow_id.empty()) return "tls event without flow_id";
    return handle_tls(doc, body, flow_id, file);
  }
  if (type == "dns") {
    if (doc["dns"].get(body)) return "dns event without a dns object";
    return handle_dns(doc, body);
  }
  ++other_events;
  return {};
}

void EveSource::Impl::pass(const Input& in, uint32_t file, bool flow_pass) {
  logs::LineReader reader;
  if (in.from_memory) {
    reader.open_memory(in.text);
  } else if (!reader.open(in.name)) {
    if (!flow_pass) {
      diagnostics.error(in.name, "open", reader.error());
      ++damaged;
    }
    return;
  }
  std::string_view line;
  while (reader.next(line)) {
    // Each pass sees every line; count and report in the first only.
    auto report = [&](const std::string& problem) {
      if (flow_pass) return;
      ++malformed;
      diagnostics.error(in.name, "line " + std::to_string(reader.line_number()), problem);
    };
    if (!flow_pass) ++lines;
    if (reader.last_overlong()) {
      report("line longer than " + std::to_string(logs::kMaxLineBytes) + " bytes: skipped");
      continue;
    }
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    element doc;
    auto err = parser.parse(line.data(), line.size(), false).get(doc);
    if (err) {
      report(std::string("malformed JSON: ") + simdjson::error_message(err));
      continue;
    }
    if (!doc.is_object()) {
      report("malformed eve line: not a JSON object");
      continue;
    }
    std::string problem = handle(doc, file, flow_pass);
    if (!problem.empty()) {
      if (flow_pass) {
        ++malformed;
        diagnostics.error(in.name, "line " + std::to_string(reader.line_number()), "malformed flow event: " + problem);
      } else {
        report("malformed event: " + problem);
      }
    }
  }
  if (!reader.error().empty() && !flow_pass) {
    ++damaged;
    diagnostics.error(in.name, "after line " + std::to_string(reader.line_number()), reader.error());
  }
}

EveSource::EveSource(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics,
                     EveOptions options)
    : impl_(std::make_unique<Impl>(consumer, counters, diagnostics, options)) {}
EveSource::~EveSource() = default;

bool EveSource::read_path(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      std::string p = entry.path().string();
      if (entry.is_regular_file(ec) && (p.ends_with(".json") || p.ends_with(".json.gz")) && looks_like_eve(p))
        found.push_back(p);
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) {
      impl_->diagnostics.warning(path, "directory", "no eve.json files found");
      return false;
    }
    for (auto& f : found) impl_->inputs.push_back({std::move(f), {}, false});
    return true;
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    impl_->diagnostics.error(path, "open", "no such file");
    return false;
  }
  impl_->inputs.push_back({path, {}, false});
  return true;
}

bool EveSource::read_text(const std::string& name, std::string_view text) {
  impl_->inputs.push_back({name, std::string(text), true});
  return true;
}

void EveSource::finish() {
  auto& im = *impl_;
  for (uint32_t i = 0; i < im.inputs.size(); ++i) im.pass(im.inputs[i], i, false);
  for (uint32_t i = 0; i < im.inputs.size(); ++i) im.pass(im.inputs[i], i, true);
  std::vector<std::pair<const std::string*, PendingTls*>> rest;
  for (auto& [id, p] : im.tls) rest.emplace_back(&id, &p);
  std::sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) {
    return a.second->ts != b.second->ts ? a.second->ts < b.second->ts : *a.first < *b.first;
  });
  for (auto& [id, p] : rest) {
    records::Connection c;
    c.id = ++im.next_id;
    c.uid = *id;
    c.source = "suricata";
    c.input_file = im.inputs[p->file].name;
    c.orig = p->orig;
    c.resp = p->resp;
    c.transport = p->transport;
    c.first_seen = c.last_seen = p->ts;
    c.end_reason = records::EndReason::logged;
    c.app_protocol = records::AppProtocol::tls;
    c.tls = std::move(p->tls);
    ++im.tls_only;
    im.consumer.on_connection(std::move(c));
  }
  im.tls.clear();
  im.inputs.clear();
}

bool EveSource::looks_like_eve(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      std::string p = entry.path().string();
      if ((p.ends_with(".json") || p.ends_with(".json.gz")) && looks_like_eve(p)) return true;
    }
    return false;
  }
  std::string head = logs::read_head(path, 64 * 1024);
  std::string_view line(head);
  line = line.substr(0, line.find('\n'));
  return line.starts_with("{") && line.find("\"event_type\"") != std::string_view::npos;
}

}  // namespace c2hunt::suricata
