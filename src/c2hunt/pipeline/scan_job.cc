#include "c2hunt/pipeline/scan_job.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "c2hunt/channels/channel_table.h"
#include "c2hunt/channels/scope.h"
#include "c2hunt/config/embedded_resources.h"
#include "c2hunt/correlate/dns_view.h"
#include "c2hunt/correlate/host_network_join.h"
#include "c2hunt/pipeline/connections_job.h"
#include "c2hunt/pipeline/exit_codes.h"
#include "c2hunt/pipeline/job_io.h"
#include "c2hunt/pipeline/record_handoff.h"
#include "c2hunt/scoring/score.h"
#include "c2hunt/signals/signal_set.h"
#include "c2hunt/sinks/alert_json.h"
#include "c2hunt/sinks/alert_text.h"
#include "c2hunt/sources/suricata/eve_source.h"
#include "c2hunt/sources/sysmon/sysmon_source.h"
#include "c2hunt/sources/zeek/zeek_source.h"
#include "c2hunt/util/text_escape.h"

namespace c2hunt::pipeline {
namespace {

constexpr uint64_t kLargeInputBytes = 64ull << 20;  // progress is shown above this total input size

uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

std::optional<config::ScanConfig> load_scan_config(const ScanOptions& o, Diagnostics& diagnostics) {
  try {
    config::ScanConfig c = o.config_path.empty() ? config::default_config() : config::load_config_file(o.config_path);
    c.external_only = c.external_only || o.external_only;
    c.include_inbound = c.include_inbound || o.include_inbound;
    if (o.min_level) c.min_level = *o.min_level;
    return c;
  } catch (const config::ConfigError& e) {
    (void)diagnostics;
    std::fprintf(stderr, "c2hunt: error: configuration: %s\n", escape_for_terminal(e.what()).c_str());
    return std::nullopt;
  }
}

unsigned scan_threads(unsigned requested) {
  if (requested) return requested;
  return std::thread::hardware_concurrency() >= 2 ? 2 : 1;
}

}  // namespace

struct ScanEngine::Impl {
  Impl(const config::ScanConfig& c, const signals::IntelDb& i, Counters& n, Diagnostics& d)
      : config(c),
        intel(i),
        counters(n),
        diagnostics(d),
        dns(n),
        table({c.max_channels, c.samples_per_channel, c.certificates_per_channel, c.fingerprints_per_channel,
               c.sample_connection_ids},
              n),
        connections(n.counter("scan.connections")),
        dns_answers(n.counter("scan.dns_answers")) {}
  const config::ScanConfig& config;
  const signals::IntelDb& intel;
  Counters& counters;
  Diagnostics& diagnostics;
  correlate::DnsView dns;
  channels::ChannelTable table;
  uint64_t& connections;
  uint64_t& dns_answers;
};

ScanEngine::ScanEngine(const config::ScanConfig& config, const signals::IntelDb& intel, Counters& counters,
                       Diagnostics& diagnostics)
    : impl_(std::make_unique<Impl>(config, intel, counters, diagnostics)) {}
ScanEngine::~ScanEngine() = default;

void ScanEngine::on_connection(records::Connection&& c) {
  ++impl_->connections;
  channels::Channel* ch = impl_->table.add(c);
  if (!ch) return;
  signals::SignalContext ctx{impl_->config, impl_->intel};
  IpAddress dest = c.resp.ip;
  if (c.connect_host) dest = IpAddress::parse(*c.connect_host).value_or(IpAddress{});
  ctx.destination_local = dest.valid() && impl_->config.is_local(dest);
  signals::evaluate_connection(c, ctx, *ch);
}

void ScanEngine::on_dns(records::DnsResolution&& d) {
  ++impl_->dns_answers;
  impl_->dns.add(d);
}

std::vector<scoring::ScoredChannel> ScanEngine::finish(unsigned threads) {
  threads = std::max(1u, threads);
  const config::ScanConfig& config = impl_->config;
  Counters& counters = impl_->counters;
  impl_->table.name_from_dns(impl_->dns);
  channels::ScopeResult scope =
      channels::select_in_scope(impl_->table, {config.local_networks, config.external_only, config.include_inbound});
  counters.counter("scope.channels_in_scope") += scope.in_scope.size();
  counters.counter("scope.channels_out_of_scope") += scope.out_of_scope;
  if (scope.all_originators_treated_local) {
    counters.counter("scope.inputs_with_all_originators_treated_local") = scope.inputs_treated_local.size();
    for (const auto& input : scope.inputs_treated_local)
      impl_->diagnostics.note(fmt::format("{}: no connection originator is inside local_networks: treating every "
                                          "originator as local",
                                          input.empty() ? std::string("input") : input));
  }
  signals::Prevalence prevalence = signals::build_prevalence(scope.in_scope, threads);
  // Channels are scored independently (everything they read is shared and read-only), in chunks
  // taken in turn by the threads; results are put back in chunk order, so the output is the same
  // for any thread count.
  constexpr size_t kChunk = 512;
  const size_t chunks = (scope.in_scope.size() + kChunk - 1) / kChunk;
  struct ChunkResult {
    std::vector<scoring::ScoredChannel> scored;
    std::array<uint64_t, 5> levels{};
    uint64_t suppressed = 0;
  };
  std::vector<ChunkResult> results(chunks);
  std::atomic<size_t> next_chunk{0};
  auto score_chunks = [&] {
    for (size_t chunk; (chunk = next_chunk.fetch_add(1)) < chunks;) {
      ChunkResult& out = results[chunk];
      const size_t end = std::min(scope.in_scope.size(), (chunk + 1) * kChunk);
      for (size_t i = chunk * kChunk; i < end; ++i) {
        const channels::Channel& ch = *scope.in_scope[i];
        signals::SignalContext ctx{config, impl_->intel, &impl_->dns, &prevalence};
        ctx.channel_index = i;
        // Most channels have no evidence: a first pass without the not-evaluated list (a dozen
        // strings a channel), and the full evaluation only for channels that go on.
        auto s = scoring::score_channel(ch, signals::evaluate_channel(ch, ctx, false), config);
        if (!s.evidence.empty()) s = scoring::score_channel(ch, signals::evaluate_channel(ch, ctx), config);
        ++out.levels.at(static_cast<size_t>(s.level));
        if (s.suppressed) ++out.suppressed;
        if (!s.evidence.empty()) out.scored.push_back(std::move(s));
      }
    }
  };
  // A failure on a helper thread comes back here (an escaping exception would end the process).
  std::vector<std::exception_ptr> failures(threads);
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads && t < chunks; ++t)
    helpers.emplace_back([&, t] {
      try {
        score_chunks();
      } catch (...) {
        failures[t] = std::current_exception();
        next_chunk = chunks;  // the other threads stop taking chunks
      }
    });
  try {
    score_chunks();
  } catch (...) {
    failures[0] = std::current_exception();
    next_chunk = chunks;
  }
  for (auto& h : helpers) h.join();
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);
  std::vector<scoring::ScoredChannel> scored;
  std::array<uint64_t, 5> levels{};
  uint64_t suppressed = 0;
  for (auto& r : results) {
    for (size_t l = 0; l < levels.size(); ++l) levels[l] += r.levels[l];
    suppressed += r.suppressed;
    for (auto& s : r.scored) scored.push_back(std::move(s));
  }
  for (size_t l = 0; l < levels.size(); ++l)
    if (levels[l]) counters.counter(fmt::format("alerts.level.{}", config::level_name(static_cast<config::Level>(l)))) += levels[l];
  if (suppressed) counters.counter("alerts.suppressed") += suppressed;
  scoring::sort_alerts(scored);
  return scored;
}

size_t InputRouter::read_all(const std::vector<std::string>& inputs, Diagnostics& diagnostics, bool progress) {
  std::vector<std::pair<const InputKind*, const std::string*>> plan;
  size_t unknown = 0;
  for (const auto& path : inputs) {
    const InputKind* kind = nullptr;
    for (const auto& k : kinds_)
      if (k.recognises(path)) {
        kind = &k;
        break;
      }
    if (!kind) {
      ++unknown;
      diagnostics.error(path, "start",
                        "not a recognised input (expected a pcap/pcapng capture, Zeek logs, Suricata eve.json or "
                        "Sysmon EVTX/XML/JSON, optionally gzip-compressed)");
      continue;
    }
    plan.emplace_back(kind, &path);
  }
  std::stable_sort(plan.begin(), plan.end(), [](const auto& a, const auto& b) { return a.first->order < b.first->order; });
  size_t done = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    if (progress) std::fprintf(stderr, "\r[%zu/%zu] reading %s\033[K", i + 1, plan.size(), plan[i].second->c_str());
    plan[i].first->read(*plan[i].second);
    bool last_of_kind = i + 1 == plan.size() || plan[i + 1].first != plan[i].first;
    if (last_of_kind && plan[i].first->finish) plan[i].first->finish();
    ++done;
  }
  if (progress && done) std::fprintf(stderr, "\r[%zu/%zu] done\033[K\n", done, plan.size());
  return unknown;
}

// Host and sensor clocks disagree (sometimes by days): say what offset the join used and how much
// of each side it matched, so an analyst can judge the attribution.
void report_join(const correlate::JoinSummary& summary, Counters& counters, Diagnostics& diagnostics) {
  if (summary.host_connections == 0) return;
  counters.counter("join.joined_total") = summary.joined;
  counters.counter("join.host_connections") = summary.host_connections;
  counters.counter("join.host_unjoined") = summary.host_unjoined;
  counters.counter("join.network_connections") = summary.network_connections;
  counters.counter("join.network_unjoined") = summary.network_unjoined;
  // Counters are unsigned: the magnitude in seconds, and which clock is behind.
  for (size_t i = 0; i < summary.offsets.size(); ++i) {
    const auto& o = summary.offsets[i];
    TimeMicros magnitude = o.offset < 0 ? -o.offset : o.offset;
    counters.counter(fmt::format("join.offset_seconds.{}", i)) = static_cast<uint64_t>(magnitude / kMicrosPerSecond);
    counters.counter(fmt::format("join.offset_host_clock_behind.{}", i)) = o.offset > 0 ? 1 : 0;
    counters.counter(fmt::format("join.offset_samples.{}", i)) = o.samples;
    counters.counter(fmt::format("join.offset_outliers.{}", i)) = o.outliers;
  }
  for (const auto& o : summary.offsets)
    diagnostics.note(fmt::format("host-network join: {} vs {}: clock offset {:+.3f} s from {} shared 5-tuples ({} outliers)",
                                 o.host_source, o.network_source, static_cast<double>(o.offset) / kMicrosPerSecond,
                                 o.samples, o.outliers));
  if (summary.network_connections > 0)
    diagnostics.note(fmt::format("host-network join: {} of {} host connection events joined to network connections; "
                                 "{} network connections without a host event",
                                 summary.host_connections - summary.host_unjoined, summary.host_connections,
                                 summary.network_unjoined));
}

int run_scan(const ScanOptions& options, Diagnostics& diagnostics) {
  std::optional<config::ScanConfig> loaded = load_scan_config(options, diagnostics);
  if (!loaded) return kExitUsage;
  const config::ScanConfig& config = *loaded;
  if (options.format != "json" && options.format != "text") {
    std::fprintf(stderr, "c2hunt: error: unknown --format '%s' (json or text)\n", escape_for_terminal(options.format).c_str());
    return kExitUsage;
  }

  Counters counters;
  signals::IntelDb intel(config.max_intel_entries);
  if (config.builtin_intel) intel.load_text(config::kCuratedIntelCsv, "c2hunt-curated.csv (embedded)", diagnostics, counters);
  std::vector<std::string> intel_files = config.intel_files;
  intel_files.insert(intel_files.end(), options.intel_files.begin(), options.intel_files.end());
  for (const auto& f : intel_files) {
    if (!intel.load_file(f, diagnostics, counters).recognised) {
      diagnostics.flush_suppressed();
      return kExitUsage;  // an intel file the user named but that cannot be used is a usage error
    }
  }

  if (!capture_filter_is_usable(options.capture.bpf_filter)) return kExitUsage;
  OutputFile output;
  if (!output.open(options.output_path, diagnostics)) return kExitUsage;
  std::FILE* out = output.get();

  const unsigned threads = scan_threads(options.threads);
  // The engine counts into its own counters: with two threads it runs beside the sources.
  Counters engine_counters;
  ScanEngine engine(config, intel, engine_counters, diagnostics);
  // With two threads, reading, parsing and joining run on this thread while the engine aggregates
  // channels on another; the engine sees the same records in the same order either way.
  std::optional<RecordHandoff> handoff;
  if (threads > 1) handoff.emplace(engine);
  records::RecordConsumer* network_consumer = handoff ? static_cast<records::RecordConsumer*>(&*handoff) : &engine;
  // Host telemetry is read first; every network connection then passes through the join, which
  // attributes it to the process of the matching Sysmon EID 3 (a pass-through without host data).
  correlate::HostNetworkJoin join(counters, {}, network_consumer);
  pcap::CaptureSource capture(options.capture, join, counters, diagnostics);
  zeek::ZeekSource zeek_logs(join, counters, diagnostics);
  suricata::EveSource eve(join, counters, diagnostics);
  sysmon::SysmonSource sysmon_events(join, counters, diagnostics, options.strict);
  bool strict_failed = false;
  InputRouter router;
  // Recognition is tried in this order (captures by magic first; JSON kinds by their keys).
  router.add({"capture", 10, &pcap::CaptureSource::looks_like_capture,
              [&](const std::string& p) { capture.read_file(p); }, [&] { capture.finish(); }});
  router.add({"sysmon", 0, &sysmon::SysmonSource::looks_like_sysmon,
              [&](const std::string& p) { strict_failed |= !sysmon_events.read_file(p) && options.strict; }, nullptr});
  router.add({"suricata", 20, &suricata::EveSource::looks_like_eve,
              [&](const std::string& p) { eve.read_path(p); }, [&] { eve.finish(); }});
  router.add({"zeek", 20, &zeek::ZeekSource::looks_like_zeek_log,
              [&](const std::string& p) { zeek_logs.read_path(p); }, [&] { zeek_logs.finish(); }});
  uint64_t total_bytes = 0;
  for (const auto& p : options.inputs) total_bytes += file_size(p);
  bool progress = options.progress.value_or(::isatty(STDERR_FILENO) && total_bytes >= kLargeInputBytes);
  router.read_all(options.inputs, diagnostics, progress);
  if (handoff) handoff->finish();
  if (strict_failed) {
    diagnostics.flush_suppressed();
    return kExitInputDamaged;
  }
  for (auto& c : join.unmatched_host_connections()) engine.on_connection(std::move(c));
  report_join(join.summary(), counters, diagnostics);

  std::vector<scoring::ScoredChannel> scored;
  std::vector<scoring::ScoredChannel> engine_alerts = engine.finish(threads);
  counters.merge(engine_counters);
  for (auto& s : engine_alerts) {
    if (s.level < config.min_level) continue;
    if (s.suppressed && !options.show_suppressed) continue;
    scored.push_back(std::move(s));
  }
  counters.counter("alerts.written") += scored.size();

  bool fail = false;
  if (options.format == "json") {
    sinks::AlertJsonSink sink(out, config::rule_info());
    for (const auto& s : scored) sink.write(s);
  } else {
    std::vector<const scoring::ScoredChannel*> rows;
    for (const auto& s : scored) rows.push_back(&s);
    sinks::write_alert_table(out, rows);
  }
  for (const auto& s : scored)
    if (options.fail_on && !s.suppressed && s.level >= *options.fail_on) fail = true;
  std::fflush(out);
  diagnostics.flush_suppressed();
  if (options.print_stats) print_counters(counters, stderr);
  if (fail) return kExitAlert;
  return diagnostics.input_damaged() ? kExitInputDamaged : kExitOk;
}

}  // namespace c2hunt::pipeline
