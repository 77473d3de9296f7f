// Every RPC of the logistics service against every role, over a real gRPC server: who may call
// what, about whose shipments. A carrier reaches only its own carrier code's shipments, an
// enterprise only those of declarations it is the platform of; refusals are PERMISSION_DENIED,
// decided from the request alone.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "errors/violations.h"
#include "events/schema.h"
#include "grpcpp/create_channel.h"
#include "logistics/access_policy.h"
#include "logistics/logistics_service.h"
#include "logistics/schema.h"
#include "runtime/grpc_status.h"
#include "runtime/server.h"
#include "tests/support/access_matrix.h"
#include "tests/support/logistics_waybills.h"
#include "tests/support/test_env.h"

namespace parkline::logistics {
namespace {

constexpr char kOwn[] = "3301960001";    // the enterprise's customs code, and the carrier's code
constexpr char kOther[] = "4401960009";  // somebody else's

// The expected policy, written out independently of access_policy.cc.
const testing::AccessTable kExpected = {
    {"RegisterShipment", {{"park-admin"}, {"carrier"}}},
    {"ReportTrackingEvents", {{"park-admin"}, {"carrier"}}},
    {"SubmitWaybillStatus", {{"park-admin"}, {"carrier"}}},
    {"GetShipment", {{"park-admin", "park-staff", "customs-gateway"}, {"carrier", "enterprise"}}},
    {"GetTimeline", {{"park-admin", "park-staff", "customs-gateway"}, {"carrier", "enterprise"}}},
    {"WatchShipment", {{"park-admin", "park-staff", "customs-gateway"}, {"carrier", "enterprise"}}},
    {"ListShipments", {{"park-admin", "park-staff", "customs-gateway"}, {"carrier", "enterprise"}}},
    {"GetCoverageReport", {{"park-admin", "park-staff"}, {}}},
};

using Stub = v1::LogisticsService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& code)>;

v1::GetShipmentRequest ShipmentOf(const std::string& code) {
  v1::GetShipmentRequest r;
  r.mutable_key()->set_carrier_code(code);
  r.mutable_key()->set_waybill_no("WB-1");
  r.set_order_key(code + "/ORD-1");
  return r;
}

const std::map<std::string, Call>& Calls() {
  static const auto* calls = new std::map<std::string, Call>{
      {"RegisterShipment",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::RegisterShipmentRequest r;
         *r.mutable_key() = ShipmentOf(code).key();
         v1::Shipment out;
         return s.RegisterShipment(c, r, &out);
       }},
      {"ReportTrackingEvents",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::ReportTrackingEventsRequest r;
         r.set_carrier_code(code);
         r.add_events()->set_waybill_no("WB-1");
         v1::ReportTrackingEventsResponse out;
         return s.ReportTrackingEvents(c, r, &out);
       }},
      {"SubmitWaybillStatus",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::SubmitWaybillStatusRequest r;
         r.set_xml(absl::StrCat(
             R"(<ceb:CEB513Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)",
             "<ceb:LogisticsStatus><ceb:logisticsCode>", code,
             "</ceb:logisticsCode><ceb:logisticsNo>WB-1</ceb:logisticsNo>",
             "<ceb:logisticsStatus>S</ceb:logisticsStatus>",
             "<ceb:logisticsTime>20250101120000</ceb:logisticsTime></ceb:LogisticsStatus>",
             "</ceb:CEB513Message>"));
         v1::ReportTrackingEventsResponse out;
         return s.SubmitWaybillStatus(c, r, &out);
       }},
      {"GetShipment",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::Shipment out;
         return s.GetShipment(c, ShipmentOf(code), &out);
       }},
      {"GetTimeline",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::GetTimelineResponse out;
         return s.GetTimeline(c, ShipmentOf(code), &out);
       }},
      {"WatchShipment",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         auto reader = s.WatchShipment(c, ShipmentOf(code));
         v1::WatchShipmentResponse out;
         while (reader->Read(&out)) {
         }
         return reader->Finish();
       }},
      {"ListShipments",
       [](Stub& s, grpc::ClientContext* c, const std::string& code) {
         v1::ListShipmentsRequest r;
         r.set_carrier_code(code);
         r.set_enterprise_code(code);
         v1::ListShipmentsResponse out;
         return s.ListShipments(c, r, &out);
       }},
      {"GetCoverageReport",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::CoverageReportRequest r;
         for (auto* d : {r.mutable_from(), r.mutable_to()}) {
           d->set_year(2026);
           d->set_month(11);
           d->set_day(1);
         }
         v1::CoverageReport out;
         return s.GetCoverageReport(c, r, &out);
       }},
  };
  return *calls;
}

class LogisticsAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/l.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto mapping = StatusMapping::Load("");
    ASSERT_TRUE(mapping.ok());
    mapping_ = std::make_unique<StatusMapping>(std::move(*mapping));
    desk_ = std::make_unique<ShipmentDesk>(*db_, *mapping_, hub_, nullptr);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), "91350100M000100Y43", kOwn, kOwn,
        [&](const auth::Authorizer& a) { return std::make_unique<LogisticsService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::LogisticsService::NewStub(server_->channel());
  }

  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<StatusMapping> mapping_;
  WatchHub hub_;
  std::unique_ptr<ShipmentDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(LogisticsAccessTest, TheTableCoversEveryRpcOfTheService) {
  std::set<std::string> calls;
  for (const auto& [name, call] : Calls()) calls.insert(name);
  testing::ExpectTableCoversService(
      v1::Shipment::descriptor()->file()->FindServiceByName("LogisticsService"), kExpected, calls);
}

TEST_F(LogisticsAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(LogisticsAccessTest, NoCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

// One RPC takes the CEB513 bare or in a DxpMsg. A message that cannot be read names no carrier:
// a carrier is told what is wrong with it (INVALID_ARGUMENT with the violation), a caller who
// may send no waybill status at all is still refused.
TEST_F(LogisticsAccessTest, WaybillStatusBareOrInADxpMsgAndWhatIsWrongWithIt) {
  v1::RegisterShipmentRequest shipment;
  *shipment.mutable_key() = ShipmentOf(kOwn).key();
  ASSERT_TRUE(desk_->Register(testing::CarrierViewer(kOwn), shipment, absl::Now()).ok());
  const std::string ceb513 = absl::StrCat(
      R"(<ceb:CEB513Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)",
      "<ceb:LogisticsStatus><ceb:logisticsCode>", kOwn,
      "</ceb:logisticsCode><ceb:logisticsNo>WB-1</ceb:logisticsNo>",
      "<ceb:logisticsStatus>S</ceb:logisticsStatus><ceb:logisticsTime>",
      absl::FormatTime("%Y%m%d%H%M%S", absl::Now() - absl::Minutes(5),
                       absl::FixedTimeZone(8 * 3600)),
      "</ceb:logisticsTime></ceb:LogisticsStatus></ceb:CEB513Message>");
  auto dxp = [](const std::string& data) {
    return absl::StrCat(R"(<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">)",
                        "<dxp:Data>", data, "</dxp:Data></dxp:DxpMsg>");
  };
  auto submit = [&](const std::string& role, const std::string& xml,
                    v1::ReportTrackingEventsResponse* out) {
    grpc::ClientContext ctx;
    if (!role.empty()) ctx.AddMetadata("authorization", "Bearer " + testing::RoleToken(role));
    v1::SubmitWaybillStatusRequest r;
    r.set_xml(xml);
    return stub_->SubmitWaybillStatus(&ctx, r, out);
  };

  v1::ReportTrackingEventsResponse out;
  grpc::Status s = submit("carrier", dxp(absl::Base64Escape(ceb513)), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.stored(), 1);
  s = submit("carrier", ceb513, &out);  // the same status bare
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.stored(), 0);
  EXPECT_EQ(out.duplicates(), 1);

  const std::string ceb311 = absl::Base64Escape(
      R"(<ceb:CEB311Message guid="G" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"/>)");
  const std::vector<std::pair<std::string, std::string>> unreadable = {
      {dxp("@@@"), "UNREADABLE: DxpMsg <Data> is not valid base64"},
      {dxp(""), "UNREADABLE: DxpMsg <Data> is empty"},
      {dxp(ceb311), "MESSAGE_TYPE: DxpMsg <Data> holds <CEB311Message>"},
      {"<ceb513/>", "MESSAGE_TYPE: the root element is <ceb513> (no namespace)"},
  };
  for (const auto& [xml, expected] : unreadable) {
    for (const std::string role : {"carrier", "park-admin"}) {
      s = submit(role, xml, &out);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << role << " " << xml;
      auto v = errors::ViolationsOf(runtime::FromGrpcStatus(s));
      ASSERT_EQ(v.size(), 1u) << s.error_message();
      EXPECT_EQ(v[0].field, "xml");
      EXPECT_EQ(absl::StrCat(v[0].reason, ": ", v[0].description).substr(0, expected.size()),
                expected);
    }
    for (const std::string role : {"enterprise", "park-staff", "customs-gateway", "analyst"}) {
      EXPECT_EQ(submit(role, xml, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED) << role;
    }
    EXPECT_EQ(submit("", xml, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
}

}  // namespace
}  // namespace parkline::logistics
