// `c2hunt scan INPUT...`: reads every input through the source that recognises it, aggregates
// connections into channels, runs the signals, scores, applies the allowlist and writes alerts.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "c2hunt/config/scan_config.h"
#include "c2hunt/records/consumer.h"
#include "c2hunt/scoring/score.h"
#include "c2hunt/signals/intel_db.h"
#include "c2hunt/sources/pcap/capture_source.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"

namespace c2hunt::pipeline {

struct ScanOptions {
  std::vector<std::string> inputs;
  std::string output_path;                 // empty or "-" = stdout
  std::string format = "json";             // json | text
  std::string config_path;                 // empty = the embedded default only
  std::vector<std::string> intel_files;    // in addition to the config's intel.files
  std::optional<config::Level> min_level;  // default: the config's scoring.min_level
  std::optional<config::Level> fail_on;    // exit 3 when an alert at or above it is written
  bool print_stats = false;
  bool show_suppressed = false;
  bool external_only = false;              // OR-ed with the config's analysis.external_only
  bool include_inbound = false;            // OR-ed with the config's analysis.include_inbound
  std::optional<bool> progress;            // default: when stderr is a terminal and the input is large
  bool strict = false;                     // a malformed host event is fatal (exit 2) instead of skipped
  unsigned threads = 0;                    // 0: two when the machine has two or more cores; 1: one thread
  pcap::CaptureOptions capture;
};

// One kind of input (captures, Zeek logs, Suricata EVE, Sysmon, ...). Sources of lower `order` are
// read first (host telemetry before network data, so connections can be attributed as they arrive).
struct InputKind {
  std::string name;
  int order = 0;
  std::function<bool(const std::string& path)> recognises;
  std::function<void(const std::string& path)> read;
  std::function<void()> finish;            // after every file of this kind
};

// Picks a source per file by its content; an input no kind recognises is reported (exit 2).
class InputRouter {
 public:
  void add(InputKind kind) { kinds_.push_back(std::move(kind)); }
  // Reads all inputs; returns the number of unrecognised ones.
  size_t read_all(const std::vector<std::string>& inputs, Diagnostics& diagnostics, bool progress);

 private:
  std::vector<InputKind> kinds_;
};

// Records in, scored channels out: the part of the scan that does not depend on where records come
// from. Feed it through the RecordConsumer interface, then call finish() once.
class ScanEngine : public records::RecordConsumer {
 public:
  ScanEngine(const config::ScanConfig& config, const signals::IntelDb& intel, Counters& counters,
             Diagnostics& diagnostics);
  ~ScanEngine() override;
  void on_connection(records::Connection&& c) override;
  void on_dns(records::DnsResolution&& d) override;

  // Every in-scope channel with evidence, scored, in alert order (suppressed ones included, marked).
  // `threads` threads score the channels; the result does not depend on how many.
  std::vector<scoring::ScoredChannel> finish(unsigned threads = 1);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

int run_scan(const ScanOptions& options, Diagnostics& diagnostics);

}  // namespace c2hunt::pipeline
