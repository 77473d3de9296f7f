// A broker outage as an operator meets it, on each store backend: every failed relay pass counts,
// the oldest pending event's age grows, and past --outbox_max_pending a write that would append
// an event is refused UNAVAILABLE with a message saying why, until the relay drains the outbox.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/outbox.h"
#include "events/outbox_relay.h"
#include "google/rpc/error_details.pb.h"
#include "runtime/job_errors.h"
#include "runtime/metrics.h"
#include "tests/support/backend_test.h"

namespace parkline::events {
namespace {

absl::Status NoSchema(store::Database&) { return absl::OkStatus(); }

// The value of the sample of `name` whose labels include `labels`; -1 when there is none.
double Sample(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
  for (const auto& family : runtime::Metrics().Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      bool match = true;
      for (const auto& [k, v] : labels) {
        bool found = false;
        for (const auto& l : metric.label) found = found || (l.name == k && l.value == v);
        match = match && found;
      }
      if (!match) continue;
      return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                            : metric.gauge.value;
    }
  }
  return -1;
}

class OutboxBoundTest : public testing::BackendTest<NoSchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    topic_ = testing::UniqueTopic("bound");
    ASSERT_TRUE(testing::CreateTopic(topic_, 1).ok());
  }
  void TearDown() override {
    // The bound is the process's: the other tests of this binary run unbounded.
    SetOutboxBound(0);
    NoteOutboxPending(0);
  }

  absl::Status Append() {
    return db_->Transact([&](store::Transaction& tx) {
      google::rpc::BadRequest message;
      return AppendToOutbox(tx, NewEvent(topic_, "/parkline/test", "key", message, absl::Now()));
    });
  }

  RelayOptions Options(const std::string& brokers) {
    RelayOptions options;
    options.brokers = brokers;
    options.max_pending = 5;
    options.gauge_interval = absl::Milliseconds(50);
    options.delivery_timeout = absl::Seconds(1);
    options.producer_overrides = {{"message.timeout.ms", "1000"}};
    return options;
  }

  std::string topic_;
};

TEST_P(OutboxBoundTest, BrokerOutageIsCountedAgedAndBoundsWrites) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Append().ok());
  const double failures_before = Sample("parkline_outbox_publish_failures_total");
  // Nobody listens: the broker is down.
  OutboxRelay down(*db_, Options("127.0.0.1:" + std::to_string(testing::FreePort())));
  ASSERT_TRUE(down.Start().ok());
  absl::Status refused;
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    refused = Append();
    if (!refused.ok()) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(absl::IsUnavailable(refused)) << refused;
  EXPECT_NE(refused.message().find("unpublished events (bound 5): the broker is unreachable; "
                                   "retry later"),
            absl::string_view::npos)
      << refused;
  // Several passes fail, each counted, though none got as far as producing a record.
  deadline = absl::Now() + absl::Seconds(20);
  while (Sample("parkline_outbox_publish_failures_total", {{"stage", "reconcile"}}) <
             failures_before + 2 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  down.Stop(absl::ZeroDuration());
  EXPECT_GE(Sample("parkline_outbox_publish_failures_total", {{"stage", "reconcile"}}),
            failures_before + 2);
  EXPECT_GE(Sample("parkline_outbox_pending"), 5);
  EXPECT_GT(Sample("parkline_outbox_oldest_pending_age_seconds"), 0);
  EXPECT_EQ(Sample("parkline_outbox_max_pending"), 5);
  EXPECT_GE(Sample("parkline_outbox_refused_total"), 1);
  EXPECT_GE(Pending().size(), 5u);

  // The broker is back: the relay drains the outbox and writes are accepted again.
  OutboxRelay up(*db_, Options(testing::KafkaBrokers()));
  ASSERT_TRUE(up.Start().ok());
  absl::Status accepted;
  deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    accepted = Append();
    if (accepted.ok()) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(accepted.ok()) << accepted;
  deadline = absl::Now() + absl::Seconds(30);
  while (!Pending().empty() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  absl::SleepFor(absl::Milliseconds(200));  // one more gauge reading
  up.Stop(absl::Seconds(5));
  EXPECT_TRUE(Pending().empty());
  EXPECT_EQ(Sample("parkline_outbox_oldest_pending_age_seconds"), 0);
}

PARKLINE_BACKEND_TESTS(OutboxBoundTest);

// The relay's housekeeping (the gauges, the pruning) on a database it cannot read: each failure
// is counted and logged, not ignored.
TEST(OutboxRelayHousekeeping, FailuresToCountOrPruneAreCounted) {
  testing::TempDir dir;
  auto db = store::Database::Open("sqlite://" + dir.path() + "/no-outbox.db");  // no events schema
  ASSERT_TRUE(db.ok()) << db.status();
  const double gauge_before = runtime::JobErrorCount("outbox_gauge");
  const double prune_before = runtime::JobErrorCount("outbox_prune");
  RelayOptions options;
  options.brokers = "127.0.0.1:" + std::to_string(testing::FreePort());
  options.gauge_interval = absl::Milliseconds(20);
  OutboxRelay relay(**db, options);
  ASSERT_TRUE(relay.Start().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while ((runtime::JobErrorCount("outbox_gauge") < gauge_before + 2 ||
          runtime::JobErrorCount("outbox_prune") < prune_before + 1) &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  relay.Stop(absl::ZeroDuration());
  EXPECT_GE(runtime::JobErrorCount("outbox_gauge"), gauge_before + 2);
  EXPECT_GE(runtime::JobErrorCount("outbox_prune"), prune_before + 1);
}

}  // namespace
}  // namespace parkline::events
