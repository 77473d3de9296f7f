#include "logistics/watch_quota.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace parkline::logistics {
namespace {

TEST(WatchQuota, ACallerGetsUpToItsMaximumAndNoMore) {
  WatchQuota quota(2);
  auto first = quota.TryAcquire("carrier-a");
  auto second = quota.TryAcquire("carrier-a");
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(quota.TryAcquire("carrier-a").has_value());
  EXPECT_EQ(quota.open("carrier-a"), 2);
}

TEST(WatchQuota, OneCallerAtItsMaximumLeavesOthersUnaffected) {
  WatchQuota quota(1);
  auto a = quota.TryAcquire("carrier-a");
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE(quota.TryAcquire("carrier-a").has_value());
  auto b = quota.TryAcquire("platform-b");
  EXPECT_TRUE(b.has_value());
  EXPECT_EQ(quota.open("platform-b"), 1);
}

TEST(WatchQuota, ASlotGivesItsWatchBackWhenDestroyed) {
  WatchQuota quota(1);
  {
    auto slot = quota.TryAcquire("carrier-a");
    ASSERT_TRUE(slot.has_value());
    EXPECT_FALSE(quota.TryAcquire("carrier-a").has_value());
  }
  EXPECT_EQ(quota.open("carrier-a"), 0);
  EXPECT_TRUE(quota.TryAcquire("carrier-a").has_value());
}

TEST(WatchQuota, AMovedSlotIsGivenBackOnce) {
  WatchQuota quota(2);
  {
    auto slot = quota.TryAcquire("carrier-a");
    ASSERT_TRUE(slot.has_value());
    WatchQuota::Slot moved = std::move(*slot);
    slot.reset();  // the moved-from slot gives nothing back
    EXPECT_EQ(quota.open("carrier-a"), 1);
  }
  EXPECT_EQ(quota.open("carrier-a"), 0);
}

TEST(WatchQuota, ConcurrentCallersNeverHoldMoreThanTheMaximum) {
  WatchQuota quota(3);
  std::atomic<int> held{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto slot = quota.TryAcquire("carrier-a");
        if (!slot) continue;
        int now = ++held;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --held;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_GT(most.load(), 0);
  EXPECT_EQ(quota.open("carrier-a"), 0);
}

}  // namespace
}  // namespace parkline::logistics
