#include "host/store_metrics.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <thread>

#include "prometheus/registry.h"
#include "runtime/metrics.h"
#include "store/database.h"

namespace parkline::host {
namespace {

// The counter `name`{thread=`thread`} in the process's registry, or -1 when it has no such
// series.
double CounterValue(const std::string& name, const std::string& thread) {
  for (const prometheus::MetricFamily& family : runtime::Metrics().Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        if (label.name == "thread" && label.value == thread) return metric.counter.value;
      }
    }
  }
  return -1;
}

// Every wait the store tells goes to the waiting thread's series: waits begun (the first sleep of
// each) and every second slept. The relay's series are there from the start, at 0; another
// thread's only once it waited.
TEST(StoreMetricsTest, BusyWaitsAreCountedUnderTheWaitingThreadsName) {
  CountBusyWaits();
  EXPECT_EQ(CounterValue("parkline_store_busy_waits_total", "pl-relay"), 0);
  EXPECT_EQ(CounterValue("parkline_store_busy_wait_seconds_total", "pl-relay"), 0);
  EXPECT_EQ(CounterValue("parkline_store_busy_waits_total", "pl-test-waiter"), -1);
  std::thread waiter([] {
    pthread_setname_np(pthread_self(), "pl-test-waiter");
    store::ObserveBusyWait(/*first=*/true, 0.25);
    store::ObserveBusyWait(/*first=*/false, 0.5);
    store::ObserveBusyWait(/*first=*/true, 0.125);
  });
  waiter.join();
  std::thread other([] {
    pthread_setname_np(pthread_self(), "pl-test-other");
    store::ObserveBusyWait(/*first=*/true, 1);
  });
  other.join();
  store::SetBusyWaitObserver(nullptr);
  store::ObserveBusyWait(/*first=*/true, 8);  // no longer counted

  EXPECT_EQ(CounterValue("parkline_store_busy_waits_total", "pl-test-waiter"), 2);
  EXPECT_DOUBLE_EQ(CounterValue("parkline_store_busy_wait_seconds_total", "pl-test-waiter"), 0.875);
  EXPECT_EQ(CounterValue("parkline_store_busy_waits_total", "pl-test-other"), 1);
  EXPECT_DOUBLE_EQ(CounterValue("parkline_store_busy_wait_seconds_total", "pl-test-other"), 1);
  EXPECT_EQ(CounterValue("parkline_store_busy_waits_total", "pl-writer"), -1);
}

}  // namespace
}  // namespace parkline::host
