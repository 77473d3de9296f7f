// The hash chain of a complaint's record: an intact chain verifies; a changed entry, a forged
// hash, a removed, reordered or dropped-at-the-end entry is found, and the break names the first
// entry that does not hold.
#include "complaints/record_chain.h"

#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"

namespace parkline::complaints {
namespace {

std::vector<v1::RecordEntry> Chain(const std::string& id, int n) {
  std::vector<v1::RecordEntry> out;
  for (int i = 0; i < n; ++i) {
    v1::RecordEntry e;
    e.set_action(i == 0 ? "FILE" : "STEP");
    e.set_from_status(static_cast<v1::ComplaintStatus>(i));
    e.set_to_status(static_cast<v1::ComplaintStatus>(i + 1));
    e.set_actor("staff-1");
    *e.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1780000000 + i);
    e.set_note("note " + std::to_string(i));
    (*e.mutable_details())["department"] = "finance";
    (*e.mutable_details())["handler"] = "staff-1";
    Seal(id, out.empty() ? nullptr : &out.back(), e);
    out.push_back(e);
  }
  return out;
}

ChainHead HeadOf(const std::vector<v1::RecordEntry>& chain) {
  return chain.empty() ? ChainHead{} : ChainHead{chain.back().sequence(), chain.back().hash()};
}

TEST(ComplaintRecordChainTest, AnIntactChainVerifies) {
  auto chain = Chain("CMP-1", 5);
  EXPECT_EQ(chain[0].previous_hash(), kGenesisHash);
  EXPECT_EQ(chain[0].sequence(), 1);
  EXPECT_EQ(chain[4].sequence(), 5);
  EXPECT_EQ(chain[0].hash().size(), 64u);
  EXPECT_FALSE(VerifyChain("CMP-1", chain, HeadOf(chain)));
}

TEST(ComplaintRecordChainTest, AChangedNoteBreaksAtThatEntry) {
  auto chain = Chain("CMP-1", 5);
  ChainHead head = HeadOf(chain);
  chain[2].set_note("nothing happened");
  auto broken = VerifyChain("CMP-1", chain, head);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence(), 3);
  EXPECT_EQ(broken->complaint_id(), "CMP-1");
  EXPECT_NE(broken->reason().find("content"), std::string::npos);
}

TEST(ComplaintRecordChainTest, AChangedDetailOrActorOrTimeBreaks) {
  for (int field = 0; field < 3; ++field) {
    auto chain = Chain("CMP-1", 3);
    ChainHead head = HeadOf(chain);
    if (field == 0) (*chain[1].mutable_details())["department"] = "nobody";
    if (field == 1) chain[1].set_actor("someone-else");
    if (field == 2) chain[1].mutable_time()->set_seconds(1);
    auto broken = VerifyChain("CMP-1", chain, head);
    ASSERT_TRUE(broken) << field;
    EXPECT_EQ(broken->sequence(), 2) << field;
  }
}

TEST(ComplaintRecordChainTest, ARecomputedHashShowsAtTheNextEntry) {
  auto chain = Chain("CMP-1", 4);
  ChainHead head = HeadOf(chain);
  chain[1].set_note("rewritten");
  chain[1].set_hash(ChainHash(chain[1].previous_hash(), "CMP-1", chain[1]));
  auto broken = VerifyChain("CMP-1", chain, head);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence(), 3);
  EXPECT_NE(broken->reason().find("previous_hash"), std::string::npos);
}

TEST(ComplaintRecordChainTest, RemovedOrDroppedEntriesAreFound) {
  auto chain = Chain("CMP-1", 4);
  ChainHead head = HeadOf(chain);
  auto middle = chain;
  middle.erase(middle.begin() + 1);
  auto broken = VerifyChain("CMP-1", middle, head);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence(), 2);

  auto truncated = chain;
  truncated.pop_back();
  broken = VerifyChain("CMP-1", truncated, head);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence(), 0);
  EXPECT_NE(broken->reason().find("head"), std::string::npos);
}

TEST(ComplaintRecordChainTest, AnEntryMovedToAnotherComplaintBreaks) {
  auto chain = Chain("CMP-1", 2);
  EXPECT_TRUE(VerifyChain("CMP-2", chain, HeadOf(chain)));
}

TEST(ComplaintRecordChainTest, TheCanonicalFormCannotBeShiftedBetweenFields) {
  v1::RecordEntry a, b;
  a.set_actor("ab");
  a.set_note("c");
  b.set_actor("a");
  b.set_note("bc");
  EXPECT_NE(CanonicalEntry("X", a), CanonicalEntry("X", b));
  v1::RecordEntry c, d;
  (*c.mutable_details())["k"] = "v=w";
  (*d.mutable_details())["k=v"] = "w";
  EXPECT_NE(CanonicalEntry("X", c), CanonicalEntry("X", d));
}

}  // namespace
}  // namespace parkline::complaints
