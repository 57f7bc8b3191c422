// The c2hunt command line: parses options and hands them to the library's jobs; no logic of its own.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "c2hunt/pipeline/connections_job.h"
#include "c2hunt/pipeline/exit_codes.h"
#include "c2hunt/pipeline/scan_job.h"

namespace {

void add_capture_options(CLI::App& cmd, c2hunt::pcap::CaptureOptions& o) {
  cmd.add_option("--filter", o.bpf_filter, "BPF filter applied to captures");
  cmd.add_option("--max-connections", o.max_connections, "Hard cap on tracked connections (evictions are counted)")
      ->capture_default_str();
  cmd.add_option("--reassembly-bytes", o.reassembly_window_bytes,
                 "Bytes per direction delivered in order to the handshake parsers")
      ->capture_default_str();
  cmd.add_option("--reassembly-memory", o.max_reassembly_memory,
                 "Bytes of out-of-order TCP segments buffered across all connections (drops are counted)")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"c2hunt: find encrypted command-and-control channels (MITRE ATT&CK T1573)"};
  app.set_version_flag("--version", std::string("c2hunt ") + C2HUNT_VERSION);
  app.require_subcommand(1);

  c2hunt::pipeline::ConnectionsOptions conn;
  auto* connections = app.add_subcommand("connections", "Write every connection with its TLS metadata as ECS JSON Lines");
  connections->add_option("inputs", conn.inputs, "Capture files (pcap, pcapng, optionally gzip-compressed); - reads standard input")
      ->required();
  connections->add_option("-o,--output", conn.output_path, "Output file (default: standard output)");
  connections->add_flag("--sort", conn.sort_by_start, "Order records by start time (holds them in memory)");
  connections->add_flag("--stats", conn.print_stats, "Print counters to standard error at the end");
  add_capture_options(*connections, conn.capture);

  c2hunt::pipeline::ScanOptions scan;
  std::string min_level, fail_on;
  auto* scan_cmd = app.add_subcommand("scan", "Find encrypted command-and-control channels and write alerts (ECS JSON Lines)");
  scan_cmd
      ->add_option("inputs", scan.inputs,
                   "Captures (pcap, pcapng), Zeek logs (files or directories), Suricata eve.json, Sysmon "
                   "EVTX/XML/JSON; gzip-compressed too; - reads a capture from standard input")
      ->required();
  scan_cmd->add_option("-o,--output", scan.output_path, "Output file (default: standard output)");
  scan_cmd->add_option("--format", scan.format, "json (ECS JSON Lines) or text (a table)")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  scan_cmd->add_option("--config", scan.config_path, "YAML file merged over the default configuration");
  scan_cmd->add_option("--intel", scan.intel_files, "Intel file (abuse.ch SSLBL CSVs or c2hunt's format); repeatable")
      ->allow_extra_args(false)
      ->take_all();
  scan_cmd->add_option("--min-level", min_level, "Lowest level written (default: scoring.min_level, medium)")
      ->check(CLI::IsMember({"informational", "low", "medium", "high", "critical"}));
  scan_cmd->add_option("--fail-on", fail_on, "Exit with status 3 when an alert at or above this level is written")
      ->check(CLI::IsMember({"informational", "low", "medium", "high", "critical"}));
  scan_cmd->add_flag("--stats", scan.print_stats, "Print counters to standard error at the end");
  scan_cmd->add_flag("--show-suppressed", scan.show_suppressed, "Also write alerts an allowlist entry suppressed");
  scan_cmd->add_flag("--strict", scan.strict, "A malformed host event is fatal instead of counted and skipped");
  scan_cmd->add_flag("--external-only", scan.external_only, "Only channels to destinations outside local_networks");
  scan_cmd->add_flag("--include-inbound", scan.include_inbound, "Also channels external hosts open to local ones");
  scan_cmd->add_option("--threads", scan.threads,
                       "Threads: 1 runs everything on one; 2 (the default on two or more cores) reads and "
                       "aggregates in parallel and scores channels on both")
      ->check(CLI::Range(1u, 64u));
  add_capture_options(*scan_cmd, scan.capture);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? c2hunt::kExitOk : c2hunt::kExitUsage;
  }

  c2hunt::Diagnostics diagnostics;
  if (*connections) return c2hunt::pipeline::run_connections(conn, diagnostics);
  if (*scan_cmd) {
    if (!min_level.empty()) scan.min_level = c2hunt::config::parse_level(min_level);
    if (!fail_on.empty()) scan.fail_on = c2hunt::config::parse_level(fail_on);
    return c2hunt::pipeline::run_scan(scan, diagnostics);
  }
  return c2hunt::kExitUsage;
}
