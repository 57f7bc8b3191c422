// The c2hunt command line: parses options and hands them to the library's jobs; no logic of its own.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "c2hunt/pipeline/connections_job.h"
#include "c2hunt/pipeline/exit_codes.h"

namespace {

void add_capture_options(CLI::App& cmd, c2hunt::pcap::CaptureOptions& o) {
  cmd.add_option("--filter", o.bpf_filter, "BPF filter applied to captures");
  cmd.add_option("--max-connections", o.max_connections, "Hard cap on tracked connections (evictions are counted)")
      ->capture_default_str();
  cmd.add_option("--reassembly-bytes", o.reassembly_window_bytes,
                 "Bytes per direction delivered in order to the handshake parsers")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"c2hunt: find encrypted command-and-control channels (MITRE ATT&CK T1573)"};
  app.set_version_flag("--version", std::string("c2hunt ") + C2HUNT_VERSION);
  app.require_subcommand(1);

  c2hunt::pipeline::ConnectionsOptions conn;
  auto* connections = app.add_subcommand("connections", "Write every connection with its TLS metadata as ECS JSON Lines");
  connections->add_option("inputs", conn.inputs, "Capture files (pcap, pcapng, optionally gzip-compressed)")
      ->required();
  connections->add_option("-o,--output", conn.output_path, "Output file (default: standard output)");
  connections->add_flag("--sort", conn.sort_by_start, "Order records by start time (holds them in memory)");
  connections->add_flag("--stats", conn.print_stats, "Print counters to standard error at the end");
  add_capture_options(*connections, conn.capture);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? c2hunt::kExitOk : c2hunt::kExitUsage;
  }

  c2hunt::Diagnostics diagnostics;
  if (*connections) return c2hunt::pipeline::run_connections(conn, diagnostics);
  return c2hunt::kExitUsage;
}
