// Every RPC of the enterprises service against every role, over a real gRPC server: who may call
// what, on whose data; and that refusals are UNAUTHENTICATED or PERMISSION_DENIED without
// revealing whether the object exists.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "enterprises/access_policy.h"
#include "enterprises/enterprise_desk.h"
#include "enterprises/enterprise_service.h"
#include "enterprises/schema.h"
#include "events/schema.h"
#include "grpcpp/create_channel.h"
#include "runtime/server.h"
#include "tests/support/access_matrix.h"
#include "tests/support/test_env.h"

namespace parkline::enterprises {
namespace {

constexpr char kOwn[] = "91350100M000100Y43";     // the enterprise caller's own USCC
constexpr char kOther[] = "91440300708461136T";   // another resident enterprise
constexpr char kNobody[] = "91110000600037341L";  // not registered at all

// The expected policy, written out independently of access_policy.cc.
const testing::AccessTable kExpected = {
    {"DefineUnit", {{"park-admin", "park-staff"}, {}}},
    {"ListUnits", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"AdmitEnterprise", {{"park-admin", "park-staff"}, {}}},
    {"UpdateEnterprise", {{"park-admin", "park-staff"}, {}}},
    {"DepartEnterprise", {{"park-admin", "park-staff"}, {}}},
    {"GetEnterprise", {{"park-admin", "park-staff"}, {"enterprise"}}},
    {"ListEnterprises", {{"park-admin", "park-staff"}, {}}},
    {"RecordIpAsset", {{"park-admin", "park-staff"}, {"enterprise"}}},
    {"ListIpAssets", {{"park-admin", "park-staff"}, {"enterprise"}}},
    {"RecordTalent", {{"park-admin", "park-staff"}, {"enterprise"}}},
};

using Stub = v1::EnterpriseService::Stub;
// Calls one RPC about enterprise `uscc` with the given metadata; returns the status.
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& uscc)>;

common::v1::Date Day() {
  common::v1::Date d;
  d.set_year(2025);
  d.set_month(1);
  d.set_day(1);
  return d;
}

const std::map<std::string, Call>& Calls() {
  static const auto* calls = new std::map<std::string, Call>{
      {"DefineUnit",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::DefineUnitRequest r;
         r.mutable_unit()->set_unit_id("T-1");
         r.mutable_unit()->set_building("T");
         r.mutable_unit()->set_leasable_area_m2("10");
         r.mutable_unit()->set_purpose(v1::UNIT_PURPOSE_OFFICE);
         v1::Unit out;
         return s.DefineUnit(c, r, &out);
       }},
      {"ListUnits",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListUnitsResponse out;
         return s.ListUnits(c, {}, &out);
       }},
      {"AdmitEnterprise",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::AdmitEnterpriseRequest r;
         r.mutable_enterprise()->set_uscc(uscc);
         r.mutable_enterprise()->set_name("x");
         r.mutable_enterprise()->add_roles(v1::ENTERPRISE_ROLE_LOGISTICS);
         *r.mutable_enterprise()->mutable_move_in_date() = Day();
         v1::Enterprise out;
         return s.AdmitEnterprise(c, r, &out);
       }},
      {"UpdateEnterprise",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::UpdateEnterpriseRequest r;
         r.mutable_enterprise()->set_uscc(uscc);
         r.mutable_enterprise()->set_name("renamed");
         r.mutable_update_mask()->add_paths("name");
         v1::Enterprise out;
         return s.UpdateEnterprise(c, r, &out);
       }},
      {"DepartEnterprise",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::DepartEnterpriseRequest r;
         r.set_uscc(uscc);
         *r.mutable_move_out_date() = Day();
         r.mutable_move_out_date()->set_year(2099);
         v1::Enterprise out;
         return s.DepartEnterprise(c, r, &out);
       }},
      {"GetEnterprise",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::GetEnterpriseRequest r;
         r.set_uscc(uscc);
         v1::Enterprise out;
         return s.GetEnterprise(c, r, &out);
       }},
      {"ListEnterprises",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListEnterprisesResponse out;
         return s.ListEnterprises(c, {}, &out);
       }},
      {"RecordIpAsset",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::RecordIpAssetRequest r;
         r.mutable_asset()->set_uscc(uscc);
         r.mutable_asset()->set_kind(v1::IP_ASSET_KIND_PATENT);
         r.mutable_asset()->set_registration_no("ZL-" + uscc);
         r.mutable_asset()->set_title("t");
         *r.mutable_asset()->mutable_granted_date() = Day();
         v1::IpAsset out;
         return s.RecordIpAsset(c, r, &out);
       }},
      {"ListIpAssets",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::ListIpAssetsRequest r;
         r.set_uscc(uscc);
         v1::ListIpAssetsResponse out;
         return s.ListIpAssets(c, r, &out);
       }},
      {"RecordTalent",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::RecordTalentRequest r;
         r.mutable_talent()->set_uscc(uscc);
         r.mutable_talent()->set_year(2025);
         r.mutable_talent()->set_employees(3);
         v1::TalentFigures out;
         return s.RecordTalent(c, r, &out);
       }},
  };
  return *calls;
}

class EnterpriseAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/e.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    desk_ = std::make_unique<EnterpriseDesk>(*db_, nullptr);
    for (const char* uscc : {kOwn, kOther}) {
      v1::Enterprise e;
      e.set_uscc(uscc);
      e.set_name(std::string("Resident ") + uscc);
      e.add_roles(v1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
      *e.mutable_move_in_date() = Day();
      ASSERT_TRUE(desk_->Admit(e).ok());
    }
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), kOwn, "", "SF",
        [&](const auth::Authorizer& a) { return std::make_unique<EnterpriseService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::EnterpriseService::NewStub(server_->channel());
  }

  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  grpc::Status Invoke(const std::string& method, const std::string& authorization,
                      const std::string& uscc) {
    return Invoker()(method, authorization, uscc);
  }

  static std::set<std::string> CallNames() {
    std::set<std::string> names;
    for (const auto& [name, call] : Calls()) names.insert(name);
    return names;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<EnterpriseDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(EnterpriseAccessTest, TheTableCoversEveryRpcOfTheService) {
  testing::ExpectTableCoversService(
      v1::Enterprise::descriptor()->file()->FindServiceByName("EnterpriseService"), kExpected,
      CallNames());
}

TEST_F(EnterpriseAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(EnterpriseAccessTest, NoOrUnknownCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

TEST_F(EnterpriseAccessTest, ARefusalDoesNotRevealWhetherTheEnterpriseExists) {
  grpc::Status existing =
      Invoke("GetEnterprise", "Bearer " + testing::RoleToken("enterprise"), kOther);
  grpc::Status missing =
      Invoke("GetEnterprise", "Bearer " + testing::RoleToken("enterprise"), kNobody);
  EXPECT_EQ(existing.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(missing.error_code(), existing.error_code());
  EXPECT_EQ(missing.error_message(), existing.error_message());
  // A caller with the right learns it is missing, as before.
  EXPECT_EQ(
      Invoke("GetEnterprise", "Bearer " + testing::RoleToken("park-staff"), kNobody).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(EnterpriseAccessTest, TheBearerSchemeIsCaseInsensitive) {
  EXPECT_TRUE(Invoke("ListUnits", "bearer " + testing::RoleToken("analyst"), kOwn).ok());
}

}  // namespace
}  // namespace parkline::enterprises
