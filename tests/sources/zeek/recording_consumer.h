// A RecordConsumer that keeps everything it is given, for the log-source tests.
#pragma once

#include <vector>

#include "c2hunt/records/consumer.h"

namespace c2hunt::testing {

struct RecordingConsumer : records::RecordConsumer {
  std::vector<records::Connection> connections;
  std::vector<records::DnsResolution> dns;
  void on_connection(records::Connection&& c) override { connections.push_back(std::move(c)); }
  void on_dns(records::DnsResolution&& d) override { dns.push_back(std::move(d)); }
};

}  // namespace c2hunt::testing
