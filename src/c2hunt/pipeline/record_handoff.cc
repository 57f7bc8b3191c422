#include "c2hunt/pipeline/record_handoff.h"

#include <utility>

namespace c2hunt::pipeline {
namespace {

// A rough size of what a record holds, its heap text included: enough to bound a batch by bytes.
size_t approximate_bytes(const records::Connection& c) {
  size_t bytes = sizeof(records::Connection) + c.uid.size() + c.input_file.size() + c.community_id.size();
  if (c.tls) {
    bytes += sizeof(records::TlsSession) + 2048 * c.tls->client_hellos.size() + 512 * c.tls->server_hellos.size();
    for (const auto* chain : {&c.tls->certificates, &c.tls->client_certificates}) {
      // Facts are usually shared with other records (one description per distinct certificate);
      // counted in full all the same, so the bound holds when they are not.
      for (const auto& entry : *chain) {
        const records::Certificate& cert = *entry;
        bytes += sizeof(entry) + sizeof(cert) + cert.subject.size() + cert.issuer.size();
        for (const auto& name : cert.san_dns) bytes += sizeof(name) + name.size();
        for (const auto& ip : cert.san_ip) bytes += sizeof(ip) + ip.size();
      }
    }
  }
  return bytes;
}

}  // namespace

RecordHandoff::RecordHandoff(records::RecordConsumer& downstream, size_t batch_records, size_t max_batches,
                             size_t batch_bytes)
    : downstream_(downstream),
      batch_records_(batch_records ? batch_records : 1),
      max_batches_(max_batches < 2 ? 2 : max_batches),
      batch_bytes_(batch_bytes ? batch_bytes : 1),
      worker_([this] { work(); }) {
  open_.reserve(batch_records_);
}

RecordHandoff::~RecordHandoff() {
  try {
    finish();
  } catch (...) {
    // A consumer failure not collected by finish() has nowhere to go from a destructor.
  }
}

void RecordHandoff::on_connection(records::Connection&& c) {
  // After finish() the worker is gone: this thread is the consumer's now.
  if (finished_) return downstream_.on_connection(std::move(c));
  open_bytes_ += approximate_bytes(c);
  // Built in place in the batch: one move of the ~1 KB record, not two through a temporary.
  open_.emplace_back(std::in_place_index<0>, std::move(c));
  hand_over_if_full();
}
void RecordHandoff::on_dns(records::DnsResolution&& d) {
  if (finished_) return downstream_.on_dns(std::move(d));
  open_bytes_ += sizeof(d) + d.query.size() + sizeof(IpAddress) * d.addresses.size() + 64 * d.cnames.size();
  open_.emplace_back(std::in_place_index<1>, std::move(d));
  hand_over_if_full();
}

void RecordHandoff::deliver(Record& r) {
  if (r.index() == 0)
    downstream_.on_connection(std::move(std::get<0>(r)));
  else
    downstream_.on_dns(std::move(std::get<1>(r)));
}

void RecordHandoff::hand_over_if_full() {
  if (open_.size() >= batch_records_ || open_bytes_ >= batch_bytes_) hand_over();
}

void RecordHandoff::hand_over() {
  open_bytes_ = 0;
  std::unique_lock lock(mutex_);
  queued_.push_back(std::move(open_));
  ready_.notify_one();
  // Reuse an emptied batch; make a new one only while under the bound, else wait for the consumer.
  drained_.wait(lock, [&] { return !spare_.empty() || batches_ < max_batches_; });
  if (!spare_.empty()) {
    open_ = std::move(spare_.back());
    spare_.pop_back();
    lock.unlock();
    // The consumer hands batches back full: the records are destroyed here, on the thread that
    // allocated them, which keeps frees thread-local and takes that work off the consumer.
    open_.clear();
  } else {
    open_ = Batch();
    open_.reserve(batch_records_);
    ++batches_;
  }
}

void RecordHandoff::work() {
  for (;;) {
    Batch batch;
    bool failed;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return !queued_.empty() || ending_; });
      if (queued_.empty()) return;
      batch = std::move(queued_.front());
      queued_.pop_front();
      failed = static_cast<bool>(failure_);
    }
    // After a failure the records are still taken (and dropped) so the reader never blocks.
    if (!failed) {
      try {
        for (Record& r : batch) deliver(r);
      } catch (...) {
        std::lock_guard lock(mutex_);
        failure_ = std::current_exception();
      }
    }
    std::lock_guard lock(mutex_);
    spare_.push_back(std::move(batch));
    drained_.notify_all();
  }
}

void RecordHandoff::finish() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    if (!open_.empty()) queued_.push_back(std::move(open_));
    open_ = Batch();
    ending_ = true;
    ready_.notify_one();
  }
  worker_.join();
  finished_ = true;
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

}  // namespace c2hunt::pipeline
