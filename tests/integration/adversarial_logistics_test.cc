// The logistics part of #18's adversarial matrix, over gRPC on every backend: a victim carrier's
// shipment, tied to its order by its own waybill, and attackers of every other tenant role (a
// carrier of another code, one holding a waybill for another order, another platform, the order's
// own platform) trying every trick of item 3: registering a shipment of theirs to the victim's
// order, rebinding one, registering under the victim's key, reporting on or reading the victim's
// shipment. Each attempt is PERMISSION_DENIED or NOT_FOUND, and the tamper witness sees no row
// of any table, no outbox row and no record on parkline.logistics.v1 change. Afterwards customs
// speaks about the victim's order, and no attacker's shipment receives the milestone.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "logistics/access_policy.h"
#include "logistics/customs_milestones.h"
#include "logistics/logistics_service.h"
#include "logistics/schema.h"
#include "logistics/shipment_desk.h"
#include "parkline/clearance/v1/events.pb.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/logistics_waybills.h"
#include "tests/support/tamper_witness.h"
#include "tests/support/test_env.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;
namespace cv1 = parkline::clearance::v1;
using Stub = v1::LogisticsService::Stub;

constexpr char kVictimCarrier[] = "3301960004";
constexpr char kAttackerCarrier[] = "4401960013";
constexpr char kVictimPlatform[] = "3301960001";
constexpr char kOtherPlatform[] = "4401960009";
const std::string kVictimOrder = std::string(kVictimPlatform) + "/ORD-V";
// The attacker carrier's own, honest order: it holds a waybill, for this order only.
const std::string kAttackerOrder = std::string(kVictimPlatform) + "/ORD-A";

// The callers: each attacker is a caller of its own, bound to its own code.
const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"tok-victim-carrier", "victim-carrier", "carrier", "", "", kVictimCarrier},
      {"tok-attacker-carrier", "attacker-carrier", "carrier", "", "", kAttackerCarrier},
      {"tok-victim-platform", "victim-platform", "enterprise", "91350100M000100Y43",
       kVictimPlatform, ""},
      {"tok-other-platform", "other-platform", "enterprise", "91110000100000000R", kOtherPlatform,
       ""},
      {"tok-admin", "admin", "park-admin", "", "", ""},
  };
  return *callers;
}

v1::ShipmentKey Key(const std::string& carrier, const std::string& waybill) {
  v1::ShipmentKey k;
  k.set_carrier_code(carrier);
  k.set_waybill_no(waybill);
  return k;
}

v1::RegisterShipmentRequest Registration(const v1::ShipmentKey& key, const std::string& order_key) {
  v1::RegisterShipmentRequest r;
  *r.mutable_key() = key;
  r.set_order_key(order_key);
  r.set_direction(declarations::v1::DIRECTION_IMPORT);
  r.set_business_mode("9610");
  return r;
}

v1::GetShipmentRequest Lookup(const v1::ShipmentKey& key, const std::string& order_key) {
  v1::GetShipmentRequest r;
  *r.mutable_key() = key;
  r.set_order_key(order_key);
  return r;
}

// One trick: who tries it, what it is, and the call.
struct Trick {
  std::string caller;  // a TestCaller's token
  std::string what;
  std::function<grpc::Status(Stub&, grpc::ClientContext*)> call;
};

std::function<grpc::Status(Stub&, grpc::ClientContext*)> Register(v1::RegisterShipmentRequest r) {
  return [r](Stub& s, grpc::ClientContext* c) {
    v1::Shipment out;
    return s.RegisterShipment(c, r, &out);
  };
}

std::function<grpc::Status(Stub&, grpc::ClientContext*)> Get(v1::GetShipmentRequest r) {
  return [r](Stub& s, grpc::ClientContext* c) {
    v1::Shipment out;
    return s.GetShipment(c, r, &out);
  };
}

std::function<grpc::Status(Stub&, grpc::ClientContext*)> Timeline(v1::GetShipmentRequest r) {
  return [r](Stub& s, grpc::ClientContext* c) {
    v1::GetTimelineResponse out;
    return s.GetTimeline(c, r, &out);
  };
}

std::function<grpc::Status(Stub&, grpc::ClientContext*)> Watch(v1::GetShipmentRequest r) {
  return [r](Stub& s, grpc::ClientContext* c) {
    auto reader = s.WatchShipment(c, r);
    v1::WatchShipmentResponse out;
    while (reader->Read(&out)) {
    }
    return reader->Finish();
  };
}

std::function<grpc::Status(Stub&, grpc::ClientContext*)> List(const std::string& carrier,
                                                              const std::string& platform) {
  return [carrier, platform](Stub& s, grpc::ClientContext* c) {
    v1::ListShipmentsRequest r;
    r.set_carrier_code(carrier);
    r.set_enterprise_code(platform);
    v1::ListShipmentsResponse out;
    return s.ListShipments(c, r, &out);
  };
}

std::function<grpc::Status(Stub&, grpc::ClientContext*)> Report(const std::string& carrier,
                                                                const std::string& waybill) {
  return [carrier, waybill](Stub& s, grpc::ClientContext* c) {
    v1::ReportTrackingEventsRequest r;
    r.set_carrier_code(carrier);
    v1::TrackingEvent* e = r.add_events();
    e->set_waybill_no(waybill);
    e->set_event_code("签收");
    *e->mutable_event_time() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(absl::Now()));
    e->set_utc_offset_minutes(480);
    v1::ReportTrackingEventsResponse out;
    return s.ReportTrackingEvents(c, r, &out);
  };
}

std::function<grpc::Status(Stub&, grpc::ClientContext*)> SubmitStatus(const std::string& carrier,
                                                                      const std::string& waybill) {
  return [carrier, waybill](Stub& s, grpc::ClientContext* c) {
    v1::SubmitWaybillStatusRequest r;
    r.set_xml(absl::StrCat(
        R"(<ceb:CEB513Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)",
        "<ceb:LogisticsStatus><ceb:logisticsCode>", carrier,
        "</ceb:logisticsCode><ceb:logisticsNo>", waybill,
        "</ceb:logisticsNo><ceb:logisticsStatus>S</ceb:logisticsStatus><ceb:logisticsTime>",
        absl::FormatTime("%Y%m%d%H%M%S", absl::Now() - absl::Minutes(5),
                         absl::FixedTimeZone(8 * 3600)),
        "</ceb:logisticsTime></ceb:LogisticsStatus></ceb:CEB513Message>"));
    v1::ReportTrackingEventsResponse out;
    return s.SubmitWaybillStatus(c, r, &out);
  };
}

class AdversarialLogisticsTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto mapping = StatusMapping::Load("");
    ASSERT_TRUE(mapping.ok());
    mapping_ = std::make_unique<StatusMapping>(std::move(*mapping));
    desk_ = std::make_unique<ShipmentDesk>(*db_, *mapping_, hub_, nullptr);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(),
        [&](const auth::Authorizer& a) { return std::make_unique<LogisticsService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::LogisticsService::NewStub(server_->channel());

    // The victim's shipment, made by its waybill for the order, with customs' first milestone;
    // the attacker carrier's own shipment of another order, made by its waybill.
    absl::Time at = absl::Now() - absl::Hours(30);
    ASSERT_TRUE(testing::ReceiveWaybill(
                    *db_, *desk_, testing::WaybillReceived(kVictimCarrier, "V-1", kVictimOrder), at)
                    .ok());
    ASSERT_TRUE(
        testing::ReceiveWaybill(
            *db_, *desk_, testing::WaybillReceived(kAttackerCarrier, "A-1", kAttackerOrder), at)
            .ok());
    ASSERT_TRUE(Customs(cv1::CASE_STATUS_DECLARING, 2, absl::Hours(20)).ok());
    ASSERT_EQ(Entries(kVictimCarrier, "V-1", v1::EVENT_SOURCE_CUSTOMS), 1);
  }

  grpc::Status Try(const std::string& token,
                   const std::function<grpc::Status(Stub&, grpc::ClientContext*)>& call) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return call(*stub_, &ctx);
  }

  // Customs speaks about the victim's order, as the clearance consumer applies it.
  absl::Status Customs(cv1::CaseStatus status, int code, absl::Duration ago) {
    cv1::ClearanceStatusChanged changed;
    changed.mutable_facts()->set_case_id("CASE-V");
    changed.mutable_facts()->set_order_key(kVictimOrder);
    changed.mutable_facts()->set_direction(declarations::v1::DIRECTION_IMPORT);
    changed.set_status(status);
    changed.set_return_status(code);
    changed.set_return_info("customs' words for the victim's declaration");
    *changed.mutable_return_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(absl::Now() - ago));
    return db_->Transact(
        [&](store::Transaction& tx) { return desk_->ApplyMilestone(tx, MilestoneOf(changed)); });
  }

  // How many entries of `source` the shipment's timeline holds, read in the store.
  int Entries(const std::string& carrier, const std::string& waybill, v1::EventSource source) {
    auto timeline = desk_->Timeline(Lookup(Key(carrier, waybill), ""));
    if (!timeline.ok()) return -1;
    int n = 0;
    for (const auto& e : timeline->entries()) n += e.source() == source ? 1 : 0;
    return n;
  }

  // Every trick of item 3 by every attacker; each refused, nothing changed.
  void ExpectEachRefusedWithNothingChanged(const std::vector<Trick>& tricks) {
    testing::TamperWitness witness(*db_, {kTopic});
    for (const Trick& t : tricks) {
      witness.Mark();
      grpc::Status s = Try(t.caller, t.call);
      EXPECT_TRUE(s.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
                  s.error_code() == grpc::StatusCode::NOT_FOUND)
          << t.caller << ": " << t.what << ": " << s.error_code() << " " << s.error_message();
      witness.ExpectUnchanged(absl::StrCat(t.caller, ": ", t.what));
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<StatusMapping> mapping_;
  WatchHub hub_;
  std::unique_ptr<ShipmentDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

PARKLINE_BACKEND_TESTS(AdversarialLogisticsTest);

TEST_P(AdversarialLogisticsTest, ACarrierOfAnotherCodeCannotBindOrTouchTheVictimsShipment) {
  const std::string a = "tok-attacker-carrier";
  const v1::ShipmentKey victim = Key(kVictimCarrier, "V-1");
  ExpectEachRefusedWithNothingChanged({
      {a, "registers a new shipment of its own to the victim's order",
       Register(Registration(Key(kAttackerCarrier, "X-1"), kVictimOrder))},
      {a, "registers the victim's waybill number under its own code to the victim's order",
       Register(Registration(Key(kAttackerCarrier, "V-1"), kVictimOrder))},
      {a, "registers under the victim's carrier code to the victim's order",
       Register(Registration(victim, kVictimOrder))},
      {a, "registers a new shipment under the victim's carrier code",
       Register(Registration(Key(kVictimCarrier, "X-2"), ""))},
      {a, "reports the victim's shipment delivered", Report(kVictimCarrier, "V-1")},
      {a, "sends a waybill status naming the victim's code", SubmitStatus(kVictimCarrier, "V-1")},
      {a, "reads the victim's shipment", Get(Lookup(victim, ""))},
      {a, "reads the victim's shipment naming its order", Get(Lookup(victim, kVictimOrder))},
      {a, "reads the victim's shipment naming its own code as the platform",
       Get(Lookup(victim, std::string(kAttackerCarrier) + "/ORD-V"))},
      {a, "reads the victim's timeline (customs' returnInfo)", Timeline(Lookup(victim, ""))},
      {a, "watches the victim's shipment", Watch(Lookup(victim, kVictimOrder))},
      {a, "lists the victim's shipments", List(kVictimCarrier, "")},
      {a, "lists the victim's platform's shipments", List("", kVictimPlatform)},
  });
}

TEST_P(AdversarialLogisticsTest, ACarrierWithAWaybillForAnotherOrderCannotRebindToTheVictims) {
  const std::string a = "tok-attacker-carrier";
  ExpectEachRefusedWithNothingChanged({
      {a, "rebinds its shipment of another order to the victim's order",
       Register(Registration(Key(kAttackerCarrier, "A-1"), kVictimOrder))},
      {a, "registers its other order's waybill number anew to the victim's order",
       Register(Registration(Key(kAttackerCarrier, "A-2"), kVictimOrder))},
  });
  // Its own shipment stays with its own order.
  auto own = desk_->Get(Lookup(Key(kAttackerCarrier, "A-1"), ""));
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->order_key(), kAttackerOrder);
}

TEST_P(AdversarialLogisticsTest, AnEnterpriseCannotBindOrReadAnotherPlatformsShipments) {
  const std::string other = "tok-other-platform";
  const std::string platform = "tok-victim-platform";
  const v1::ShipmentKey victim = Key(kVictimCarrier, "V-1");
  ExpectEachRefusedWithNothingChanged({
      {other, "registers a shipment to the victim's order",
       Register(Registration(Key(kVictimCarrier, "X-3"), kVictimOrder))},
      {other, "reads the victim's shipment naming its order", Get(Lookup(victim, kVictimOrder))},
      {other, "reads the victim's shipment naming itself as the platform",
       Get(Lookup(victim, std::string(kOtherPlatform) + "/ORD-V"))},
      {other, "reads the victim's timeline naming itself as the platform",
       Timeline(Lookup(victim, std::string(kOtherPlatform) + "/ORD-V"))},
      {other, "watches the victim's shipment naming itself as the platform",
       Watch(Lookup(victim, std::string(kOtherPlatform) + "/ORD-V"))},
      {other, "lists the victim platform's shipments", List("", kVictimPlatform)},
      {other, "reports on the victim's shipment", Report(kVictimCarrier, "V-1")},
      // The order's own platform reads its order's shipments, but ties none.
      {platform, "registers a carrier's shipment to its own order",
       Register(Registration(Key(kAttackerCarrier, "X-4"), kVictimOrder))},
      {platform, "reads the attacker's shipment of another order under its own order key",
       Get(Lookup(Key(kAttackerCarrier, "A-1"), kVictimOrder))},
  });
}

TEST_P(AdversarialLogisticsTest, NoAttackerReceivesTheVictimsCustomsMilestones) {
  // Every binding trick first, then customs speaks about the victim's order.
  for (const auto& key :
       {Key(kAttackerCarrier, "X-1"), Key(kAttackerCarrier, "V-1"), Key(kAttackerCarrier, "A-1")}) {
    EXPECT_EQ(Try("tok-attacker-carrier", Register(Registration(key, kVictimOrder))).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  ASSERT_TRUE(Customs(cv1::CASE_STATUS_RELEASED, 800, absl::Hours(2)).ok());
  EXPECT_EQ(Entries(kVictimCarrier, "V-1", v1::EVENT_SOURCE_CUSTOMS), 2);
  // What the attacker can see of its own: no shipment of the victim's order, no customs entry.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer tok-attacker-carrier");
  v1::ListShipmentsRequest list;
  list.set_carrier_code(kAttackerCarrier);
  v1::ListShipmentsResponse shipments;
  ASSERT_TRUE(stub_->ListShipments(&ctx, list, &shipments).ok());
  ASSERT_EQ(shipments.shipments_size(), 1);
  for (const auto& s : shipments.shipments()) {
    EXPECT_NE(s.order_key(), kVictimOrder);
    EXPECT_EQ(Entries(kAttackerCarrier, s.key().waybill_no(), v1::EVENT_SOURCE_CUSTOMS), 0);
  }
  // Nor does the other platform list any shipment of the victim's order.
  grpc::ClientContext other;
  other.AddMetadata("authorization", "Bearer tok-other-platform");
  v1::ListShipmentsRequest of_other;
  of_other.set_enterprise_code(kOtherPlatform);
  ASSERT_TRUE(stub_->ListShipments(&other, of_other, &shipments).ok());
  EXPECT_EQ(shipments.shipments_size(), 0);
}

// The honest ones, so that the refusals above are refusals of the trick, not of everything: the
// victim carrier registers its shipment through its waybill, its platform reads it, and a carrier
// that registers before its waybill arrives is refused with nothing stored, then tied by the
// waybill.
TEST_P(AdversarialLogisticsTest, TheHonestCarrierAndPlatformAreServed) {
  const v1::ShipmentKey victim = Key(kVictimCarrier, "V-1");
  EXPECT_TRUE(Try("tok-victim-carrier", Register(Registration(victim, kVictimOrder))).ok());
  EXPECT_TRUE(Try("tok-victim-platform", Get(Lookup(victim, kVictimOrder))).ok());
  EXPECT_TRUE(Try("tok-victim-platform", Timeline(Lookup(victim, kVictimOrder))).ok());
  EXPECT_TRUE(Try("tok-admin", Register(Registration(Key(kVictimCarrier, "V-9"), ""))).ok());

  const v1::ShipmentKey early = Key(kVictimCarrier, "V-2");
  const std::string order = std::string(kVictimPlatform) + "/ORD-V2";
  {
    testing::TamperWitness witness(*db_, {kTopic});
    witness.Mark();
    EXPECT_EQ(Try("tok-victim-carrier", Register(Registration(early, order))).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    witness.ExpectUnchanged("the carrier registers before its waybill has arrived");
  }
  ASSERT_TRUE(testing::ReceiveWaybill(*db_, *desk_,
                                      testing::WaybillReceived(kVictimCarrier, "V-2", order),
                                      absl::Now() - absl::Hours(1))
                  .ok());
  EXPECT_TRUE(Try("tok-victim-carrier", Register(Registration(early, order))).ok());
  EXPECT_TRUE(Try("tok-victim-platform", Get(Lookup(early, order))).ok());
}

}  // namespace
}  // namespace parkline::logistics
