// RecordHandoff: records reach the consumer thread in the order given, the queue stays bounded
// while the consumer is slow, and a consumer failure comes back to the caller of finish().
#include "c2hunt/pipeline/record_handoff.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace c2hunt::pipeline {
namespace {

struct RecordingConsumer : records::RecordConsumer {
  std::vector<std::string> seen;  // "c<uid>" or "d<name>", in arrival order
  std::atomic<size_t> taken{0};
  std::chrono::microseconds delay{0};
  size_t throw_at = SIZE_MAX;
  std::thread::id thread;

  void note(std::string what) {
    thread = std::this_thread::get_id();
    if (seen.size() == throw_at) throw std::runtime_error("consumer failed");
    if (delay.count()) std::this_thread::sleep_for(delay);
    seen.push_back(std::move(what));
    ++taken;
  }
  void on_connection(records::Connection&& c) override { note("c" + c.uid); }
  void on_dns(records::DnsResolution&& d) override { note("d" + d.query); }
};

records::Connection connection(size_t i) {
  records::Connection c;
  c.uid = std::to_string(i);
  return c;
}
records::DnsResolution dns(size_t i) {
  records::DnsResolution d;
  d.query = "host" + std::to_string(i) + ".example";
  return d;
}

TEST(RecordHandoff, DeliversEveryRecordInOrderOnAnotherThread) {
  for (size_t batch : {1, 3, 1024}) {
    RecordingConsumer consumer;
    std::vector<std::string> expected;
    {
      RecordHandoff handoff(consumer, batch, 2);
      for (size_t i = 0; i < 5000; ++i) {
        if (i % 7 == 0) {
          handoff.on_dns(dns(i));
          expected.push_back("dhost" + std::to_string(i) + ".example");
        }
        handoff.on_connection(connection(i));
        expected.push_back("c" + std::to_string(i));
      }
      handoff.finish();
      handoff.finish();  // a second finish is a no-op
    }
    EXPECT_EQ(consumer.seen, expected) << "batch " << batch;
    EXPECT_NE(consumer.thread, std::this_thread::get_id());
  }
}

TEST(RecordHandoff, ASlowConsumerHoldsBackTheReaderWithinTheBound) {
  RecordingConsumer consumer;
  consumer.delay = std::chrono::microseconds(50);
  const size_t batch = 4, max_batches = 3;
  size_t given = 0, most_ahead = 0;
  RecordHandoff handoff(consumer, batch, max_batches);
  for (size_t i = 0; i < 400; ++i) {
    handoff.on_connection(connection(i));
    ++given;
    most_ahead = std::max(most_ahead, given - consumer.taken.load());
  }
  handoff.finish();
  EXPECT_EQ(consumer.seen.size(), 400u);
  // Every record not yet taken sits in one of the batches that exist.
  EXPECT_LE(most_ahead, batch * max_batches);
  EXPECT_GT(most_ahead, batch);  // the reader did run ahead: the consumer is on its own thread
}

TEST(RecordHandoff, AConsumerFailureIsRethrownByFinishAndTheReaderNeverBlocks) {
  RecordingConsumer consumer;
  consumer.throw_at = 10;
  RecordHandoff handoff(consumer, 4, 2);
  for (size_t i = 0; i < 1000; ++i) handoff.on_connection(connection(i));
  EXPECT_THROW(handoff.finish(), std::runtime_error);
  EXPECT_EQ(consumer.seen.size(), 10u);
}

}  // namespace
}  // namespace c2hunt::pipeline

namespace c2hunt::pipeline {
namespace {

TEST(RecordHandoff, RecordsGivenAfterFinishStillReachTheConsumer) {
  RecordingConsumer consumer;
  RecordHandoff handoff(consumer, 4, 2);
  handoff.on_connection(connection(1));
  handoff.finish();
  for (size_t i = 2; i < 20; ++i) handoff.on_connection(connection(i));
  handoff.on_dns(dns(20));
  ASSERT_EQ(consumer.seen.size(), 20u);
  EXPECT_EQ(consumer.seen.back(), "dhost20.example");
  EXPECT_EQ(consumer.thread, std::this_thread::get_id());
}

}  // namespace
}  // namespace c2hunt::pipeline

namespace c2hunt::pipeline {
namespace {

// Records heavy with certificates close batches by size: with a slow consumer, the records held
// in the queue stay near max_batches x batch_bytes, not max_batches x batch_records records.
TEST(RecordHandoff, HeavyRecordsCloseBatchesBySize) {
  RecordingConsumer consumer;
  consumer.delay = std::chrono::microseconds(50);
  auto heavy = [](size_t i) {
    records::Connection c = connection(i);
    c.tls.emplace();
    for (int k = 0; k < 4; ++k) {
      records::Certificate cert;
      cert.subject = std::string(4000, 's');
      cert.san_dns.assign(60, std::string(200, 'n'));
      c.tls->certificates.push_back({static_cast<uint32_t>(k), std::make_shared<const records::Certificate>(cert)});
    }
    return c;
  };
  const size_t batch_records = 1000, max_batches = 3, batch_bytes = 256 << 10;  // a record is ~70 KB
  size_t given = 0, most_ahead = 0;
  RecordHandoff handoff(consumer, batch_records, max_batches, batch_bytes);
  for (size_t i = 0; i < 200; ++i) {
    handoff.on_connection(heavy(i));
    ++given;
    most_ahead = std::max(most_ahead, given - consumer.taken.load());
  }
  handoff.finish();
  EXPECT_EQ(consumer.seen.size(), 200u);
  EXPECT_LE(most_ahead, max_batches * (batch_bytes / (60 * 200) + 1));  // far below 3,000 records
}

}  // namespace
}  // namespace c2hunt::pipeline
