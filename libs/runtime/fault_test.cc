#include "runtime/fault.h"

#include <gtest/gtest.h>

namespace parkline::runtime {
namespace {

TEST(ParseFaults, NothingSetMeansNoFault) {
  auto faults = ParseFaults("");
  ASSERT_TRUE(faults.has_value());
  EXPECT_TRUE(faults->empty());
}

TEST(ParseFaults, ReadsEachPointWithItsProbability) {
  auto faults = ParseFaults("relay.after_ack:0.2,aggregator.after_commit:1");
  ASSERT_TRUE(faults.has_value());
  EXPECT_DOUBLE_EQ(faults->at("relay.after_ack"), 0.2);
  EXPECT_DOUBLE_EQ(faults->at("aggregator.after_commit"), 1.0);
}

TEST(ParseFaults, RefusesWhatItCannotReadRatherThanInjectingNothing) {
  EXPECT_FALSE(ParseFaults("relay.after_ack").has_value());
  EXPECT_FALSE(ParseFaults("relay.after_ack:").has_value());
  EXPECT_FALSE(ParseFaults(":0.5").has_value());
  EXPECT_FALSE(ParseFaults("relay.after_ack:1.5").has_value());
  EXPECT_FALSE(ParseFaults("relay.after_ack:-0.1").has_value());
  EXPECT_FALSE(ParseFaults("relay.after_ack:0.2x").has_value());
}

TEST(FaultPoint, IsInertForPointsNotNamed) {
  FaultPoint("chaos.unit_test.never_named");  // returns: PARKLINE_FAULT is unset in unit tests
  SUCCEED();
}

}  // namespace
}  // namespace parkline::runtime
