// The idempotent consumer against the real local Kafka broker: every event applied once, even
// when Kafka delivers it again; undecodable records dead-lettered without blocking the partition.
#include "events/consumer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/kafka_producer.h"
#include "events/schema.h"
#include "google/rpc/error_details.pb.h"
#include "prometheus/metric_family.h"
#include "runtime/metrics.h"
#include "store/migrations.h"
#include "tests/support/test_env.h"

namespace parkline::events {
namespace {

constexpr char kType[] = "google.rpc.BadRequest";

class ConsumerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (database_.url().empty()) GTEST_SKIP() << "PARKLINE_TEST_POSTGRES_URL is not set";
    auto db = store::Database::Open(database_.url());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(ApplyEventsSchema(*db_).ok());
    ASSERT_TRUE(store::ApplyMigrations(
                    *db_, "test",
                    {{1, "effects", "CREATE TABLE effects (seq BIGINT NOT NULL, event_id TEXT)"}})
                    .ok());
    topic_ = testing::UniqueTopic("consumer");
    deadletter_ = testing::UniqueTopic("deadletter");
    ASSERT_TRUE(testing::CreateTopic(topic_, 3).ok());
    ASSERT_TRUE(testing::CreateTopic(deadletter_, 1).ok());
    auto producer = KafkaProducer::Create(testing::KafkaBrokers());
    ASSERT_TRUE(producer.ok());
    producer_ = std::move(*producer);
  }

  Envelope Event(int seq) {
    google::rpc::BadRequest message;
    message.add_field_violations()->set_field(std::to_string(seq));
    return NewEvent(topic_, "/parkline/test", absl::StrCat("key-", seq % 5), message, absl::Now());
  }

  void Send(const std::vector<Record>& records) {
    for (size_t i = 0; i < records.size(); ++i) ASSERT_TRUE(producer_->Produce(records[i], i).ok());
    for (const Delivery& d : producer_->Flush(absl::Seconds(20))) ASSERT_TRUE(d.status.ok());
  }

  static absl::Status ApplyOne(store::Transaction& tx, const Envelope& e) {
    return ApplyView(tx, ViewOf(e));
  }

  static absl::Status ApplyView(store::Transaction& tx, const EventView& e) {
    google::rpc::BadRequest message;
    if (!message.ParseFromArray(e.payload.data(), static_cast<int>(e.payload.size())) ||
        message.field_violations_size() != 1) {
      return absl::InvalidArgumentError("payload is not a BadRequest with one violation");
    }
    return tx
        .Execute("INSERT INTO effects (seq, event_id) VALUES ($1, $2)",
                 {int64_t{std::stoi(message.field_violations(0).field())}, std::string(e.id)})
        .status();
  }

  // One event per transaction (On), or many (OnBatch, as the statistics aggregator reads).
  std::unique_ptr<EventConsumer> NewConsumer(bool batch = false,
                                             std::map<std::string, std::string> overrides = {},
                                             size_t recent_ids = 10000) {
    ConsumerOptions options;
    options.brokers = testing::KafkaBrokers();
    options.group_id = group_;
    options.topics = {topic_};
    options.deadletter_topic = deadletter_;
    options.overrides = std::move(overrides);
    options.recent_ids_per_partition = recent_ids;
    options.lag_interval = lag_interval_;
    auto consumer = std::make_unique<EventConsumer>(*db_, options);
    if (batch) {
      consumer->OnBatch(
          {kType},
          [](store::Transaction& tx, const std::vector<EventView>& events) -> absl::Status {
            for (const EventView& e : events) {
              if (auto s = ApplyView(tx, e); !s.ok()) return s;
            }
            return absl::OkStatus();
          },
          16);
    } else {
      consumer->On(kType, ApplyOne);
    }
    return consumer;
  }

  // Events `from` .. `to` - 1.
  std::vector<Envelope> Events(int from, int to) {
    std::vector<Envelope> out;
    for (int i = from; i < to; ++i) out.push_back(Event(i));
    return out;
  }
  static std::vector<Record> Records(const std::vector<Envelope>& events) {
    std::vector<Record> out;
    for (const Envelope& e : events) out.push_back(ToRecord(e));
    return out;
  }
  // `event` as the outbox relay sends it: number `seq` of `publisher`.
  static Record Numbered(const Envelope& event, const std::string& publisher, int64_t seq) {
    Record record = ToRecord(event);
    record.headers.emplace_back(kPublisherHeader, publisher);
    record.headers.emplace_back(kSequenceHeader, std::to_string(seq));
    return record;
  }

  // Runs a consumer until `n` effects exist, and a second more: time for any wrong second
  // application to show.
  void ConsumeUntil(int64_t n, bool batch = false,
                    std::map<std::string, std::string> overrides = {}) {
    auto consumer = NewConsumer(batch, std::move(overrides));
    ASSERT_TRUE(consumer->Start().ok());
    WaitForEffects(n);
    absl::SleepFor(absl::Seconds(1));
    consumer->Stop();
  }

  void ExpectEachEventAppliedOnceAndOnlyBadRecordsDeadLettered(bool batch);
  void ExpectAPoisonEventDeadLetteredAfterItsAttempts(bool batch);

  // The process's sample of `name` with all of `labels`, or -1.
  static double Sample(const std::string& name, const std::map<std::string, std::string>& labels) {
    for (const auto& family : runtime::Metrics().Collect()) {
      if (family.name != name) continue;
      for (const auto& metric : family.metric) {
        size_t matched = 0;
        for (const auto& label : metric.label) {
          auto it = labels.find(label.name);
          if (it != labels.end() && it->second == label.value) ++matched;
        }
        if (matched != labels.size()) continue;
        return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                              : metric.gauge.value;
      }
    }
    return -1;
  }
  // The sum of this group's parkline_consumer_lag samples, and how many there are.
  std::pair<double, int> Lag() {
    double sum = 0;
    int n = 0;
    for (const auto& family : runtime::Metrics().Collect()) {
      if (family.name != "parkline_consumer_lag") continue;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.name == "group" && label.value == group_) {
            sum += metric.gauge.value;
            ++n;
          }
        }
      }
    }
    return {sum, n};
  }
  void ExpectTwoMembersToApplyEachEventOnce(bool batch, bool numbered = false);

  // This consumer's events with `outcome`, from the process's metrics.
  int64_t Outcomes(const std::string& outcome) {
    for (const auto& family : runtime::Metrics().Collect()) {
      if (family.name != "parkline_consumer_events_total") continue;
      for (const auto& metric : family.metric) {
        bool mine = false, same = false;
        for (const auto& label : metric.label) {
          mine |= label.name == "consumer" && label.value == group_;
          same |= label.name == "outcome" && label.value == outcome;
        }
        if (mine && same) return static_cast<int64_t>(metric.counter.value);
      }
    }
    return 0;
  }

  int64_t Query(const std::string& sql) {
    int64_t n = -1;
    db_->Read([&](store::Transaction& tx) -> absl::Status {
         auto rows = tx.Query(sql);
         if (rows.ok()) n = rows->front().Int(0);
         return rows.status();
       })
        .IgnoreError();
    return n;
  }

  void WaitForEffects(int64_t n) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (Query("SELECT COUNT(*) FROM effects") < n && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  testing::TestDatabase database_{GetParam()};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<KafkaProducer> producer_;
  std::string topic_;
  std::string deadletter_;
  std::string group_ = "test-" + NewUuid();
  absl::Duration lag_interval_ = ConsumerOptions().lag_interval;
};

void ConsumerTest::ExpectEachEventAppliedOnceAndOnlyBadRecordsDeadLettered(bool batch) {
  std::vector<Record> records;
  std::vector<Envelope> events;
  for (int i = 0; i < 50; ++i) events.push_back(Event(i));
  for (const Envelope& e : events) records.push_back(ToRecord(e));
  // Kafka delivering the first ten again, as after a producer retry or a relay crash.
  for (int i = 0; i < 10; ++i) records.push_back(ToRecord(events[i]));
  // Not a CloudEvent at all.
  records.push_back(Record{topic_, "key-0", "garbage", {}});
  // A CloudEvent whose payload the handler cannot apply.
  Envelope broken = Event(999);
  broken.payload = "\xff\xff";
  records.push_back(ToRecord(broken));
  // A type this consumer does not know (a newer producer): skipped, not dead-lettered.
  Envelope unknown = Event(1000);
  unknown.type = "parkline.test.v1.SomethingNew";
  records.push_back(ToRecord(unknown));
  // Records after the bad ones: the partition must not be blocked.
  for (int i = 50; i < 55; ++i) {
    events.push_back(Event(i));
    records.push_back(ToRecord(events.back()));
  }
  Send(records);

  auto consumer = NewConsumer(batch);
  ASSERT_TRUE(consumer->Start().ok());
  WaitForEffects(55);
  auto deadletters = testing::ReadTopic(deadletter_, 2, absl::Seconds(30));
  absl::SleepFor(absl::Seconds(1));  // time for any wrong second application to show
  consumer->Stop();

  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 55);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT event_id) FROM effects"), 55);
  // One at a time, each id is recorded in a row; in batches, with the range it was read in.
  EXPECT_EQ(Query(batch ? "SELECT SUM(applied) FROM consumed_ranges"
                        : "SELECT COUNT(*) FROM consumed_events"),
            55);
  ASSERT_EQ(deadletters.size(), 2u);
  int copies_of_broken = 0;
  for (const auto& r : deadletters) {
    EXPECT_FALSE(testing::Header(r, "parkline_deadletter_reason").empty());
    EXPECT_EQ(testing::Header(r, "parkline_original_topic"), topic_);
    // The copy keeps the record's own headers (in batch mode they are freed once read, and
    // read again for the copy).
    if (testing::Header(r, "ce_id") == broken.id) {
      ++copies_of_broken;
      EXPECT_EQ(testing::Header(r, "ce_type"), broken.type);
    }
  }
  EXPECT_EQ(copies_of_broken, 1);
}

TEST_P(ConsumerTest, AppliesEachEventOnceAndDeadLettersWhatItCannotRead) {
  ExpectEachEventAppliedOnceAndOnlyBadRecordsDeadLettered(false);
}

// In batch mode a batch holds duplicates of its own events and of earlier batches, and a bad
// event makes the batch fall back to one event at a time: the same outcome as above.
TEST_P(ConsumerTest, InBatchesAppliesEachEventOnceAndDeadLettersOnlyTheBadOnes) {
  ExpectEachEventAppliedOnceAndOnlyBadRecordsDeadLettered(true);
}

// A handler that fails on one event (a bug, not a busy database) is tried max_attempts times with
// backoff; then the event is dead-lettered with the reason and the partition goes on. Transient
// failures (UNAVAILABLE) of another event are retried without counting. The lag of the partition
// held back shows in parkline_consumer_lag meanwhile, and is 0 at the end.
void ConsumerTest::ExpectAPoisonEventDeadLetteredAfterItsAttempts(bool batch) {
  constexpr int kPoison = 3, kFlaky = 6;
  Send(Records(Events(0, 20)));
  std::atomic<int> poison_attempts{0}, flaky_failures{0};
  ConsumerOptions options;
  options.brokers = testing::KafkaBrokers();
  options.group_id = group_;
  options.topics = {topic_};
  options.deadletter_topic = deadletter_;
  options.max_attempts = 4;
  options.retry_backoff = absl::Milliseconds(300);
  options.max_retry_backoff = absl::Seconds(1);
  options.lag_interval = absl::Milliseconds(50);
  auto apply = [&](store::Transaction& tx, const EventView& e) -> absl::Status {
    google::rpc::BadRequest message;
    message.ParseFromArray(e.payload.data(), static_cast<int>(e.payload.size()));
    const int seq = std::stoi(message.field_violations(0).field());
    if (seq == kPoison) {
      ++poison_attempts;
      return absl::FailedPreconditionError("the test's handler cannot apply event 3");
    }
    if (seq == kFlaky && flaky_failures < 5) {
      ++flaky_failures;
      return absl::UnavailableError("database busy");
    }
    return ApplyView(tx, e);
  };
  EventConsumer consumer(*db_, options);
  if (batch) {
    consumer.OnBatch(
        {kType},
        [&](store::Transaction& tx, const std::vector<EventView>& events) -> absl::Status {
          for (const EventView& e : events) {
            if (auto s = apply(tx, e); !s.ok()) return s;
          }
          return absl::OkStatus();
        },
        16);
  } else {
    consumer.On(kType,
                [&](store::Transaction& tx, const Envelope& e) { return apply(tx, ViewOf(e)); });
  }
  const double deadlettered_before =
      std::max(0.0, Sample("parkline_consumer_deadlettered_total",
                           {{"consumer", group_}, {"reason", "handler_failed"}}));
  ASSERT_TRUE(consumer.Start().ok());
  // While the poison event is retried its partition is held back: a lag shows.
  // Nor is the consumer caught up (CaughtUpAt) while it is.
  const absl::Time started = absl::Now();
  double max_lag = 0;
  absl::Time caught_up_while_held = absl::InfinitePast();
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (Query("SELECT COUNT(*) FROM effects") < 19 && absl::Now() < deadline) {
    max_lag = std::max(max_lag, Lag().first);
    if (max_lag > 0 && Query("SELECT COUNT(*) FROM effects WHERE seq = 3") == 0 &&
        poison_attempts < 4) {
      caught_up_while_held = std::max(caught_up_while_held, consumer.CaughtUpAt());
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  auto deadletters = testing::ReadTopic(deadletter_, 1, absl::Seconds(30));
  absl::SleepFor(absl::Milliseconds(500));
  const std::pair<double, int> lag_after = Lag();
  EXPECT_EQ(caught_up_while_held, absl::InfinitePast()) << "caught up with a partition held back";
  EXPECT_GT(consumer.CaughtUpAt(), started) << "every partition applied, yet not caught up";
  consumer.Stop();

  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 19);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects WHERE seq = 3"), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects WHERE seq = 6"), 1);
  EXPECT_EQ(flaky_failures, 5) << "a transient failure must not dead-letter the event";
  // One at a time: exactly max_attempts. In batches the batches fail first, then the event alone.
  if (batch) {
    EXPECT_GE(poison_attempts, 4);
  } else {
    EXPECT_EQ(poison_attempts, 4);
  }
  ASSERT_EQ(deadletters.size(), 1u);
  EXPECT_EQ(testing::Header(deadletters[0], "parkline_deadletter_reason"),
            "handler failed 4 times: the test's handler cannot apply event 3");
  EXPECT_EQ(testing::Header(deadletters[0], "parkline_original_topic"), topic_);
  EXPECT_EQ(Sample("parkline_consumer_deadlettered_total",
                   {{"consumer", group_}, {"reason", "handler_failed"}}),
            deadlettered_before + 1);
  EXPECT_GE(Outcomes("deadlettered"), 1);
  EXPECT_GT(max_lag, 0) << "the partition held back by the poison event showed no lag";
  EXPECT_EQ(lag_after.second, 3) << "one lag sample per assigned partition";
  EXPECT_EQ(lag_after.first, 0);
  EXPECT_EQ(Lag().second, 0) << "a stopped consumer reports no lag";
}

TEST_P(ConsumerTest, APoisonEventIsDeadLetteredAfterItsAttemptsAndTheNextIsApplied) {
  ExpectAPoisonEventDeadLetteredAfterItsAttempts(false);
}

TEST_P(ConsumerTest, InBatchesAPoisonEventIsDeadLetteredAfterItsAttempts) {
  ExpectAPoisonEventDeadLetteredAfterItsAttempts(true);
}

// A typed handler (On<M>): the consumer reads the topic named after M's package (here under a
// test prefix), hands the handler the decoded message, dead-letters a payload that does not
// decode as M, and reads past the types it Ignores without counting them as unknown.
TEST_P(ConsumerTest, ATypedHandlerReadsItsPackagesTopicAndDeadLettersWhatDoesNotDecode) {
  const std::string prefix = testing::UniqueTopic("typed") + ".";
  const std::string topic = prefix + "google.rpc";
  ASSERT_TRUE(testing::CreateTopic(topic, 1).ok());
  ASSERT_TRUE(testing::CreateTopic(prefix + deadletter_, 1).ok());
  auto event = [&](const google::protobuf::Message& m) {
    return NewEvent(topic, "/parkline/test", "key", m, absl::Now());
  };
  std::vector<Envelope> events;
  for (int seq : {1, 2}) {
    google::rpc::BadRequest request;
    request.add_field_violations()->set_field(std::to_string(seq));
    events.push_back(event(request));
  }
  Envelope broken = events[0];
  broken.id = NewUuid();
  broken.payload = "\xff\xff";
  google::rpc::PreconditionFailure ignored;  // read past on purpose
  std::vector<Record> records = {ToRecord(events[0]), ToRecord(broken), ToRecord(event(ignored)),
                                 ToRecord(events[1])};
  Send(records);

  ConsumerOptions options;
  options.brokers = testing::KafkaBrokers();
  options.group_id = group_;
  options.topic_prefix = prefix;
  options.deadletter_topic = deadletter_;
  EventConsumer consumer(*db_, options);
  consumer.On<google::rpc::BadRequest>(
      [](store::Transaction& tx, const google::rpc::BadRequest& m, const Envelope& e) {
        return tx
            .Execute("INSERT INTO effects (seq, event_id) VALUES ($1, $2)",
                     {int64_t{std::stoi(m.field_violations(0).field())}, e.id})
            .status();
      });
  consumer.Ignore<google::rpc::PreconditionFailure>();
  ASSERT_TRUE(consumer.Start().ok());
  WaitForEffects(2);
  auto deadletters = testing::ReadTopic(prefix + deadletter_, 1, absl::Seconds(30));
  absl::SleepFor(absl::Seconds(1));
  consumer.Stop();

  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 2);
  EXPECT_EQ(Query("SELECT SUM(seq) FROM effects"), 3);
  ASSERT_EQ(deadletters.size(), 1u);
  EXPECT_EQ(testing::Header(deadletters[0], "ce_id"), broken.id);
  EXPECT_NE(testing::Header(deadletters[0], "parkline_deadletter_reason").find("does not decode"),
            std::string::npos);
  EXPECT_EQ(Outcomes("unknown_type"), 0);
  EXPECT_EQ(Outcomes("applied"), 3);
}

TEST_P(ConsumerTest, ARestartedConsumerResumesWithoutReapplying) {
  Send(Records(Events(0, 20)));
  ConsumeUntil(20);
  Send(Records(Events(20, 30)));
  ConsumeUntil(30);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 30);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 30);
}

void ConsumerTest::ExpectTwoMembersToApplyEachEventOnce(bool batch, bool numbered) {
  std::vector<Record> records;
  std::vector<Envelope> events;
  const std::string publisher = "db/" + NewUuid();
  auto record = [&](int i) {
    return numbered ? Numbered(events[i], publisher, i + 1) : ToRecord(events[i]);
  };
  for (int i = 0; i < 250; ++i) events.push_back(Event(i));
  for (int i = 0; i < 200; ++i) records.push_back(record(i));
  for (int i = 0; i < 200; i += 3) records.push_back(record(i));  // redelivered copies
  auto one = NewConsumer(batch);
  auto two = NewConsumer(batch);
  ASSERT_TRUE(one->Start().ok());
  ASSERT_TRUE(two->Start().ok());
  Send(records);
  WaitForEffects(200);
  one->Stop();  // a rebalance hands its partitions to the other member mid-stream
  records.clear();
  for (int i = 200; i < 250; ++i) records.push_back(record(i));
  for (int i = 190; i < 250; i += 7) records.push_back(record(i));
  Send(records);
  WaitForEffects(250);
  absl::SleepFor(absl::Seconds(1));
  two->Stop();
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 250);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 250);
}

TEST_P(ConsumerTest, TwoMembersOfOneGroupApplyEachEventOnce) {
  ExpectTwoMembersToApplyEachEventOnce(false);
}

// The positions are read and moved in the transaction that applies the effects, so that the
// member that takes over a partition cannot apply again what the other one just applied.
TEST_P(ConsumerTest, InBatchesTwoMembersOfOneGroupApplyEachEventOnce) {
  ExpectTwoMembersToApplyEachEventOnce(true);
}

// The same with numbered records (as the outbox relay sends them): a member that takes over a
// partition mid-batch reads the watermarks with the position, in its transaction.
TEST_P(ConsumerTest, InBatchesTwoMembersOfOneGroupApplyEachNumberedEventOnce) {
  ExpectTwoMembersToApplyEachEventOnce(true, true);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM consumed_ranges WHERE LENGTH(event_ids) > 0"), 0)
      << "numbered events need no ids";
}

// What publishers do to a partition, as the consumer sees it (docs/events.md#publish-numbers):
// a relay killed between the broker's acknowledgement and marking its rows sends them again
// with their numbers; a relay that takes the lease over sends the rows the one before had
// numbered (those still in flight when it died never landed) with their numbers, then numbers
// the next ones under its own name. Read by an empty store from offset 0: each once, and no
// id kept.
TEST_P(ConsumerTest, InBatchesNumberedCopiesFromCrashesAndTakeoversAreAppliedOnce) {
  std::vector<Envelope> events = Events(0, 30);
  const std::string first = "db/" + NewUuid(), second = "db/" + NewUuid();
  std::vector<Record> records;
  for (int i = 0; i < 20; ++i) records.push_back(Numbered(events[i], first, i + 1));
  for (int i = 5; i < 15; ++i) records.push_back(Numbered(events[i], first, i + 1));
  for (int i = 15; i < 25; ++i) records.push_back(Numbered(events[i], first, i + 1));
  for (int i = 25; i < 30; ++i) records.push_back(Numbered(events[i], second, i + 6));
  Send(records);
  ConsumeUntil(30, true);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 30);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 30);
  EXPECT_EQ(Outcomes("duplicate"), 15);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM consumed_ranges WHERE LENGTH(event_ids) > 0"), 0);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT publisher) FROM consumed_watermarks"), 2);
}

// A replay from offset 0 into the same store: below the positions nothing is looked at; with
// the positions gone (as if Kafka's offsets and the ranges were both reset), the watermarks
// alone recognise every numbered event.
TEST_P(ConsumerTest, InBatchesAReplayFromOffsetZeroAppliesNothingTwice) {
  std::vector<Envelope> events = Events(0, 40);
  const std::string publisher = "db/" + NewUuid();
  std::vector<Record> records;
  for (int i = 0; i < 40; ++i) records.push_back(Numbered(events[i], publisher, i + 1));
  Send(records);
  ConsumeUntil(40, true);
  // Another Kafka group under the same consumer name: Kafka's offsets start at 0.
  ConsumeUntil(40, true, {{"group.id", group_ + "-replay"}});
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 40);
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) {
                   return tx.Execute("DELETE FROM consumed_ranges").status();
                 })
                  .ok());
  auto again = NewConsumer(true, {{"group.id", group_ + "-replay-again"}});
  ASSERT_TRUE(again->Start().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (Outcomes("duplicate") < 40 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Seconds(1));
  again->Stop();
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 40);
  EXPECT_EQ(Outcomes("duplicate"), 40) << "the third reading, past no position";
}

// The relay publishes in transactions, whose commit markers take offsets after the records: a
// consumer that applied every record shows no lag and is caught up (the statistics' day closer
// waits for that).
TEST_P(ConsumerTest, ReadToTheEndOfTransactionsShowsNoLagAndIsCaughtUp) {
  auto transactional = KafkaProducer::Create(testing::KafkaBrokers(), {},
                                             {{"transactional.id", "test-" + NewUuid()}});
  ASSERT_TRUE(transactional.ok());
  ASSERT_TRUE((*transactional)->InitTransactions(absl::Seconds(30)).ok());
  const std::string publisher = "db/" + NewUuid();
  std::vector<Envelope> events = Events(0, 30);
  for (int pass = 0; pass < 3; ++pass) {
    ASSERT_TRUE((*transactional)->BeginTransaction().ok());
    for (int i = pass * 10; i < (pass + 1) * 10; ++i) {
      ASSERT_TRUE((*transactional)->Produce(Numbered(events[i], publisher, i + 1), i).ok());
    }
    ASSERT_TRUE((*transactional)->CommitTransaction(absl::Seconds(30)).ok());
  }
  lag_interval_ = absl::Milliseconds(50);
  const std::string name = group_;
  for (bool batch : {false, true}) {
    // Each a consumer of its own, so that each reads and applies everything.
    group_ = name + (batch ? "-batch" : "-one");
    auto consumer = NewConsumer(batch);
    const absl::Time started = absl::Now();
    ASSERT_TRUE(consumer->Start().ok());
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (consumer->CaughtUpAt() < started && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    EXPECT_GT(consumer->CaughtUpAt(), started) << (batch ? "batch" : "one at a time");
    consumer->Stop();
  }
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 60);
}

// An upgrade: a row the publisher sent without a number before and sends again with one after
// (it had not been marked) is recognised by its id, while unnumbered ids are remembered.
TEST_P(ConsumerTest, InBatchesARecordSentWithoutANumberThenWithOneIsAppliedOnce) {
  std::vector<Envelope> events = Events(0, 15);
  const std::string publisher = "db/" + NewUuid();
  std::vector<Record> records = Records({events.begin(), events.begin() + 10});
  for (int i = 5; i < 15; ++i) records.push_back(Numbered(events[i], publisher, i - 4));
  Send(records);
  ConsumeUntil(15, true);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 15);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 15);
}

// Two readers of every record (two Kafka groups, one consumer in the database), remembering
// only the last id of each partition: the positions alone keep each event applied once.
TEST_P(ConsumerTest, InBatchesTwoReadersOfEveryRecordApplyEachEventOnce) {
  auto one = NewConsumer(true, {{"group.id", group_ + "-one"}}, 1);
  auto two = NewConsumer(true, {{"group.id", group_ + "-two"}}, 1);
  ASSERT_TRUE(one->Start().ok());
  ASSERT_TRUE(two->Start().ok());
  for (int round = 0; round < 4; ++round) {
    Send(Records(Events(round * 50, (round + 1) * 50)));
  }
  WaitForEffects(200);
  absl::SleepFor(absl::Seconds(2));
  one->Stop();
  two->Stop();
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 200);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 200);
}

// Kafka never commits here: a batch consumer resumes at the positions in its database, without
// reading again what it applied.
TEST_P(ConsumerTest, InBatchesAConsumerResumesAtItsPositionsNotAtKafkasOffsets) {
  const std::map<std::string, std::string> no_commits = {{"enable.auto.commit", "false"}};
  Send(Records(Events(0, 20)));
  ConsumeUntil(20, true, no_commits);
  Send(Records(Events(20, 30)));
  ConsumeUntil(30, true, no_commits);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 30);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 30);
  EXPECT_EQ(Outcomes("duplicate"), 0) << "the first 20 were read again";
  EXPECT_EQ(Outcomes("applied"), 30);
}

// A batch transaction does not wait for the disk: a machine crash may take back its effects and
// positions while Kafka keeps the offsets committed after it. The records are applied again.
TEST_P(ConsumerTest, InBatchesTransactionsLostInACrashAreAppliedAgain) {
  Send(Records(Events(0, 20)));
  ConsumeUntil(20, true);  // Kafka's offsets committed at the end of every partition
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   if (auto s = tx.Execute("DELETE FROM effects"); !s.ok()) return s.status();
                   return tx.Execute("DELETE FROM consumed_ranges").status();
                 })
                  .ok());
  ConsumeUntil(20, true);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 20);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 20);
}

// A publisher's copy is the same event at a new offset: after a restart the consumer still
// knows the ids it applied last, from its database.
TEST_P(ConsumerTest, InBatchesAPublishersCopyIsRecognisedAfterARestart) {
  std::vector<Envelope> events = Events(0, 20);
  Send(Records(events));
  ConsumeUntil(20, true);
  std::vector<Envelope> again(events.begin(), events.begin() + 10);
  for (Envelope& e : Events(20, 25)) again.push_back(std::move(e));
  Send(Records(again));
  ConsumeUntil(25, true);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 25);
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT seq) FROM effects"), 25);
}

// A consumer upgraded from recording a row per id: until a partition has a position, its events
// are looked up among those rows (they may come again from Kafka's last committed offset).
TEST_P(ConsumerTest, InBatchesIdsRecordedOneByOneBeforeAreStillRecognised) {
  std::vector<Envelope> events = Events(0, 20);
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   for (int i = 0; i < 10; ++i) {
                     auto s = tx.Execute(
                         "INSERT INTO consumed_events (consumer, event_time, event_id, topic, "
                         "processed_at) VALUES ($1, $2, $3, $4, $5)",
                         {group_, absl::ToUnixMicros(events[i].time), events[i].id, topic_,
                          absl::ToUnixMicros(absl::Now())});
                     if (!s.ok()) return s.status();
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  Send(Records(events));
  ConsumeUntil(10, true);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 10);
  EXPECT_EQ(Query("SELECT MIN(seq) FROM effects"), 10);
}

// A position beyond the partition's end (its log lost a tail that this consumer had applied) is
// an error, then moves back to the end: the records written there next are applied, the ones
// below are not applied again.
TEST_P(ConsumerTest, InBatchesAPositionBeyondThePartitionsEndMovesBackToIt) {
  Send(Records(Events(0, 20)));
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   for (int32_t p = 0; p < 3; ++p) {
                     auto s = RecordRange(tx, group_, {topic_, p}, Position{}, 0, 1000, 0, {},
                                          absl::ToUnixMicros(absl::Now()));
                     if (!s.ok()) return s;
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  auto consumer = NewConsumer(true);
  ASSERT_TRUE(consumer->Start().ok());
  const std::string moved_back =
      "SELECT COUNT(*) FROM consumed_ranges WHERE seq = 2 AND consumer = '" + group_ + "'";
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Query(moved_back) < 3 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  ASSERT_EQ(Query(moved_back), 3);
  Send(Records(Events(20, 30)));
  WaitForEffects(10);
  absl::SleepFor(absl::Seconds(1));
  consumer->Stop();
  EXPECT_EQ(Query("SELECT COUNT(*) FROM effects"), 10);
  EXPECT_EQ(Query("SELECT MIN(seq) FROM effects"), 20);
  EXPECT_EQ(Query("SELECT SUM(next_offset) FROM consumed_ranges WHERE seq = 2 AND consumer = '" +
                  group_ + "'"),
            20);  // each moved back to its end: 20 records in all
}

// Old ranges go with the ids' retention, except each partition's newest: it is the position.
TEST_P(ConsumerTest, InBatchesOldRangesAreForgottenButNotThePositions) {
  const int64_t now = absl::ToUnixMicros(absl::Now());
  const int64_t day = int64_t{86400} * 1000 * 1000;
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   struct Row {
                     std::string consumer;
                     int partition;
                     int64_t first, next, applied_at;
                   };
                   for (const Row& r : std::vector<Row>{{group_, 0, 0, 10, now - 40 * day},
                                                        {group_, 0, 10, 20, now - 40 * day},
                                                        {group_, 0, 20, 30, now - 35 * day},
                                                        {group_, 1, 0, 5, now - 40 * day},
                                                        {group_, 2, 0, 5, now - day},
                                                        {group_, 2, 5, 9, now},
                                                        {"another-consumer", 0, 0, 5, 0},
                                                        {"another-consumer", 0, 5, 7, 0}}) {
                     // A topic this consumer no longer reads, so that only retention changes it.
                     PartitionId partition{topic_ + "-before", r.partition};
                     auto after = ReadPosition(tx, r.consumer, partition);
                     if (!after.ok()) return after.status();
                     auto s = RecordRange(tx, r.consumer, partition, *after, r.first, r.next, 2,
                                          {"a", "b"}, r.applied_at);
                     if (!s.ok()) return s;
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  auto consumer = NewConsumer(true);
  ASSERT_TRUE(consumer->Start().ok());
  const std::string mine = "SELECT COUNT(*) FROM consumed_ranges WHERE consumer = '" + group_ + "'";
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Query(mine) > 4 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  consumer->Stop();
  EXPECT_EQ(Query(mine), 4);  // partition 0's newest, partition 1's only, partition 2's two
  EXPECT_EQ(Query(mine + " AND kafka_partition = 0 AND first_offset = 20 AND seq = 3"), 1);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM consumed_ranges WHERE consumer = 'another-consumer'"), 2);
  EXPECT_EQ(Outcomes("applied"), 0);
}

// Ids are kept for the retention, counted both from when they were applied and from their event
// time; older ones are deleted at start, in slices, and only this consumer's.
TEST_P(ConsumerTest, IdsOlderThanTheRetentionAreForgottenAndNoOthers) {
  const int64_t now = absl::ToUnixMicros(absl::Now());
  const int64_t day = int64_t{86400} * 1000 * 1000;
  constexpr int kOld = 12000;  // more than two slices
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   auto add = [&](const std::string& consumer, int64_t time, const std::string& id,
                                  int64_t processed) {
                     return tx
                         .Execute(
                             "INSERT INTO consumed_events (consumer, event_time, event_id, "
                             "topic, processed_at) VALUES ($1, $2, $3, 't', $4)",
                             {consumer, time, id, processed})
                         .status();
                   };
                   for (int i = 0; i < kOld; ++i) {
                     // Old events applied long ago, some sharing an event time.
                     if (auto s = add(group_, now - 40 * day + i / 3, absl::StrCat("old-", i),
                                      now - 40 * day);
                         !s.ok()) {
                       return s;
                     }
                   }
                   if (auto s = add(group_, now - 40 * day, "late", now - day); !s.ok()) return s;
                   if (auto s = add(group_, now - day, "recent", now - day); !s.ok()) return s;
                   return add("another-consumer", now - 40 * day, "theirs", now - 40 * day);
                 })
                  .ok());

  auto consumer = NewConsumer();
  ASSERT_TRUE(consumer->Start().ok());
  const std::string mine = "SELECT COUNT(*) FROM consumed_events WHERE consumer = '" + group_ + "'";
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Query(mine) > 2 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  consumer->Stop();

  EXPECT_EQ(Query(mine), 2);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM consumed_events WHERE event_id IN ('late', 'recent', "
                  "'theirs')"),
            3);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsumerTest, ::testing::ValuesIn(testing::StoreBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace parkline::events
