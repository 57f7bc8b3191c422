#include "c2hunt/util/byte_cursor.h"

#include <gtest/gtest.h>

#include <vector>

namespace c2hunt {

TEST(ByteCursor, ReadsBigEndianAndPoisonsPastTheEnd) {
  const std::vector<uint8_t> bytes = {0x16, 0x03, 0x01, 0x00, 0x05, 0xaa};
  ByteCursor c(bytes);
  EXPECT_EQ(c.read_u8(), 0x16);
  EXPECT_EQ(c.read_u16(), 0x0301);
  EXPECT_EQ(c.read_u16(), 0x0005);
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.read_u16(), 0);  // only one byte left
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.read_u8(), 0);   // poisoned: stays empty
  EXPECT_EQ(c.remaining(), 0u);
}

TEST(ByteCursor, SubCursorIsBoundedByItsLength) {
  const std::vector<uint8_t> bytes = {0x00, 0x02, 0x11, 0x22, 0x33};
  ByteCursor c(bytes);
  ByteCursor inner = c.sub_u16_prefixed();
  EXPECT_EQ(inner.read_u16(), 0x1122);
  EXPECT_TRUE(inner.done());
  EXPECT_EQ(c.read_u8(), 0x33);
  ByteCursor again(bytes);
  again.skip(2);
  ByteCursor too_long = again.sub(10);
  EXPECT_FALSE(too_long.ok());
  EXPECT_FALSE(again.ok());
}

TEST(ByteCursor, PeekNeverPoisons) {
  const std::vector<uint8_t> bytes = {0x01};
  ByteCursor c(bytes);
  EXPECT_EQ(c.peek_u16(), 0);
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.peek_u8(), 1);
}

}  // namespace c2hunt
