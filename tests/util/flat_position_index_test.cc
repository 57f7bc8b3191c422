#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "c2hunt/util/flat_position_index.h"

namespace c2hunt {
namespace {

// Generated keys, many sharing a tag: every inserted entry is found at its own position through
// growth, absent keys are not found, and clear() keeps nothing.
TEST(FlatPositionIndex, FindsEveryEntryThroughGrowthAndTagCollisions) {
  std::mt19937_64 rng(11);
  std::vector<uint64_t> keys;
  FlatPositionIndex index(50);
  auto tag = [](uint64_t key) { return static_cast<uint32_t>(key % 997); };  // forces collisions
  for (uint32_t i = 0; i < 20000; ++i) {
    keys.push_back(rng());
    index.insert(i, tag(keys.back()), keys.size());
  }
  EXPECT_GE(index.slot_count(), keys.size() * 2);
  for (uint32_t i = 0; i < keys.size(); ++i) {
    auto found = index.find(tag(keys[i]), [&](uint32_t p) { return keys[p] == keys[i]; });
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, i);
  }
  uint64_t absent = rng();
  EXPECT_FALSE(index.find(tag(absent), [&](uint32_t p) { return keys[p] == absent; }));
  index.clear();
  EXPECT_FALSE(index.find(tag(keys[0]), [&](uint32_t p) { return keys[p] == keys[0]; }));
  index.release();
  EXPECT_EQ(index.slot_count(), 0u);
}

}  // namespace
}  // namespace c2hunt
