#include "enterprises/enterprise_rules.h"

#include <gtest/gtest.h>

#include <map>

namespace parkline::enterprises {
namespace {

constexpr char kUscc[] = "91350100M000100Y43";

v1::Enterprise ValidEnterprise() {
  v1::Enterprise e;
  e.set_uscc(kUscc);
  e.set_customs_code("3501960001");
  e.set_name("Fuzhou Cross-border Trading Co.");
  e.add_roles(v1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
  e.add_unit_ids("B1-0101");
  e.mutable_move_in_date()->set_year(2024);
  e.mutable_move_in_date()->set_month(3);
  e.mutable_move_in_date()->set_day(1);
  return e;
}

std::map<std::string, std::string> FieldsOf(const errors::Violations& v) {
  std::map<std::string, std::string> out;
  for (const auto& violation : v.list()) out[violation.field] = violation.reason;
  return out;
}

TEST(EnterpriseRules, AValidEnterprisePasses) {
  errors::Violations v;
  CheckEnterprise(ValidEnterprise(), "enterprise", v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(EnterpriseRules, ListsEveryBrokenFieldAtOnce) {
  v1::Enterprise e = ValidEnterprise();
  e.set_uscc("91350100M000100Y44");  // wrong check character
  e.set_customs_code("35019600");    // too short
  e.set_name("");
  e.add_roles(static_cast<v1::EnterpriseRole>(42));
  e.add_roles(v1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);  // repeated
  e.add_unit_ids("B1 0102");                              // space not allowed
  e.mutable_move_in_date()->set_month(2);
  e.mutable_move_in_date()->set_day(30);
  errors::Violations v;
  CheckEnterprise(e, "enterprise", v);
  auto fields = FieldsOf(v);
  EXPECT_EQ(fields["enterprise.uscc"], "USCC");
  EXPECT_EQ(fields["enterprise.customs_code"], "CUSTOMS_CODE");
  EXPECT_EQ(fields["enterprise.name"], "REQUIRED");
  EXPECT_EQ(fields["enterprise.roles[1]"], "UNKNOWN_ROLE");
  EXPECT_EQ(fields["enterprise.roles[2]"], "DUPLICATE");
  EXPECT_EQ(fields["enterprise.unit_ids[1]"], "UNIT_ID_FORMAT");
  EXPECT_EQ(fields["enterprise.move_in_date"], "DATE");
  EXPECT_EQ(v.list().size(), 7u) << v.ToStatus();
}

TEST(EnterpriseRules, RolesAndDateAreRequired) {
  v1::Enterprise e = ValidEnterprise();
  e.clear_roles();
  e.clear_move_in_date();
  errors::Violations v;
  CheckEnterprise(e, "enterprise", v);
  auto fields = FieldsOf(v);
  EXPECT_EQ(fields["enterprise.roles"], "REQUIRED");
  EXPECT_EQ(fields["enterprise.move_in_date"], "REQUIRED");
}

TEST(EnterpriseRules, UnitClaimsMustBeDefinedAndVacantOrOwn) {
  v1::Enterprise e = ValidEnterprise();
  e.clear_unit_ids();
  for (const char* id : {"B1-0101", "B1-0102", "B1-0103", "B9-9999"}) e.add_unit_ids(id);
  std::map<std::string, std::string> occupants = {
      {"B1-0101", ""}, {"B1-0102", kUscc}, {"B1-0103", "91110000600037341L"}};
  errors::Violations v;
  CheckUnitClaims(
      e,
      [&](const std::string& id) -> std::optional<std::string> {
        auto it = occupants.find(id);
        if (it == occupants.end()) return std::nullopt;
        return it->second;
      },
      "enterprise", v);
  auto fields = FieldsOf(v);
  EXPECT_EQ(fields.size(), 2u) << v.ToStatus();
  EXPECT_EQ(fields["enterprise.unit_ids[2]"], "UNIT_OCCUPIED");
  EXPECT_EQ(fields["enterprise.unit_ids[3]"], "UNKNOWN_UNIT");
  EXPECT_NE(v.ToStatus().message().find("occupied by 91110000600037341L"), std::string::npos);
}

TEST(EnterpriseRules, SameRegistrationIgnoresOrderButNotContent) {
  v1::Enterprise a = ValidEnterprise();
  a.add_roles(v1::ENTERPRISE_ROLE_ECOMMERCE_PLATFORM);
  v1::Enterprise b = a;
  std::reverse(b.mutable_roles()->begin(), b.mutable_roles()->end());
  Normalize(a);
  Normalize(b);
  EXPECT_TRUE(SameRegistration(a, b));
  b.set_name("Another name");
  EXPECT_FALSE(SameRegistration(a, b));
}

// The desk compares a request (normalized) with the record as the repository read it; under a
// non-C collation (en_US.UTF-8) the database lists "a1-01" before "B1-01", byte order the other
// way round. A retry is the same registration either way.
TEST(EnterpriseRules, SameRegistrationDoesNotDependOnTheDatabasesCollation) {
  v1::Enterprise stored = ValidEnterprise();
  stored.clear_unit_ids();
  stored.add_unit_ids("a1-01");  // as ORDER BY unit_id returns them under en_US.UTF-8
  stored.add_unit_ids("B1-01");
  v1::Enterprise requested = stored;
  Normalize(requested);
  ASSERT_EQ(requested.unit_ids(0), "B1-01");  // byte order: upper case first
  EXPECT_TRUE(SameRegistration(stored, requested));
  EXPECT_TRUE(SameRegistration(requested, stored));
  requested.set_unit_ids(1, "a1-02");
  EXPECT_FALSE(SameRegistration(stored, requested));
}

TEST(EnterpriseRules, UpdateMaskNamesOnlyUpdatableFields) {
  google::protobuf::FieldMask mask;
  errors::Violations none;
  CheckUpdateMask(mask, none);
  EXPECT_EQ(FieldsOf(none)["update_mask"], "REQUIRED");

  mask.add_paths("name");
  mask.add_paths("uscc");
  errors::Violations v;
  CheckUpdateMask(mask, v);
  auto fields = FieldsOf(v);
  EXPECT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields["update_mask.paths[1]"], "NOT_UPDATABLE");
}

TEST(EnterpriseRules, ApplyUpdateTouchesOnlyMaskedFields) {
  v1::Enterprise current = ValidEnterprise();
  v1::Enterprise patch;
  patch.set_name("New name");
  patch.set_customs_code("9999999999");
  google::protobuf::FieldMask mask;
  mask.add_paths("name");
  v1::Enterprise next = ApplyUpdate(current, patch, mask);
  EXPECT_EQ(next.name(), "New name");
  EXPECT_EQ(next.customs_code(), current.customs_code());
  EXPECT_EQ(next.unit_ids_size(), 1);
}

TEST(EnterpriseRules, UnitAreaMustBePositiveWithTwoDecimals) {
  v1::Unit unit;
  unit.set_unit_id("W2-01");
  unit.set_building("W2");
  unit.set_floor(1);
  unit.set_purpose(v1::UNIT_PURPOSE_BONDED_WAREHOUSE);
  for (const char* ok : {"1250.50", "0.01", "800"}) {
    unit.set_leasable_area_m2(ok);
    errors::Violations v;
    CheckUnit(unit, "unit", v);
    EXPECT_TRUE(v.empty()) << ok << " " << v.ToStatus();
  }
  for (auto [bad, reason] : {std::pair{"-5", "POSITIVE"}, std::pair{"0", "POSITIVE"},
                             std::pair{"12.345", "DECIMAL"}, std::pair{"big", "DECIMAL"}}) {
    unit.set_leasable_area_m2(bad);
    errors::Violations v;
    CheckUnit(unit, "unit", v);
    EXPECT_EQ(FieldsOf(v)["unit.leasable_area_m2"], reason) << bad;
  }
  unit.set_leasable_area_m2("10");
  unit.set_purpose(v1::UNIT_PURPOSE_UNSPECIFIED);
  unit.set_unit_id("");
  errors::Violations v;
  CheckUnit(unit, "unit", v);
  auto fields = FieldsOf(v);
  EXPECT_EQ(fields["unit.purpose"], "ENUM");
  EXPECT_EQ(fields["unit.unit_id"], "UNIT_ID_FORMAT");
}

TEST(EnterpriseRules, TalentFiguresAreConsistent) {
  v1::TalentFigures t;
  t.set_uscc(kUscc);
  t.set_year(2025);
  t.set_employees(120);
  t.set_cross_border_staff(80);
  t.set_trained_staff(30);
  errors::Violations ok;
  CheckTalent(t, "talent", ok);
  EXPECT_TRUE(ok.empty()) << ok.ToStatus();

  t.set_cross_border_staff(121);
  t.set_trained_staff(-1);
  t.set_year(1999);
  errors::Violations v;
  CheckTalent(t, "talent", v);
  auto fields = FieldsOf(v);
  EXPECT_EQ(fields["talent.cross_border_staff"], "NOT_ABOVE_EMPLOYEES");
  EXPECT_EQ(fields["talent.trained_staff"], "NON_NEGATIVE");
  EXPECT_EQ(fields["talent.year"], "RANGE");
}

TEST(EnterpriseRules, IpAssetNeedsKindNumberTitleAndDate) {
  v1::IpAsset a;
  a.set_uscc(kUscc);
  errors::Violations v;
  CheckIpAsset(a, "asset", v);
  auto fields = FieldsOf(v);
  EXPECT_EQ(fields["asset.kind"], "ENUM");
  EXPECT_EQ(fields["asset.registration_no"], "REQUIRED");
  EXPECT_EQ(fields["asset.title"], "REQUIRED");
  EXPECT_EQ(fields["asset.granted_date"], "REQUIRED");
  EXPECT_EQ(fields.count("asset.uscc"), 0u);
}

}  // namespace
}  // namespace parkline::enterprises
