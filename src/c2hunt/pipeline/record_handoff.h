// Hands connection and DNS records from the reading thread to a consumer on its own thread, so
// parsing and joining overlap with channel aggregation. Records travel in batches through a
// bounded queue and reach the consumer in the order they were given, so the results are those of
// a single-threaded run. Memory stays bounded: at most `max_batches` batches exist, and a batch
// closes at `batch_records` records or about `batch_bytes` (records with many large certificates
// from a hostile capture weigh far more than a Zeek row).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "c2hunt/records/consumer.h"

namespace c2hunt::pipeline {

class RecordHandoff : public records::RecordConsumer {
 public:
  // `downstream` is called only from the worker thread, and only for on_connection and on_dns.
  explicit RecordHandoff(records::RecordConsumer& downstream, size_t batch_records = 1024, size_t max_batches = 8,
                         size_t batch_bytes = 4u << 20);
  ~RecordHandoff() override;
  RecordHandoff(const RecordHandoff&) = delete;
  RecordHandoff& operator=(const RecordHandoff&) = delete;

  void on_connection(records::Connection&& c) override;
  void on_dns(records::DnsResolution&& d) override;

  // Delivers what is buffered, waits until the consumer has taken everything and stops the worker;
  // rethrows what the consumer threw. Records given afterwards go straight to the consumer.
  void finish();

 private:
  using Record = std::variant<records::Connection, records::DnsResolution>;
  using Batch = std::vector<Record>;

  void hand_over_if_full();
  void deliver(Record& r);
  void hand_over();  // queues the open batch
  void work();

  records::RecordConsumer& downstream_;
  const size_t batch_records_;
  const size_t max_batches_;
  const size_t batch_bytes_;
  size_t open_bytes_ = 0;            // estimated size of the records in the open batch
  Batch open_;
  std::mutex mutex_;
  std::condition_variable ready_;    // a batch was queued, or the end came
  std::condition_variable drained_;  // a batch came back empty
  std::deque<Batch> queued_;
  std::vector<Batch> spare_;         // batches the consumer is done with (records destroyed on reuse)
  size_t batches_ = 1;               // batches in existence (open, queued, being consumed, spare)
  bool ending_ = false;
  bool finished_ = false;            // the worker has been joined (read and written by the producer only)
  std::exception_ptr failure_;
  std::thread worker_;
};

}  // namespace c2hunt::pipeline
