#include "events/applied_ranges.h"

#include <gtest/gtest.h>

#include <string>

#include "events/envelope.h"

namespace parkline::events {
namespace {

TEST(RecentIds, RemembersTheLastIdsAndForgetsTheOldestFirst) {
  RecentIds ids(3);
  for (const char* id : {"a", "b", "c"}) ids.Add(id);
  EXPECT_TRUE(ids.Contains("a"));
  ids.Add("d");
  EXPECT_FALSE(ids.Contains("a"));
  EXPECT_TRUE(ids.Contains("b"));
  EXPECT_TRUE(ids.Contains("d"));
  EXPECT_EQ(ids.size(), 3u);
}

TEST(RecentIds, AnIdAddedTwiceTakesOneSlot) {
  RecentIds ids(2);
  ids.Add("a");
  ids.Add("a");
  ids.Add("b");
  EXPECT_TRUE(ids.Contains("a"));
  EXPECT_TRUE(ids.Contains("b"));
  EXPECT_EQ(ids.size(), 2u);
}

TEST(RecentIds, SurvivesManyWrapsWithLongIds) {
  RecentIds ids(100);
  for (int i = 0; i < 10000; ++i) ids.Add(std::string(40, 'x') + std::to_string(i));
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_TRUE(ids.Contains(std::string(40, 'x') + "9999"));
  EXPECT_TRUE(ids.Contains(std::string(40, 'x') + "9900"));
  EXPECT_FALSE(ids.Contains(std::string(40, 'x') + "9899"));
}

TEST(RecentIds, AnIdIsFoundByItsTextWhateverItsHashWasComputedFrom) {
  RecentIds ids(4);
  std::string id = "7f3c0f5e-1b2a-4c3d-8e9f-0a1b2c3d4e5f";
  ids.Add(HashedId(id, HashedId::Of(id)));
  std::string copy = id;  // another buffer: found by its text, not by its address
  EXPECT_TRUE(ids.Contains(copy));
  EXPECT_TRUE(ids.Contains(HashedId(copy)));
  EXPECT_FALSE(ids.Contains("7f3c0f5e-1b2a-4c3d-8e9f-0a1b2c3d4e50"));
}

TEST(Watermarks, KeepTheHighestNumberPerPublisher) {
  Watermarks marks;
  EXPECT_EQ(marks.Get("a"), 0);
  marks.Set("a", 5);
  marks.Set("b", 2);
  marks.Set("a", 9);
  EXPECT_EQ(marks.Get("a"), 9);
  EXPECT_EQ(marks.Get("b"), 2);
  EXPECT_EQ(marks.Get("a"), 9);  // found again after another publisher was looked up
  EXPECT_EQ(marks.Get("c"), 0);
  EXPECT_EQ(marks.all().size(), 2u);
}

TEST(EventIds, RoundTripShortAndLongIds) {
  std::string long_id(300, 'z');  // a length of two LEB128 bytes
  std::vector<absl::string_view> ids = {"7f3c0f5e-1b2a-4c3d-8e9f-0a1b2c3d4e5f", long_id, "x"};
  auto back = DecodeIds(EncodeIds(ids));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0], ids[0]);
  EXPECT_EQ((*back)[1], long_id);
  EXPECT_EQ((*back)[2], "x");
  auto none = DecodeIds(EncodeIds({}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(EventIds, UuidsAreStoredIn17BytesAndComeBackAsTheyWere) {
  std::string uuid = NewUuid();
  std::string upper = "7F3C0F5E-1B2A-4C3D-8E9F-0A1B2C3D4E5F";  // not NewUuid's form: kept as text
  std::string almost = "7f3c0f5e-1b2a-4c3d-8e9f-0a1b2c3d4e5";  // 35 characters
  EXPECT_EQ(EncodeIds({uuid}).size(), 17u);
  EXPECT_EQ(EncodeIds({upper}).size(), 37u);
  std::vector<absl::string_view> ids = {uuid, upper, almost, "", "x"};
  auto back = DecodeIds(EncodeIds(ids));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ((*back)[i], ids[i]) << i;
}

TEST(EventIds, RowsWrittenBeforeUuidsWerePackedStillRead) {
  std::string uuid = "7f3c0f5e-1b2a-4c3d-8e9f-0a1b2c3d4e5f";
  std::string old = std::string(1, 36) + uuid + std::string(1, 1) + "x";  // length, bytes
  auto back = DecodeIds(old);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, (std::vector<std::string>{uuid, "x"}));
}

TEST(EventIds, TruncatedBytesAreRefused) {
  std::string bytes = EncodeIds({"abcdef"});
  EXPECT_FALSE(DecodeIds(bytes.substr(0, 4)).ok());
  EXPECT_FALSE(DecodeIds("\x80").ok());
  EXPECT_FALSE(DecodeIds(EncodeIds({NewUuid()}).substr(0, 16)).ok());
}

}  // namespace
}  // namespace parkline::events
