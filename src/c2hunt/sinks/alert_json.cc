#include "c2hunt/sinks/alert_json.h"

#include <cmath>

#include "c2hunt/sinks/connection_json.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::sinks {
namespace {

double rounded(double v, double scale = 1000.0) { return std::round(v * scale) / scale; }

void write_process(JsonWriter& w, const channels::Channel& ch) {
  if (!ch.process) return;
  const records::Process& p = *ch.process;
  if (!p.executable.empty()) w.field("process.executable", p.executable);
  if (!p.entity_id.empty()) w.field("process.entity_id", p.entity_id);
  if (p.pid) w.field("process.pid", p.pid);
  if (!p.command_line.empty()) w.field("process.command_line", p.command_line);
  if (!p.signer.empty()) w.field("process.code_signature.subject_name", p.signer);
  if (p.signed_valid) w.field("process.code_signature.trusted", *p.signed_valid);
  if (!p.parent_executable.empty()) w.field("process.parent.executable", p.parent_executable);
  if (!p.parent_entity_id.empty()) w.field("process.parent.entity_id", p.parent_entity_id);
  if (p.parent_pid) w.field("process.parent.pid", p.parent_pid);
  if (!p.parent_command_line.empty()) w.field("process.parent.command_line", p.parent_command_line);
  if (!ch.lineage.empty()) {
    w.key("c2hunt.process.lineage");
    w.start_array();
    for (const auto& a : ch.lineage) w.string(a.executable);
    w.end_array();
  }
  if (!ch.process_entity_ids.empty()) w.string_array("c2hunt.process.entity_ids", ch.process_entity_ids);
  if (!p.user.empty()) w.field("user.name", p.user);
  if (!p.host.empty()) w.field("host.name", p.host);
}

void write_tls(JsonWriter& w, const channels::Channel& ch) {
  if (!ch.tls_connections) return;
  std::string version = tls_version_text(ch.tls_version);
  if (!version.empty()) {
    w.field("tls.version", version);
    w.field("tls.version_protocol", ch.tls_version >= 0x0300 ? "tls" : "ssl");
  }
  if (!ch.ja3.empty()) w.field("tls.client.ja3", ch.ja3.front());
  if (!ch.server_name.empty()) w.field("tls.client.server_name", ch.server_name);
  if (!ch.ja3s.empty()) w.field("tls.server.ja3s", ch.ja3s.front());
  if (!ch.ja4.empty()) w.field("c2hunt.tls.client.ja4", ch.ja4.front());
  if (!ch.ja4s.empty()) w.field("c2hunt.tls.server.ja4s", ch.ja4s.front());
  if (ch.ja3.size() > 1) w.string_array("c2hunt.tls.client.ja3_all", ch.ja3);
  if (!ch.certificates.empty()) {
    w.key("tls.server.x509");
    write_certificate(w, 0, *ch.certificates.front().certificate);
    if (ch.certificates.size() > 1) {
      w.key("c2hunt.tls.server.other_certificates");
      w.start_array();
      for (size_t i = 1; i < ch.certificates.size(); ++i) w.string(ch.certificates[i].certificate->sha1);
      w.end_array();
    }
  }
}

void write_beacon(JsonWriter& w, const signals::BeaconResult& b) {
  w.key("c2hunt.beacon");
  w.start_object();
  w.field("callbacks", static_cast<uint64_t>(b.callbacks));
  w.field("strength", rounded(b.strength));
  w.field("median_interval_s", rounded(b.median_interval_s));
  w.field("jitter", rounded(b.jitter));
  w.field("periodicity", rounded(b.periodicity));
  w.field("rita.total", rounded(b.rita.total));
  w.field("rita.timestamp", rounded(b.rita.timestamp));
  w.field("rita.data_size", rounded(b.rita.data_size));
  w.field("rita.duration", rounded(b.rita.duration));
  w.field("rita.histogram", rounded(b.rita.histogram));
  w.end_object();
}

}  // namespace

void write_alert(JsonWriter& w, const scoring::ScoredChannel& a, const scoring::RuleInfo& rule) {
  const channels::Channel& ch = *a.channel;
  const channels::ChannelKey& k = ch.key;
  w.start_object();
  w.field("@timestamp", format_iso8601(ch.last_seen));
  w.field("c2hunt.schema_version", kAlertSchemaVersion);
  w.field("event.kind", "alert");
  w.key("event.category");
  w.start_array();
  w.string("network");
  w.string("intrusion_detection");
  w.end_array();
  w.field("event.start", format_iso8601(ch.first_seen));
  w.field("event.end", format_iso8601(ch.last_seen));
  w.field("event.severity", static_cast<int>(std::lround(a.score)));
  w.field("log.level", scoring::level_name(a.level));
  w.field("rule.id", rule.id);
  w.field("rule.name", rule.title);
  if (!rule.references.empty()) w.field("rule.reference", rule.references.front());
  w.field("threat.framework", "MITRE ATT&CK");
  w.field("threat.tactic.id", "TA0011");
  w.field("threat.tactic.name", "Command and Control");
  w.field("threat.tactic.reference", "https://attack.mitre.org/tactics/TA0011/");
  w.field("threat.technique.id", "T1573");
  w.field("threat.technique.name", "Encrypted Channel");
  w.field("threat.technique.reference", "https://attack.mitre.org/techniques/T1573/");
  w.field("threat.technique.subtechnique.id", a.subtechnique);
  w.field("threat.technique.subtechnique.name",
          a.subtechnique == "T1573.001" ? "Symmetric Cryptography" : "Asymmetric Cryptography");
  w.field("source.ip", k.source.to_string());
  if (k.destination.valid()) w.field("destination.ip", k.destination.to_string());
  w.field("destination.port", static_cast<int>(k.port));
  if (!k.name.empty()) w.field("destination.domain", k.name);
  w.field("network.transport", records::transport_name(k.transport));
  if (ch.tls_connections) w.field("network.protocol", "tls");
  write_tls(w, ch);
  write_process(w, ch);

  w.field("c2hunt.channel", k.to_string());
  w.field("c2hunt.destination.name_source", channels::name_origin_text(k.name_origin));
  if (k.proxy.valid()) w.field("c2hunt.proxy.ip", k.proxy.to_string());
  w.field("c2hunt.score", rounded(a.score, 10));
  if (a.score != a.raw_score) w.field("c2hunt.raw_score", rounded(a.raw_score, 10));
  w.key("c2hunt.evidence");
  w.start_array();
  for (const auto& e : a.evidence) {
    w.start_object();
    w.field("signal", e.signal);
    w.field("strength", rounded(e.strength));
    w.field("weight", rounded(e.weight));
    w.field("detail", e.detail);
    w.end_object();
  }
  w.end_array();
  w.key("c2hunt.not_evaluated");
  w.start_array();
  for (const auto& n : a.not_evaluated) {
    w.start_object();
    w.field("signal", n.signal);
    w.field("reason", n.reason);
    w.end_object();
  }
  w.end_array();
  if (a.beacon) write_beacon(w, *a.beacon);
  w.field("c2hunt.connection_count", ch.connections);
  w.field("c2hunt.successful_connections", ch.successful);
  w.field("c2hunt.failed_connections", ch.failed);
  w.field("c2hunt.bytes.out", ch.orig_bytes);
  w.field("c2hunt.bytes.in", ch.resp_bytes);
  w.field("c2hunt.duration.max_s", rounded(ch.max_duration / double(kMicrosPerSecond)));
  w.key("c2hunt.sample_connection_ids");
  w.start_array();
  for (uint64_t id : ch.sample_ids) w.unsigned_integer(id);
  w.end_array();
  if (a.allowlisted) {
    w.field("c2hunt.allowlist.name", a.allowlisted->name);
    w.field("c2hunt.allowlist.category", a.allowlisted->category);
    w.field("c2hunt.allowlist.action", scoring::allow_action_name(a.allowlisted->action));
  }
  if (a.common_destination) {
    w.field("c2hunt.common_destination.hosts_reaching", a.common_destination->hosts_reaching);
    w.field("c2hunt.common_destination.hosts", a.common_destination->hosts);
  }
  if (a.suppressed) w.field("c2hunt.suppressed", true);
  w.end_object();
}

void AlertJsonSink::write(const scoring::ScoredChannel& alert) {
  write_alert(writer_, alert, rule_);
  writer_.write_line(out_);
}

}  // namespace c2hunt::sinks
