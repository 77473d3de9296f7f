// The registry's use cases against a real database, on every backend (SQLite, and PostgreSQL
// when the test server is up): what is stored, what goes to the outbox, and that a rejected
// request changes nothing.
#include "enterprises/enterprise_desk.h"

#include <gtest/gtest.h>

#include "enterprises/schema.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "tests/support/backend_test.h"
#include "tests/support/test_env.h"

namespace parkline::enterprises {
namespace {

constexpr char kUscc[] = "91350100M000100Y43";
constexpr char kOther[] = "91440300708461136T";

common::v1::Date Day(int y, int m, int d) {
  common::v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

class EnterpriseDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    desk_ = std::make_unique<EnterpriseDesk>(*db_, [this] { notified_++; });
    for (const char* id : {"A1-0101", "A1-0102", "A1-0103"}) {
      v1::Unit unit;
      unit.set_unit_id(id);
      unit.set_building("A1");
      unit.set_floor(1);
      unit.set_leasable_area_m2("120.5");
      unit.set_purpose(v1::UNIT_PURPOSE_OFFICE);
      ASSERT_TRUE(desk_->DefineUnit(unit).ok());
    }
  }

  v1::Enterprise Enterprise(const std::string& uscc, const std::string& unit) {
    v1::Enterprise e;
    e.set_uscc(uscc);
    e.set_name("Park Trading " + uscc.substr(10));
    e.add_roles(v1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
    e.add_unit_ids(unit);
    *e.mutable_move_in_date() = Day(2024, 3, 1);
    return e;
  }

  static auth::Viewer Staff() { return auth::Viewer{"staff-li", true, ""}; }
  // An enterprise caller speaking for `uscc`.
  static auth::Viewer Of(const std::string& uscc) {
    auth::Viewer v{uscc + "-erp", false, uscc};
    v.codes = {uscc};
    return v;
  }

  std::unique_ptr<EnterpriseDesk> desk_;
  int notified_ = 0;
};

PARKLINE_BACKEND_TESTS(EnterpriseDeskTest);

TEST_P(EnterpriseDeskTest, UnitsAreDefinedWithCanonicalAreaAndOneEventEach) {
  auto units = desk_->ListUnits({});
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->units_size(), 3);
  EXPECT_EQ(units->units(0).leasable_area_m2(), "120.50");
  EXPECT_EQ(units->total_leasable_area_m2(), "361.50");
  EXPECT_EQ(Pending().size(), 3u);
  // Defining the same unit again is a no-op.
  v1::Unit same = units->units(0);
  ASSERT_TRUE(desk_->DefineUnit(same).ok());
  EXPECT_EQ(Pending().size(), 3u);
}

TEST_P(EnterpriseDeskTest, AdmissionIsStoredWithItsEventAndIsIdempotent) {
  auto admitted = desk_->Admit(Enterprise(kUscc, "A1-0101"));
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  EXPECT_EQ(admitted->status(), v1::ENTERPRISE_STATUS_RESIDENT);
  EXPECT_EQ(admitted->version(), 1);
  auto again = desk_->Admit(Enterprise(kUscc, "A1-0101"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), admitted->SerializeAsString());

  auto outbox = Pending();
  ASSERT_EQ(outbox.size(), 4u);  // three units, one admission
  EXPECT_EQ(outbox.back().envelope.type, "parkline.enterprises.v1.EnterpriseAdmitted");
  EXPECT_EQ(outbox.back().envelope.subject, kUscc);
  v1::EnterpriseAdmitted event;
  ASSERT_TRUE(event.ParseFromString(outbox.back().envelope.payload));
  EXPECT_EQ(event.enterprise().unit_ids(0), "A1-0101");
  EXPECT_EQ(desk_->Get(kUscc)->unit_ids_size(), 1);
}

// Unit ids whose order differs between byte order and a database collation such as
// en_US.UTF-8: a retried admission and a no-op update are recognised whatever the collation.
TEST_P(EnterpriseDeskTest, RetriesWithMixedCaseUnitIdsPublishNothing) {
  for (const char* id : {"B1-01", "a1-01"}) {
    v1::Unit unit;
    unit.set_unit_id(id);
    unit.set_building("B1");
    unit.set_floor(1);
    unit.set_leasable_area_m2("80");
    unit.set_purpose(v1::UNIT_PURPOSE_OFFICE);
    ASSERT_TRUE(desk_->DefineUnit(unit).ok());
  }
  v1::Enterprise e = Enterprise(kUscc, "B1-01");
  e.add_unit_ids("a1-01");
  auto admitted = desk_->Admit(e);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  size_t outbox_before = Pending().size();
  auto again = desk_->Admit(e);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), admitted->SerializeAsString());
  v1::UpdateEnterpriseRequest same;
  *same.mutable_enterprise()->mutable_unit_ids() = e.unit_ids();
  same.mutable_enterprise()->set_uscc(kUscc);
  same.mutable_update_mask()->add_paths("unit_ids");
  auto updated = desk_->Update(same);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version(), admitted->version());
  EXPECT_EQ(Pending().size(), outbox_before);
}

TEST_P(EnterpriseDeskTest, SecondAdmissionWithDifferentDataIsAlreadyExists) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  v1::Enterprise changed = Enterprise(kUscc, "A1-0101");
  changed.set_name("Another name");
  EXPECT_EQ(desk_->Admit(changed).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(desk_->Get(kUscc)->name(), Enterprise(kUscc, "A1-0101").name());
}

TEST_P(EnterpriseDeskTest, InvalidAdmissionNamesEveryFieldAndChangesNothing) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kOther, "A1-0102")).ok());
  size_t outbox_before = Pending().size();
  v1::Enterprise e = Enterprise(kUscc, "A1-0102");  // occupied by kOther
  e.add_unit_ids("Z9-9999");                        // not defined
  auto result = desk_->Admit(e);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  auto violations = errors::ViolationsOf(result.status());
  ASSERT_EQ(violations.size(), 2u) << result.status();
  EXPECT_EQ(violations[0].reason, "UNIT_OCCUPIED");
  EXPECT_EQ(violations[1].reason, "UNKNOWN_UNIT");
  EXPECT_EQ(desk_->Get(kUscc).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Pending().size(), outbox_before);
}

TEST_P(EnterpriseDeskTest, CustomsCodeBelongsToOneEnterprise) {
  v1::Enterprise a = Enterprise(kOther, "A1-0102");
  a.set_customs_code("4403960001");
  ASSERT_TRUE(desk_->Admit(a).ok());
  v1::Enterprise b = Enterprise(kUscc, "A1-0101");
  b.set_customs_code("4403960001");
  auto result = desk_->Admit(b);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(errors::ViolationsOf(result.status())[0].reason, "CUSTOMS_CODE_TAKEN");
}

TEST_P(EnterpriseDeskTest, UpdateChangesMaskedFieldsAndCarriesThePreviousState) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  v1::UpdateEnterpriseRequest request;
  request.mutable_enterprise()->set_uscc(kUscc);
  request.mutable_enterprise()->add_unit_ids("A1-0101");
  request.mutable_enterprise()->add_unit_ids("A1-0103");
  request.mutable_update_mask()->add_paths("unit_ids");
  auto updated = desk_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->unit_ids_size(), 2);
  EXPECT_EQ(updated->version(), 2);
  size_t outbox = Pending().size();
  ASSERT_TRUE(desk_->Update(request).ok());  // same request again: no change, no event
  EXPECT_EQ(Pending().size(), outbox);
  v1::EnterpriseUpdated event;
  ASSERT_TRUE(event.ParseFromString(Pending().back().envelope.payload));
  EXPECT_EQ(event.previous().unit_ids_size(), 1);
  EXPECT_EQ(event.enterprise().unit_ids_size(), 2);

  request.mutable_enterprise()->set_uscc(kOther);
  EXPECT_EQ(desk_->Update(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(EnterpriseDeskTest, DepartureFreesUnitsAndIsIdempotent) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  v1::DepartEnterpriseRequest depart;
  depart.set_uscc(kUscc);
  *depart.mutable_move_out_date() = Day(2025, 6, 30);
  auto departed = desk_->Depart(depart);
  ASSERT_TRUE(departed.ok()) << departed.status();
  EXPECT_EQ(departed->status(), v1::ENTERPRISE_STATUS_DEPARTED);
  EXPECT_EQ(departed->unit_ids_size(), 0);
  ASSERT_TRUE(desk_->Depart(depart).ok());
  *depart.mutable_move_out_date() = Day(2025, 7, 1);
  EXPECT_EQ(desk_->Depart(depart).status().code(), absl::StatusCode::kFailedPrecondition);
  // The unit is free for another enterprise.
  EXPECT_TRUE(desk_->Admit(Enterprise(kOther, "A1-0101")).ok());
  v1::EnterpriseDeparted event;
  for (const auto& p : Pending()) {
    if (p.envelope.type == "parkline.enterprises.v1.EnterpriseDeparted") {
      ASSERT_TRUE(event.ParseFromString(p.envelope.payload));
    }
  }
  ASSERT_EQ(event.freed_unit_ids_size(), 1);
  EXPECT_EQ(event.freed_unit_ids(0), "A1-0101");
}

TEST_P(EnterpriseDeskTest, DepartureBeforeMoveInIsRejected) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  v1::DepartEnterpriseRequest depart;
  depart.set_uscc(kUscc);
  *depart.mutable_move_out_date() = Day(2023, 1, 1);
  EXPECT_EQ(desk_->Depart(depart).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(EnterpriseDeskTest, IpAssetsAndTalentAreRecordedOnce) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  v1::IpAsset asset;
  asset.set_uscc(kUscc);
  asset.set_kind(v1::IP_ASSET_KIND_TRADEMARK);
  asset.set_registration_no("TM-12345678");
  asset.set_title("Parkline");
  *asset.mutable_granted_date() = Day(2023, 5, 20);
  ASSERT_TRUE(desk_->RecordIpAsset(asset, Staff()).ok());
  ASSERT_TRUE(desk_->RecordIpAsset(asset, Staff()).ok());
  asset.set_title("Other");
  EXPECT_EQ(desk_->RecordIpAsset(asset, Staff()).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(desk_->ListIpAssets(kUscc)->assets_size(), 1);

  v1::TalentFigures talent;
  talent.set_uscc(kUscc);
  talent.set_year(2025);
  talent.set_employees(40);
  talent.set_cross_border_staff(25);
  talent.set_trained_staff(10);
  size_t before = Pending().size();
  ASSERT_TRUE(desk_->RecordTalent(talent).ok());
  ASSERT_TRUE(desk_->RecordTalent(talent).ok());
  EXPECT_EQ(Pending().size(), before + 1);
  talent.set_uscc(kOther);
  EXPECT_EQ(desk_->RecordTalent(talent).status().code(), absl::StatusCode::kNotFound);
}

// A registration number is unique park-wide: recorded by one enterprise, it is refused to any
// other, and the refusal names its holder to park staff and to the holder itself only.
TEST_P(EnterpriseDeskTest, ATakenIpNumberNamesItsHolderOnlyToStaffAndTheHolder) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  ASSERT_TRUE(desk_->Admit(Enterprise(kOther, "A1-0102")).ok());
  v1::IpAsset asset;
  asset.set_uscc(kUscc);
  asset.set_kind(v1::IP_ASSET_KIND_PATENT);
  asset.set_registration_no("ZL202310000001.1");
  asset.set_title("Picking robot");
  *asset.mutable_granted_date() = Day(2023, 5, 20);
  ASSERT_TRUE(desk_->RecordIpAsset(asset, Of(kUscc)).ok());
  size_t outbox_before = Pending().size();

  v1::IpAsset squatted = asset;
  squatted.set_uscc(kOther);
  auto by_rival = desk_->RecordIpAsset(squatted, Of(kOther));
  EXPECT_EQ(by_rival.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(by_rival.status().message().find(kUscc), absl::string_view::npos) << by_rival.status();
  auto by_staff = desk_->RecordIpAsset(squatted, Staff());
  EXPECT_EQ(by_staff.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(by_staff.status().message().find(kUscc), absl::string_view::npos) << by_staff.status();
  // The holder itself, with other data: told it holds it.
  v1::IpAsset retitled = asset;
  retitled.set_title("Another title");
  auto by_holder = desk_->RecordIpAsset(retitled, Of(kUscc));
  EXPECT_EQ(by_holder.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(by_holder.status().message().find(kUscc), absl::string_view::npos)
      << by_holder.status();

  EXPECT_EQ(desk_->ListIpAssets(kUscc)->assets(0).title(), "Picking robot");
  EXPECT_EQ(desk_->ListIpAssets(kOther)->assets_size(), 0);
  EXPECT_EQ(Pending().size(), outbox_before);
}

TEST_P(EnterpriseDeskTest, ListFiltersByRoleAndStatusAndPages) {
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  v1::Enterprise logistics = Enterprise(kOther, "A1-0102");
  logistics.clear_roles();
  logistics.add_roles(v1::ENTERPRISE_ROLE_LOGISTICS);
  ASSERT_TRUE(desk_->Admit(logistics).ok());

  v1::ListEnterprisesRequest request;
  request.set_role(v1::ENTERPRISE_ROLE_LOGISTICS);
  auto only = desk_->List(request);
  ASSERT_TRUE(only.ok());
  ASSERT_EQ(only->enterprises_size(), 1);
  EXPECT_EQ(only->enterprises(0).uscc(), kOther);
  // A listed enterprise carries its units, and only its own.
  ASSERT_EQ(only->enterprises(0).unit_ids_size(), 1);
  EXPECT_EQ(only->enterprises(0).unit_ids(0), "A1-0102");

  v1::ListEnterprisesRequest paged;
  paged.mutable_page()->set_page_size(1);
  auto first = desk_->List(paged);
  ASSERT_EQ(first->enterprises_size(), 1);
  ASSERT_FALSE(first->next_page_token().empty());
  paged.mutable_page()->set_page_token(first->next_page_token());
  auto second = desk_->List(paged);
  ASSERT_EQ(second->enterprises_size(), 1);
  EXPECT_NE(second->enterprises(0).uscc(), first->enterprises(0).uscc());
  EXPECT_TRUE(second->next_page_token().empty());

  paged.mutable_page()->set_page_token("!!");
  EXPECT_EQ(desk_->List(paged).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(EnterpriseDeskTest, CommittedEventsWakeTheRelay) {
  int before = notified_;
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());
  EXPECT_EQ(notified_, before + 1);
  ASSERT_TRUE(desk_->Admit(Enterprise(kUscc, "A1-0101")).ok());  // no event, no wake-up
  EXPECT_EQ(notified_, before + 1);
}

}  // namespace
}  // namespace parkline::enterprises
