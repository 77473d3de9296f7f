// The chain's arithmetic on plain canonical forms: an intact chain verifies; a changed, removed,
// reordered or re-hashed entry, and a head that names another end, are found where they are.
#include "hashchain/hash_chain.h"

#include <gtest/gtest.h>

namespace parkline::hashchain {
namespace {

std::vector<StoredEntry> Chain(int n) {
  std::vector<StoredEntry> chain;
  std::string previous = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    std::string canonical;
    AppendField(canonical, "INSPECTION-1");
    AppendField(canonical, std::to_string(i));
    StoredEntry e{i, previous, LinkHash(previous, canonical), canonical};
    previous = e.hash;
    chain.push_back(e);
  }
  return chain;
}

Head HeadOf(const std::vector<StoredEntry>& chain) {
  return chain.empty() ? Head{} : Head{chain.back().sequence, chain.back().hash};
}

TEST(HashChainTest, FieldsAreLengthPrefixedSoThatNoTwoSplitsCollide) {
  std::string a, b;
  AppendField(a, "ab");
  AppendField(a, "c");
  AppendField(b, "a");
  AppendField(b, "bc");
  EXPECT_EQ(a, "2:ab\n1:c\n");
  EXPECT_NE(a, b);
}

TEST(HashChainTest, AnIntactChainAndAnEmptyOneVerify) {
  auto chain = Chain(4);
  EXPECT_FALSE(Verify(chain, HeadOf(chain), "the inspection"));
  EXPECT_FALSE(Verify({}, Head{}, "the inspection"));
}

TEST(HashChainTest, AChangedEntryBreaksAtThatEntry) {
  auto chain = Chain(4);
  Head head = HeadOf(chain);
  chain[2].canonical += "x";
  auto broken = Verify(chain, head, "the inspection");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence, 3);
  EXPECT_NE(broken->reason.find("content"), std::string::npos);
}

TEST(HashChainTest, ARehashedEntryBreaksTheLinkToTheNext) {
  auto chain = Chain(4);
  Head head = HeadOf(chain);
  chain[1].canonical += "x";
  chain[1].hash = LinkHash(chain[1].previous_hash, chain[1].canonical);
  auto broken = Verify(chain, head, "the inspection");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence, 3);
  EXPECT_NE(broken->reason.find("previous_hash"), std::string::npos);
}

TEST(HashChainTest, ARemovedEntryOrATruncatedEndIsFound) {
  auto chain = Chain(4);
  Head head = HeadOf(chain);
  auto middle = chain;
  middle.erase(middle.begin() + 1);
  auto broken = Verify(middle, head, "the inspection");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence, 2);
  auto truncated = chain;
  truncated.pop_back();
  broken = Verify(truncated, head, "the inspection");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence, 0);
  EXPECT_EQ(broken->reason, "the inspection's head names entry 4 but the record ends at entry 3");
}

}  // namespace
}  // namespace parkline::hashchain
