#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

namespace parkline::auth {
namespace {

class FakeClock {
 public:
  RateLimiter::Clock clock() {
    return [this] { return now_; };
  }
  void Advance(absl::Duration d) { now_ += d; }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST(RateLimiter, OffByDefault) {
  RateLimiter limiter(RateLimit{});
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(limiter.Take("a"), absl::ZeroDuration());
}

TEST(RateLimiter, BurstThenTheRate) {
  FakeClock time;
  RateLimiter limiter(RateLimit{10, 3}, time.clock());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("erp"), absl::ZeroDuration()) << i;
  // Empty: a token comes back every 100 ms.
  EXPECT_EQ(limiter.Take("erp"), absl::Milliseconds(100));
  time.Advance(absl::Milliseconds(40));
  EXPECT_EQ(limiter.Take("erp"), absl::Milliseconds(60));
  time.Advance(absl::Milliseconds(60));
  EXPECT_EQ(limiter.Take("erp"), absl::ZeroDuration());
  EXPECT_GT(limiter.Take("erp"), absl::ZeroDuration());
}

TEST(RateLimiter, RefusedCallsTakeNothing) {
  FakeClock time;
  RateLimiter limiter(RateLimit{1, 1}, time.clock());
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Take("a"), absl::Seconds(1));
  time.Advance(absl::Seconds(1));
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
}

TEST(RateLimiter, RefillStopsAtTheBurst) {
  FakeClock time;
  RateLimiter limiter(RateLimit{100, 2}, time.clock());
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
  time.Advance(absl::Hours(1));
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("a"), absl::Milliseconds(10));
}

TEST(RateLimiter, EachPrincipalHasItsOwnBucket) {
  FakeClock time;
  RateLimiter limiter(RateLimit{1, 1}, time.clock());
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
  EXPECT_GT(limiter.Take("a"), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("b"), absl::ZeroDuration());
}

TEST(RateLimiter, AClockSteppingBackTakesNothingAway) {
  FakeClock time;
  RateLimiter limiter(RateLimit{1, 2}, time.clock());
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
  time.Advance(-absl::Minutes(5));
  EXPECT_EQ(limiter.Take("a"), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("a"), absl::Seconds(1));
}

}  // namespace
}  // namespace parkline::auth
