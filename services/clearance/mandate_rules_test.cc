// Mandates: when one is in force (its period, its revocation), what a grant must say, who grants,
// revokes and sees one, and which other grant overlaps it.
#include "clearance/mandate_rules.h"

#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"

namespace parkline::clearance {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kEnterprise[] = "3301960002";
constexpr char kBroker[] = "3301960003";

const absl::Time kNoon = absl::FromUnixSeconds(1764993600);  // 2025-12-06 12:00 +08:00

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

v1::Mandate Mandate(absl::Time from, absl::Time until) {
  v1::Mandate m;
  m.set_ebc_code(kEnterprise);
  m.set_agent_code(kBroker);
  *m.mutable_valid_from() = Ts(from);
  *m.mutable_valid_until() = Ts(until);
  m.set_mandate_id(MandateIdFor(kEnterprise, kBroker, from, until));
  return m;
}

auth::Viewer Enterprise(const std::string& code) {
  auth::Viewer v;
  v.codes = {"91350100M000100Y43", code};
  return v;
}

auth::Viewer Admin() {
  auth::Viewer v;
  v.admin = true;
  v.park_staff = true;
  return v;
}

auth::Viewer Staff() {
  auth::Viewer v;
  v.park_staff = true;
  return v;
}

TEST(MandateRulesTest, AMandateIsInForceFromItsStartUntilItsEndOrItsRevocation) {
  v1::Mandate m = Mandate(kNoon, kNoon + absl::Hours(24));
  EXPECT_FALSE(MandateInForce(m, kNoon - absl::Microseconds(1)));
  EXPECT_TRUE(MandateInForce(m, kNoon));
  EXPECT_TRUE(MandateInForce(m, kNoon + absl::Hours(23)));
  EXPECT_FALSE(MandateInForce(m, kNoon + absl::Hours(24)));
  *m.mutable_revoke_time() = Ts(kNoon + absl::Hours(1));
  EXPECT_EQ(MandateEnd(m), kNoon + absl::Hours(1));
  EXPECT_TRUE(MandateInForce(m, kNoon + absl::Minutes(59)));
  EXPECT_FALSE(MandateInForce(m, kNoon + absl::Hours(1)));
  // A revocation after valid_until does not lengthen it.
  *m.mutable_revoke_time() = Ts(kNoon + absl::Hours(48));
  EXPECT_EQ(MandateEnd(m), kNoon + absl::Hours(24));
}

TEST(MandateRulesTest, AnyMandateInForceLooksAtThePairOnly) {
  std::vector<v1::Mandate> all = {Mandate(kNoon, kNoon + absl::Hours(1))};
  EXPECT_TRUE(AnyMandateInForce(all, kEnterprise, kBroker, kNoon));
  EXPECT_FALSE(AnyMandateInForce(all, kEnterprise, "4401960009", kNoon));
  EXPECT_FALSE(AnyMandateInForce(all, "4401960009", kBroker, kNoon));
  EXPECT_FALSE(AnyMandateInForce(all, kEnterprise, "", kNoon));
  EXPECT_FALSE(AnyMandateInForce({}, kEnterprise, kBroker, kNoon));
}

TEST(MandateRulesTest, TheIdIsTheContentSoARetryIsTheSameMandate) {
  EXPECT_EQ(MandateIdFor(kEnterprise, kBroker, kNoon, kNoon + absl::Hours(1)),
            MandateIdFor(kEnterprise, kBroker, kNoon, kNoon + absl::Hours(1)));
  EXPECT_NE(MandateIdFor(kEnterprise, kBroker, kNoon, kNoon + absl::Hours(1)),
            MandateIdFor(kEnterprise, kBroker, kNoon, kNoon + absl::Hours(2)));
  EXPECT_EQ(MandateIdFor(kEnterprise, kBroker, kNoon, kNoon + absl::Hours(1)).size(), 36u);
}

TEST(MandateRulesTest, AGrantNeedsBothCodesAnotherBrokerAndAFuturePeriod) {
  v1::GrantMandateRequest r;
  r.set_ebc_code(kEnterprise);
  r.set_agent_code(kBroker);
  *r.mutable_valid_from() = Ts(kNoon);
  *r.mutable_valid_until() = Ts(kNoon + absl::Hours(1));
  EXPECT_TRUE(CheckGrant(r, kNoon).ok());
  // Backdated starts do no harm: a mandate is judged at the time of each act.
  EXPECT_TRUE(CheckGrant(r, kNoon + absl::Minutes(30)).ok());
  EXPECT_EQ(CheckGrant(r, kNoon + absl::Hours(1)).code(), absl::StatusCode::kInvalidArgument);

  v1::GrantMandateRequest self = r;
  self.set_agent_code(kEnterprise);
  EXPECT_NE(CheckGrant(self, kNoon).message().find("agent_code: an e-commerce enterprise declares"),
            std::string::npos);
  v1::GrantMandateRequest backwards = r;
  *backwards.mutable_valid_until() = Ts(kNoon);
  EXPECT_NE(CheckGrant(backwards, kNoon).message().find("valid_until: must be after valid_from"),
            std::string::npos);
  v1::GrantMandateRequest empty;
  absl::Status s = CheckGrant(empty, kNoon);
  for (const char* field : {"ebc_code", "agent_code", "valid_from", "valid_until"}) {
    EXPECT_NE(s.message().find(field), std::string::npos) << field << ": " << s;
  }
}

TEST(MandateRulesTest, OnlyTheEnterpriseItselfOrTheAdminGrants) {
  EXPECT_TRUE(MayGrantMandate(Enterprise(kEnterprise), kEnterprise).ok());
  EXPECT_TRUE(MayGrantMandate(Admin(), kEnterprise).ok());
  EXPECT_EQ(MayGrantMandate(Enterprise(kBroker), kEnterprise).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayGrantMandate(Staff(), kEnterprise).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayGrantMandate(Enterprise(kEnterprise), "").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(MandateRulesTest, AnOverlappingGrantIsOneThatHasNotEndedAndSharesSomeTime) {
  v1::Mandate day = Mandate(kNoon, kNoon + absl::Hours(24));
  std::vector<v1::Mandate> stored = {day};
  absl::Time later = kNoon + absl::Hours(24);
  // Overlapping the day, or inside it.
  EXPECT_TRUE(
      OverlappingMandate(stored, "new", kNoon + absl::Hours(23), later + absl::Hours(1), kNoon)
          .has_value());
  EXPECT_TRUE(
      OverlappingMandate(stored, "new", kNoon + absl::Hours(1), kNoon + absl::Hours(2), kNoon)
          .has_value());
  // Right after it: none.
  EXPECT_FALSE(OverlappingMandate(stored, "new", later, later + absl::Hours(1), kNoon).has_value());
  // The same mandate again is no overlap (it is a retry).
  EXPECT_FALSE(OverlappingMandate(stored, day.mandate_id(), kNoon, later, kNoon).has_value());
  // Revoked: its end is the revocation, and once that has passed it is no obstacle.
  stored[0].mutable_revoke_time()->CopyFrom(Ts(kNoon + absl::Hours(1)));
  EXPECT_FALSE(
      OverlappingMandate(stored, "new", kNoon + absl::Hours(2), later, kNoon + absl::Hours(2))
          .has_value());
}

TEST(MandateRulesTest, TheEnterpriseAndTheBrokerSeeAMandateOnlyTheGrantorOrAdminRevokesIt) {
  v1::Mandate m = Mandate(kNoon, kNoon + absl::Hours(1));
  EXPECT_TRUE(MaySeeMandate(Enterprise(kEnterprise), m));
  EXPECT_TRUE(MaySeeMandate(Enterprise(kBroker), m));
  EXPECT_TRUE(MaySeeMandate(Staff(), m));
  EXPECT_FALSE(MaySeeMandate(Enterprise("4401960009"), m));
  auth::Viewer carrier;
  carrier.carrier_code = "SF";
  EXPECT_FALSE(MaySeeMandate(carrier, m));

  EXPECT_TRUE(MayRevokeMandate(Enterprise(kEnterprise), m).ok());
  EXPECT_TRUE(MayRevokeMandate(Admin(), m).ok());
  EXPECT_EQ(MayRevokeMandate(Enterprise(kBroker), m).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayRevokeMandate(Staff(), m).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayRevokeMandate(Enterprise("4401960009"), m).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MayRevokeMandate(carrier, m).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace parkline::clearance
