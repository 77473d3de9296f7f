// The logistics consumers against the real local Kafka broker and a real database (every
// backend): a waybill's DocumentReceived makes a shipment, customs milestones published by
// clearance join its timeline, each event applied once though Kafka delivers it twice; and a
// watch over gRPC receives the entries stored while it watches, then ends at delivery, on client
// cancel, or at once when the hub shuts down.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "auth/authorizer.h"
#include "events/consumer.h"
#include "events/kafka_producer.h"
#include "events/schema.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "logistics/customs_milestones.h"
#include "logistics/logistics_service.h"
#include "logistics/schema.h"
#include "logistics/shipment_desk.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "runtime/server.h"
#include "tests/support/backend_test.h"
#include "tests/support/logistics_waybills.h"
#include "tests/support/test_env.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;
namespace dv1 = parkline::declarations::v1;
namespace cv1 = parkline::clearance::v1;

// Lets every call through: the access rules have a test of their own.
// Lets every call through; the caller is whoever the "x-test-caller" metadata names ("anyone"
// without it), so that a test can be two callers at once.
class AllowAll : public auth::Authorizer {
 public:
  absl::Status Authorize(const grpc::ServerContext&, absl::string_view,
                         const auth::Resource&) const override {
    return absl::OkStatus();
  }
  absl::StatusOr<auth::Principal> Identify(const grpc::ServerContext& context) const override {
    auth::Principal p;
    p.name = "anyone";
    auto it = context.client_metadata().find("x-test-caller");
    if (it != context.client_metadata().end())
      p.name = std::string(it->second.data(), it->second.size());
    return p;
  }
};

google::protobuf::Timestamp Stamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

class LogisticsConsumersTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto mapping = StatusMapping::Load("");
    ASSERT_TRUE(mapping.ok());
    mapping_ = std::make_unique<StatusMapping>(std::move(*mapping));
    desk_ = std::make_unique<ShipmentDesk>(*db_, *mapping_, hub_, nullptr);
    // The services' topics, under a prefix of this test's own.
    prefix_ = testing::UniqueTopic("logistics") + ".";
    declarations_topic_ = prefix_ + "parkline.declarations.v1";
    clearance_topic_ = prefix_ + "parkline.clearance.v1";
    deadletter_ = "deadletter";
    for (const auto& t : {declarations_topic_, clearance_topic_, prefix_ + deadletter_}) {
      ASSERT_TRUE(testing::CreateTopic(t, 2).ok());
    }
    auto producer = events::KafkaProducer::Create(testing::KafkaBrokers());
    ASSERT_TRUE(producer.ok());
    producer_ = std::move(*producer);
  }

  void TearDown() override {
    for (auto& c : consumers_) c->Stop();
  }

  void StartConsumers() {
    std::string group = absl::StrCat("test-logistics-", events::NewUuid());
    events::ConsumerOptions d;
    d.brokers = testing::KafkaBrokers();
    d.group_id = group + "-waybills";
    d.topic_prefix = prefix_;
    d.deadletter_topic = deadletter_;
    auto declarations = std::make_unique<events::EventConsumer>(*db_, d);
    FollowDeclarations(*declarations, *desk_);
    events::ConsumerOptions c = d;
    c.group_id = group + "-customs";
    auto clearance = std::make_unique<events::EventConsumer>(*db_, c);
    FollowClearance(*clearance, *desk_);
    for (auto* consumer : {declarations.get(), clearance.get()})
      ASSERT_TRUE(consumer->Start().ok());
    consumers_.push_back(std::move(declarations));
    consumers_.push_back(std::move(clearance));
  }

  // Publishes events as their producers would; each one twice, as Kafka may deliver it.
  void Publish(const std::vector<events::Envelope>& envelopes) {
    int64_t tag = 0;
    for (const auto& e : envelopes) {
      for (int copy = 0; copy < 2; ++copy) {
        ASSERT_TRUE(producer_->Produce(events::ToRecord(e), tag++).ok());
      }
    }
    for (const auto& d : producer_->Flush(absl::Seconds(20))) ASSERT_TRUE(d.status.ok());
  }

  events::Envelope Waybill(const std::string& waybill_no, const std::string& order_key) {
    dv1::DocumentReceived r;
    r.set_kind(dv1::DOCUMENT_KIND_WAYBILL);
    r.set_order_key(order_key);
    r.set_direction(dv1::DIRECTION_IMPORT);
    r.set_business_mode("9610");
    r.set_enterprise_code("3301960004");
    r.set_logistics_no(waybill_no);
    return events::NewEvent(declarations_topic_, "/parkline/declarations", order_key, r,
                            absl::Now() - absl::Hours(30));
  }

  events::Envelope Customs(const std::string& order_key, cv1::CaseStatus status, int code,
                           absl::Time when) {
    cv1::ClearanceStatusChanged changed;
    changed.mutable_facts()->set_case_id("CASE-" + order_key);
    changed.mutable_facts()->set_order_key(order_key);
    changed.mutable_facts()->set_direction(dv1::DIRECTION_IMPORT);
    changed.set_status(status);
    changed.set_return_status(code);
    *changed.mutable_return_time() = Stamp(when);
    return events::NewEvent(clearance_topic_, "/parkline/clearance", "CASE-" + order_key, changed,
                            when);
  }

  v1::GetTimelineResponse Timeline(const std::string& waybill) {
    v1::GetShipmentRequest r;
    r.mutable_key()->set_carrier_code("3301960004");
    r.mutable_key()->set_waybill_no(waybill);
    auto t = desk_->Timeline(r);
    return t.ok() ? *t : v1::GetTimelineResponse();
  }

  // Waits until `done` holds for the shipment's timeline.
  bool WaitFor(const std::string& waybill,
               const std::function<bool(const v1::GetTimelineResponse&)>& done) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      if (done(Timeline(waybill))) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  std::unique_ptr<StatusMapping> mapping_;
  WatchHub hub_;
  std::unique_ptr<ShipmentDesk> desk_;
  std::string prefix_, declarations_topic_, clearance_topic_, deadletter_;
  std::unique_ptr<events::KafkaProducer> producer_;
  std::vector<std::unique_ptr<events::EventConsumer>> consumers_;
};

PARKLINE_BACKEND_TESTS(LogisticsConsumersTest);

TEST_P(LogisticsConsumersTest, WaybillsAndCustomsMilestonesArriveOnceThroughKafka) {
  StartConsumers();
  absl::Time now = absl::Now();
  Publish({Waybill("KF0001", "3301960001/ORD-K1"), Waybill("KF0002", "3301960001/ORD-K2")});
  Publish({Customs("3301960001/ORD-K1", cv1::CASE_STATUS_DECLARING, 2, now - absl::Hours(3)),
           Customs("3301960001/ORD-K1", cv1::CASE_STATUS_INSPECTION, 500, now - absl::Hours(2)),
           Customs("3301960001/ORD-K1", cv1::CASE_STATUS_RELEASED, 800, now - absl::Hours(1)),
           Customs("3301960001/ORD-K1", cv1::CASE_STATUS_ACCEPTED, 120, now - absl::Hours(2))});
  ASSERT_TRUE(WaitFor("KF0001", [](const v1::GetTimelineResponse& t) {
    return t.shipment().reason() == v1::STATUS_REASON_CUSTOMS_RELEASED;
  })) << Timeline("KF0001").DebugString();
  ASSERT_TRUE(WaitFor("KF0002", [](const v1::GetTimelineResponse& t) {
    return t.shipment().key().waybill_no() == "KF0002";
  }));
  // Let any redelivery land, then count: three milestones (120 is none), each once.
  absl::SleepFor(absl::Seconds(1));
  v1::GetTimelineResponse t = Timeline("KF0001");
  ASSERT_EQ(t.entries_size(), 3) << t.DebugString();
  for (const auto& e : t.entries()) EXPECT_EQ(e.source(), v1::EVENT_SOURCE_CUSTOMS);
  EXPECT_EQ(t.entries(1).reason(), v1::STATUS_REASON_CUSTOMS_HELD);
  EXPECT_EQ(t.shipment().status(), v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  EXPECT_TRUE(Timeline("KF0002").entries().empty());
}

class LogisticsWatchTest : public LogisticsConsumersTest {
 protected:
  void StartServer(absl::Duration poll = absl::Milliseconds(200), int max_watches_per_caller = 8) {
    service_ =
        std::make_unique<LogisticsService>(*desk_, authorizer_, poll, max_watches_per_caller);
    runtime::ServerOptions options;
    options.address = "127.0.0.1:0";
    options.drain = absl::Seconds(10);
    auto server = runtime::GrpcServer::Start(options, {service_.get()});
    ASSERT_TRUE(server.ok());
    server_ = std::move(*server);
    stub_ = v1::LogisticsService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials()));
  }

  // The carrier's shipment of order ORD-<waybill>, made by its waybill as declarations publishes
  // it, then registered by the carrier (which returns it).
  void Register(const std::string& waybill) {
    const std::string order_key = "3301960001/ORD-" + waybill;
    absl::Time at = absl::Now() - absl::Hours(30);
    ASSERT_TRUE(
        testing::ReceiveWaybill(
            *db_, *desk_, testing::WaybillReceived("3301960004", waybill, order_key, {}, ""), at)
            .ok());
    v1::RegisterShipmentRequest r;
    r.mutable_key()->set_carrier_code("3301960004");
    r.mutable_key()->set_waybill_no(waybill);
    r.set_order_key(order_key);
    auto registered = desk_->Register(testing::CarrierViewer("3301960004"), r, at);
    ASSERT_TRUE(registered.ok()) << registered.status();
  }

  void Report(const std::string& waybill, const std::string& code, absl::Duration ago) {
    v1::ReportTrackingEventsRequest r;
    r.set_carrier_code("3301960004");
    v1::TrackingEvent* e = r.add_events();
    e->set_waybill_no(waybill);
    e->set_event_code(code);
    *e->mutable_event_time() = Stamp(absl::Now() - ago);
    auto stored = desk_->Report(r, absl::Now());
    ASSERT_TRUE(stored.ok()) << stored.status();
  }

  // Reads a watch on its own thread, keeping every message.
  struct Watcher {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<v1::WatchShipmentResponse>> reader;
    absl::Mutex mu;
    std::vector<v1::WatchShipmentResponse> messages;
    grpc::Status status;
    bool done = false;
    std::thread thread;

    int entries() {
      absl::MutexLock lock(&mu);
      int n = 0;
      for (const auto& m : messages) n += m.entries_size();
      return n;
    }
    bool WaitUntil(const std::function<bool()>& cond, absl::Duration timeout) {
      absl::Time deadline = absl::Now() + timeout;
      while (absl::Now() < deadline) {
        if (cond()) return true;
        absl::SleepFor(absl::Milliseconds(20));
      }
      return cond();
    }
    bool Done(absl::Duration timeout) {
      return WaitUntil(
          [&] {
            absl::MutexLock lock(&mu);
            return done;
          },
          timeout);
    }
    bool Opened(absl::Duration timeout) {
      return WaitUntil(
          [&] {
            absl::MutexLock lock(&mu);
            return !messages.empty();
          },
          timeout);
    }
    ~Watcher() {
      if (thread.joinable()) thread.join();
    }
  };

  std::unique_ptr<Watcher> Watch(const std::string& waybill, const std::string& caller = "") {
    auto w = std::make_unique<Watcher>();
    if (!caller.empty()) w->ctx.AddMetadata("x-test-caller", caller);
    v1::GetShipmentRequest r;
    r.mutable_key()->set_carrier_code("3301960004");
    r.mutable_key()->set_waybill_no(waybill);
    w->reader = stub_->WatchShipment(&w->ctx, r);
    Watcher* raw = w.get();
    w->thread = std::thread([raw] {
      v1::WatchShipmentResponse m;
      while (raw->reader->Read(&m)) {
        absl::MutexLock lock(&raw->mu);
        raw->messages.push_back(m);
      }
      grpc::Status s = raw->reader->Finish();
      absl::MutexLock lock(&raw->mu);
      raw->status = s;
      raw->done = true;
    });
    return w;
  }

  AllowAll authorizer_;
  std::unique_ptr<LogisticsService> service_;
  std::unique_ptr<runtime::GrpcServer> server_;
  std::unique_ptr<v1::LogisticsService::Stub> stub_;
};

PARKLINE_BACKEND_TESTS(LogisticsWatchTest);

TEST_P(LogisticsWatchTest, AWatcherGetsTheTimelineThenEachNewEntryUntilDelivery) {
  StartConsumers();
  StartServer();
  Register("WF0001");
  Report("WF0001", "揽收", absl::Hours(20));
  auto w = Watch("WF0001");
  ASSERT_TRUE(w->WaitUntil([&] { return w->entries() == 1; }, absl::Seconds(10)));
  {
    absl::MutexLock lock(&w->mu);
    EXPECT_EQ(w->messages.front().shipment().status(), v1::SHIPMENT_STATUS_PICKED_UP);
  }
  // Stored in this process: the hub wakes the watch.
  Report("WF0001", "在途", absl::Hours(10));
  ASSERT_TRUE(w->WaitUntil([&] { return w->entries() == 2; }, absl::Seconds(10)));
  // Published by clearance while it watches, applied by the consumer.
  Publish({Customs("3301960001/ORD-WF0001", cv1::CASE_STATUS_RELEASED, 800,
                   absl::Now() - absl::Hours(5))});
  ASSERT_TRUE(w->WaitUntil([&] { return w->entries() == 3; }, absl::Seconds(60)));
  {
    absl::MutexLock lock(&w->mu);
    EXPECT_EQ(w->messages.back().entries(0).source(), v1::EVENT_SOURCE_CUSTOMS);
  }
  Report("WF0001", "签收", absl::Hours(1));
  ASSERT_TRUE(w->WaitUntil(
      [&] {
        absl::MutexLock lock(&w->mu);
        return w->done;
      },
      absl::Seconds(10)));
  absl::MutexLock lock(&w->mu);
  EXPECT_TRUE(w->status.ok()) << w->status.error_message();
  EXPECT_EQ(w->messages.back().shipment().status(), v1::SHIPMENT_STATUS_DELIVERED);
}

TEST_P(LogisticsWatchTest, TheNotifierWakesAWatchLongBeforeItsPoll) {
  StartServer(absl::Seconds(30));
  Register("WF0004");
  auto w = Watch("WF0004");
  ASSERT_TRUE(w->WaitUntil([&] { return !w->messages.empty(); }, absl::Seconds(10)));
  absl::Duration worst;
  for (int i = 1; i <= 5; ++i) {
    Report("WF0004", i % 2 ? "在途" : "到达派件城市", absl::Hours(10 - i));
    absl::Time stored = absl::Now();
    ASSERT_TRUE(w->WaitUntil([&] { return w->entries() == i; }, absl::Seconds(10)));
    worst = std::max(worst, absl::Now() - stored);
  }
  RecordProperty("worst_watch_latency_ms", std::to_string(absl::ToInt64Milliseconds(worst)));
  std::printf("watch latency, in-process notifier, worst of 5: %lld ms\n",
              static_cast<long long>(absl::ToInt64Milliseconds(worst)));
  EXPECT_LT(worst, absl::Seconds(10));  // the poll is 30 s: only the notifier is this quick
  // A client's cancel is seen long before the next poll too.
  absl::Time cancelled = absl::Now();
  w->ctx.TryCancel();
  ASSERT_TRUE(w->WaitUntil(
      [&] {
        absl::MutexLock lock(&w->mu);
        return w->done;
      },
      absl::Seconds(10)));
  EXPECT_TRUE(w->WaitUntil([&] { return hub_.watchers() == 0; }, absl::Seconds(5)))
      << "the server-side watch still runs " << absl::Now() - cancelled << " after the cancel";
}

// The consumer wakes the hub inside its transaction, before the commit; the watch looks again
// shortly after, so the entry arrives long before the (30 s) poll.
TEST_P(LogisticsWatchTest, EntriesAppliedByAConsumerWakeTheWatchBeforeItsPoll) {
  StartConsumers();
  StartServer(absl::Seconds(30));
  Register("WF0005");
  auto w = Watch("WF0005");
  ASSERT_TRUE(w->WaitUntil([&] { return !w->messages.empty(); }, absl::Seconds(10)));
  Publish({Customs("3301960001/ORD-WF0005", cv1::CASE_STATUS_RELEASED, 800,
                   absl::Now() - absl::Hours(1))});
  EXPECT_TRUE(w->WaitUntil([&] { return w->entries() == 1; }, absl::Seconds(20)));
  w->ctx.TryCancel();
}

TEST_P(LogisticsWatchTest, EntriesStoredByAnotherReplicaArriveByPolling) {
  StartServer();
  Register("WF0002");
  auto w = Watch("WF0002");
  ASSERT_TRUE(w->WaitUntil([&] { return !w->messages.empty(); }, absl::Seconds(10)));
  // Another replica: its own desk and hub on the same database; ours is never woken.
  WatchHub other_hub;
  ShipmentDesk other(*db_, *mapping_, other_hub, nullptr);
  v1::ReportTrackingEventsRequest r;
  r.set_carrier_code("3301960004");
  v1::TrackingEvent* e = r.add_events();
  e->set_waybill_no("WF0002");
  e->set_event_code("EMA");
  *e->mutable_event_time() = Stamp(absl::Now() - absl::Hours(1));
  ASSERT_TRUE(other.Report(r, absl::Now()).ok());
  EXPECT_TRUE(w->WaitUntil([&] { return w->entries() == 1; }, absl::Seconds(5)));
  w->ctx.TryCancel();
  ASSERT_TRUE(w->WaitUntil(
      [&] {
        absl::MutexLock lock(&w->mu);
        return w->done;
      },
      absl::Seconds(5)));
  absl::MutexLock lock(&w->mu);
  EXPECT_EQ(w->status.error_code(), grpc::StatusCode::CANCELLED);
}

TEST_P(LogisticsWatchTest, ShutdownEndsWatchesAtOnceWithoutHoldingTheDrain) {
  StartServer();
  Register("WF0003");
  auto w = Watch("WF0003");
  ASSERT_TRUE(w->WaitUntil([&] { return !w->messages.empty(); }, absl::Seconds(10)));
  EXPECT_EQ(hub_.watchers(), 1);
  absl::Time start = absl::Now();
  hub_.Shutdown();  // what the host does at SIGTERM, before the server drains
  server_->Stop();  // drain is 10 s: a watch still open would hold it that long
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  ASSERT_TRUE(w->WaitUntil(
      [&] {
        absl::MutexLock lock(&w->mu);
        return w->done;
      },
      absl::Seconds(5)));
  absl::MutexLock lock(&w->mu);
  EXPECT_EQ(w->status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

// The per-caller cap on open watches, over gRPC: a caller at its cap is refused RESOURCE_EXHAUSTED
// naming the setting, another caller still watches, and a cancelled watch frees its place.
TEST_P(LogisticsWatchTest, ACallerBeyondItsWatchCapIsRefusedAndOthersAreNot) {
  StartServer(absl::Milliseconds(200), /*max_watches_per_caller=*/2);
  Register("WQ0001");
  auto a1 = Watch("WQ0001", "carrier-a");
  auto a2 = Watch("WQ0001", "carrier-a");
  ASSERT_TRUE(a1->Opened(absl::Seconds(10)));
  ASSERT_TRUE(a2->Opened(absl::Seconds(10)));

  auto a3 = Watch("WQ0001", "carrier-a");
  ASSERT_TRUE(a3->Done(absl::Seconds(10)));
  {
    absl::MutexLock lock(&a3->mu);
    EXPECT_EQ(a3->status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(a3->status.error_message().find("max_watch_streams_per_caller=2"), std::string::npos)
        << a3->status.error_message();
    EXPECT_TRUE(a3->messages.empty()) << "a refused watch sends nothing";
  }
  auto b1 = Watch("WQ0001", "platform-b");
  EXPECT_TRUE(b1->Opened(absl::Seconds(10))) << "another caller is not held to carrier-a's cap";

  // A watch the client cancels gives its place back (the server notices within 250 ms).
  a1->ctx.TryCancel();
  ASSERT_TRUE(a1->Done(absl::Seconds(10)));
  std::unique_ptr<Watcher> again;
  ASSERT_TRUE(a2->WaitUntil(
      [&] {
        again = Watch("WQ0001", "carrier-a");
        if (again->Opened(absl::Seconds(2))) return true;
        again->ctx.TryCancel();
        again.reset();
        return false;
      },
      absl::Seconds(10)))
      << "the cancelled watch's place was never freed";
  for (Watcher* w : {a2.get(), b1.get(), again.get()}) w->ctx.TryCancel();
  for (Watcher* w : {a2.get(), b1.get(), again.get()}) EXPECT_TRUE(w->Done(absl::Seconds(10)));
}

TEST_P(LogisticsWatchTest, WatchingAnUnknownShipmentIsNotFound) {
  StartServer();
  auto w = Watch("NOPE");
  ASSERT_TRUE(w->WaitUntil(
      [&] {
        absl::MutexLock lock(&w->mu);
        return w->done;
      },
      absl::Seconds(5)));
  absl::MutexLock lock(&w->mu);
  EXPECT_EQ(w->status.error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace parkline::logistics
