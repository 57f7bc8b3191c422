#include "c2hunt/correlate/process_table.h"

#include <gtest/gtest.h>

namespace c2hunt::correlate {
namespace {

records::Process proc(const std::string& id, const std::string& parent, const std::string& image, TimeMicros start,
                      uint32_t pid = 0) {
  records::Process p;
  p.entity_id = id;
  p.parent_entity_id = parent;
  p.executable = image;
  p.host = "h";
  p.pid = pid;
  p.start = start;
  return p;
}

TEST(ProcessTable, LineageFollowsParentsUpToTheDepth) {
  Counters counters;
  ProcessTableOptions options;
  options.lineage_depth = 2;
  ProcessTable table(counters, options);
  table.add(proc("a", "", "C:\\a.exe", 1));
  table.add(proc("b", "a", "C:\\b.exe", 2));
  table.add(proc("c", "b", "C:\\c.exe", 3));
  table.add(proc("d", "c", "C:\\d.exe", 4));
  auto chain = table.lineage(*table.find("d"));
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].entity_id, "c");
  EXPECT_EQ(chain[1].entity_id, "b");
}

TEST(ProcessTable, MissingParentIsDescribedFromTheChildsFields) {
  Counters counters;
  ProcessTable table(counters);
  records::Process p = proc("c", "gone", "C:\\c.exe", 3);
  p.parent_executable = "C:\\Windows\\System32\\mshta.exe";
  p.parent_command_line = "mshta.exe x.hta";
  p.parent_pid = 77;
  table.add(std::move(p));
  auto chain = table.lineage(*table.find("c"));
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_EQ(chain[0].entity_id, "gone");
  EXPECT_EQ(chain[0].executable, "C:\\Windows\\System32\\mshta.exe");
  EXPECT_EQ(chain[0].pid, 77u);
}

TEST(ProcessTable, GuidLoopsStop) {
  Counters counters;
  ProcessTable table(counters);
  table.add(proc("a", "b", "C:\\a.exe", 1));
  table.add(proc("b", "a", "C:\\b.exe", 2));
  EXPECT_EQ(table.lineage(*table.find("a")).size(), 1u);
}

TEST(ProcessTable, EvictsEndedProcessesFirstAndCounts) {
  Counters counters;
  ProcessTableOptions options;
  options.max_processes = 3;
  ProcessTable table(counters, options);
  table.add(proc("a", "", "a", 1));
  table.add(proc("b", "", "b", 2));
  table.add(proc("c", "", "c", 3));
  table.end("b", 10);
  table.add(proc("d", "", "d", 4));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_FALSE(table.find("b"));
  EXPECT_TRUE(table.find("a"));
  EXPECT_EQ(counters.get("process_table.evicted_ended"), 1u);
  table.add(proc("e", "", "e", 5));
  EXPECT_FALSE(table.find("a"));  // no ended one left: the oldest live one goes
  EXPECT_EQ(counters.get("process_table.evicted_live"), 1u);
}

TEST(ProcessTable, WithoutGuidsPidAndTimeSelectTheProcess) {
  Counters counters;
  ProcessTable table(counters);
  table.add(proc("", "", "C:\\old.exe", 100, 500));
  table.end(table.find_by_pid("h", 500, 150)->entity_id, 200);
  table.add(proc("", "", "C:\\new.exe", 300, 500));  // pid reused
  EXPECT_EQ(table.find_by_pid("h", 500, 150)->executable, "C:\\old.exe");
  EXPECT_EQ(table.find_by_pid("h", 500, 400)->executable, "C:\\new.exe");
  EXPECT_FALSE(table.find_by_pid("h", 500, 250));  // between the two lifetimes
  EXPECT_FALSE(table.find_by_pid("other", 500, 400));
  records::HostConnection h;
  h.host = "h";
  h.pid = 500;
  h.time = 400;
  EXPECT_EQ(table.process_for(h).executable, "C:\\new.exe");
  EXPECT_EQ(counters.get("process_table.synthetic_ids"), 2u);
}

TEST(ProcessTable, SignerIsKept) {
  Counters counters;
  ProcessTable table(counters);
  table.add(proc("a", "", "C:\\a.exe", 1));
  table.set_signer("a", "Acme", true);
  EXPECT_EQ(table.find("a")->signer, "Acme");
  EXPECT_EQ(table.find("a")->signed_valid, true);
}

}  // namespace
}  // namespace c2hunt::correlate

namespace c2hunt::correlate {
namespace {

// A long run of short-lived processes: the order queues must not grow with the number of processes.
TEST(ProcessTable, LongRunsStayBounded) {
  Counters counters;
  ProcessTableOptions options;
  options.max_processes = 100;
  ProcessTable table(counters, options);
  for (int i = 0; i < 20000; ++i) {
    records::Process p;
    p.entity_id = "id" + std::to_string(i);
    p.host = "h";
    p.pid = static_cast<uint32_t>(i);
    p.start = i;
    table.add(std::move(p));
    if (i > 0) table.end("id" + std::to_string(i - 1), i);  // ended processes go first: only they
    if (i % 7 == 0) table.add(records::Process{*table.find("id" + std::to_string(i))});  // a repeated EID 1
  }
  EXPECT_EQ(table.size(), 100u);
  EXPECT_GT(counters.get("process_table.queue_compactions"), 0u);
  EXPECT_EQ(counters.get("process_table.evicted_ended"), 19900u);
  EXPECT_TRUE(table.find("id19999"));
  EXPECT_TRUE(table.find_by_pid("h", 19999, 20000));
  EXPECT_LE(table.pid_index_size(), table.size());  // evicted processes leave the pid index too
}

}  // namespace
}  // namespace c2hunt::correlate
