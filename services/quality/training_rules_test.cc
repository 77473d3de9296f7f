// Training sessions and staff certifications: what a session and a certificate must hold (each
// broken rule named by its field), attendees as a count or names and never both, names kept from
// anybody but park staff, the period of a listing, and renewals.
#include "quality/training_rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace parkline::quality {
namespace {

using auth::Viewer;

const absl::CivilDay kToday(2026, 9, 30);
const std::string kHash(64, 'a');

v1::RecordTrainingRequest Drill() {
  v1::RecordTrainingRequest r;
  r.set_request_id("drill-1");
  r.set_kind(v1::TRAINING_KIND_EMERGENCY_DRILL);
  r.set_held_date("2026-09-28");
  r.set_title("Warehouse B evacuation drill");
  r.set_attendee_count(46);
  r.mutable_evidence()->set_uri("https://files.park.example/drills/2026-09-28.pdf");
  r.mutable_evidence()->set_sha256(kHash);
  return r;
}

v1::RecordCertificationRequest Certificate() {
  v1::RecordCertificationRequest r;
  r.set_request_id("crt-1");
  r.set_holder("Liu Yang");
  r.set_certificate_kind("fire-safety facility operator");
  r.set_number("3501-2024-00871");
  r.set_issuer("Fujian fire rescue corps");
  r.set_issued_date("2024-10-15");
  r.set_expires_date("2026-10-14");
  return r;
}

template <typename F>
std::set<std::string> Fields(F check) {
  errors::Violations v;
  check(v);
  std::set<std::string> out;
  for (const auto& x : v.list()) out.insert(x.field + ":" + x.reason);
  return out;
}

std::set<std::string> TrainingFields(const v1::RecordTrainingRequest& r) {
  return Fields([&](errors::Violations& v) { CheckTraining(r, kToday, v); });
}

TEST(TrainingRulesTest, AValidSessionBreaksNoRuleAndAnEmptyOneNamesEveryField) {
  EXPECT_TRUE(TrainingFields(Drill()).empty());
  EXPECT_EQ(
      TrainingFields(v1::RecordTrainingRequest()),
      (std::set<std::string>{"request_id:REQUIRED", "kind:REQUIRED", "held_date:REQUIRED",
                             "title:REQUIRED", "attendee_count:REQUIRED", "evidence:REQUIRED"}));
}

TEST(TrainingRulesTest, AttendeesAreACountOrNamesNeverBoth) {
  v1::RecordTrainingRequest both = Drill();
  both.add_attendee_names("Liu Yang");
  EXPECT_EQ(TrainingFields(both), (std::set<std::string>{"attendee_count:BOTH_GIVEN"}));

  v1::RecordTrainingRequest named = Drill();
  named.set_attendee_count(0);
  named.add_attendee_names("Liu Yang");
  named.add_attendee_names("Zhou Min");
  EXPECT_TRUE(TrainingFields(named).empty());
  v1::TrainingSession s = NewSession(named, "TRN-1", "staff-li", absl::UnixEpoch());
  EXPECT_EQ(s.attendee_count(), 2) << "the names give the count";

  named.add_attendee_names("  ");
  EXPECT_EQ(TrainingFields(named), (std::set<std::string>{"attendee_names[2]:NOT_A_NAME"}));

  v1::RecordTrainingRequest negative = Drill();
  negative.set_attendee_count(-3);
  EXPECT_EQ(TrainingFields(negative), (std::set<std::string>{"attendee_count:OUT_OF_RANGE"}));
  negative.set_attendee_count(kMaxAttendees + 1);
  EXPECT_EQ(TrainingFields(negative), (std::set<std::string>{"attendee_count:OUT_OF_RANGE"}));
}

TEST(TrainingRulesTest, DatesKindsAndEvidenceAreChecked) {
  v1::RecordTrainingRequest r = Drill();
  r.set_held_date("2026-10-01");  // tomorrow
  r.set_kind(static_cast<v1::TrainingKind>(42));
  r.mutable_evidence()->set_uri("not a uri");
  r.mutable_evidence()->set_sha256("ABC");
  EXPECT_EQ(TrainingFields(r),
            (std::set<std::string>{"held_date:IN_THE_FUTURE", "kind:REQUIRED",
                                   "evidence.uri:NOT_A_URI", "evidence.sha256:NOT_A_SHA256"}));
  r = Drill();
  r.set_held_date("2026-02-30");
  EXPECT_EQ(TrainingFields(r), (std::set<std::string>{"held_date:NOT_A_DATE"}));
}

TEST(TrainingRulesTest, OnlyParkStaffReadAttendeesNames) {
  v1::RecordTrainingRequest named = Drill();
  named.set_attendee_count(0);
  named.add_attendee_names("Liu Yang");
  v1::TrainingSession s = NewSession(named, "TRN-1", "staff-li", absl::UnixEpoch());
  Viewer staff{"staff-li", true, ""};
  Viewer analyst{"analyst-bi", false, ""};
  analyst.analyst = true;
  EXPECT_EQ(SessionForViewer(s, staff).attendee_names_size(), 1);
  v1::TrainingSession seen = SessionForViewer(s, analyst);
  EXPECT_EQ(seen.attendee_names_size(), 0);
  EXPECT_EQ(seen.attendee_count(), 1) << "the count stays";
}

TEST(TrainingRulesTest, AListingsPeriodIsTwoOrderedDatesAtMostAYearApart) {
  v1::ListTrainingsRequest r;
  r.set_from_date("2026-01-01");
  r.set_to_date("2026-12-31");
  errors::Violations ok;
  auto period = CheckTrainingPeriod(r, ok);
  ASSERT_TRUE(period.has_value());
  EXPECT_EQ(period->second - period->first, 364);

  r.set_to_date("2025-12-31");
  EXPECT_EQ(Fields([&](errors::Violations& v) { CheckTrainingPeriod(r, v); }),
            (std::set<std::string>{"to_date:BEFORE_FROM"}));
  r.set_to_date("2027-01-01");  // 366 days, counting both ends: a leap year's worth
  EXPECT_TRUE(Fields([&](errors::Violations& v) { CheckTrainingPeriod(r, v); }).empty());
  r.set_to_date("2027-01-02");
  EXPECT_EQ(Fields([&](errors::Violations& v) { CheckTrainingPeriod(r, v); }),
            (std::set<std::string>{"to_date:PERIOD_TOO_LONG"}));
  EXPECT_EQ(Fields([&](errors::Violations& v) { CheckTrainingPeriod({}, v); }),
            (std::set<std::string>{"from_date:REQUIRED", "to_date:REQUIRED"}));
}

TEST(CertificationRulesTest, ACertificateNamesItsHolderAndExpiresAfterItIsIssued) {
  EXPECT_TRUE(Fields([](errors::Violations& v) { CheckCertification(Certificate(), v); }).empty());
  EXPECT_EQ(
      Fields([](errors::Violations& v) { CheckCertification({}, v); }),
      (std::set<std::string>{"request_id:REQUIRED", "holder:REQUIRED", "certificate_kind:REQUIRED",
                             "number:REQUIRED", "issuer:REQUIRED", "issued_date:REQUIRED",
                             "expires_date:REQUIRED"}));
  v1::RecordCertificationRequest r = Certificate();
  r.set_expires_date("2024-10-15");
  EXPECT_EQ(Fields([&](errors::Violations& v) { CheckCertification(r, v); }),
            (std::set<std::string>{"expires_date:NOT_AFTER_ISSUED"}));
}

TEST(CertificationRulesTest, ARenewalKeepsHolderAndKindExpiresLaterAndHappensOnce) {
  v1::Certification old = NewCertification(Certificate(), "CRT-1", "staff-li", absl::UnixEpoch());
  v1::RenewCertificationRequest r;
  r.set_request_id("renew-1");
  r.set_certification_id("CRT-1");
  r.set_number("3501-2026-01212");
  r.set_issuer("Fujian fire rescue corps");
  r.set_issued_date("2026-09-20");
  r.set_expires_date("2028-09-19");
  EXPECT_TRUE(Fields([&](errors::Violations& v) { CheckRenewal(r, v); }).empty());
  EXPECT_TRUE(CheckRenewable(r, old).ok());
  v1::Certification renewed = Renewal(r, old, "CRT-2", "staff-li", absl::UnixEpoch());
  EXPECT_EQ(renewed.holder(), "Liu Yang");
  EXPECT_EQ(renewed.certificate_kind(), "fire-safety facility operator");
  EXPECT_EQ(renewed.replaces_certification_id(), "CRT-1");

  v1::RenewCertificationRequest earlier = r;
  earlier.set_expires_date("2026-10-01");
  EXPECT_EQ(CheckRenewable(earlier, old).code(), absl::StatusCode::kInvalidArgument);
  old.set_replaced_by_certification_id("CRT-2");
  EXPECT_EQ(CheckRenewable(r, old).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(CertificationRulesTest, DaysLeftCountFromTodayAndGoNegativeOnceExpired) {
  v1::Certification c = NewCertification(Certificate(), "CRT-1", "staff-li", absl::UnixEpoch());
  EXPECT_EQ(DaysLeft(c, kToday), 14);
  EXPECT_EQ(DaysLeft(c, absl::CivilDay(2026, 10, 20)), -6);
  EXPECT_EQ(ExpiringBy(kToday, 30), "2026-10-30");
}

v1::Certification Held(const std::string& id, const std::string& issued, const std::string& expires,
                       const std::string& replaced_by = "") {
  v1::Certification c;
  c.set_certification_id(id);
  c.set_issued_date(issued);
  c.set_expires_date(expires);
  c.set_replaced_by_certification_id(replaced_by);
  return c;
}

std::vector<std::string> Ids(const std::vector<v1::Certification>& certifications) {
  std::vector<std::string> out;
  for (const auto& c : certifications) out.push_back(c.certification_id());
  return out;
}

// C1 expired on 2025-06-30 and was renewed by C2, issued 2026-03-01: on 2025-12-31 C1 stood,
// expired, and C2 did not exist; from 2026-03-01 C2 stands in its place.
TEST(CertificationRulesTest, ACertificationStandsOnADayAsItWasThenNotAsItIsToday) {
  std::vector<v1::Certification> all = {
      Held("C1", "2022-07-01", "2025-06-30", "C2"), Held("C2", "2026-03-01", "2029-02-28"),
      Held("C3", "2024-01-10", "2027-01-09"), Held("C4", "2026-12-01", "2029-11-30")};
  EXPECT_EQ(Ids(CertificationsStandingOn(all, absl::CivilDay(2025, 12, 31))),
            (std::vector<std::string>{"C1", "C3"}));
  EXPECT_EQ(Ids(CertificationsStandingOn(all, absl::CivilDay(2026, 2, 28))),
            (std::vector<std::string>{"C1", "C3"}))
      << "replaced the day its successor was issued, not before";
  EXPECT_EQ(Ids(CertificationsStandingOn(all, absl::CivilDay(2026, 3, 1))),
            (std::vector<std::string>{"C2", "C3"}));
  EXPECT_EQ(Ids(CertificationsStandingOn(all, absl::CivilDay(2026, 12, 31))),
            (std::vector<std::string>{"C2", "C3", "C4"}));
  EXPECT_TRUE(CertificationsStandingOn(all, absl::CivilDay(2022, 6, 30)).empty())
      << "nothing issued yet";
}

}  // namespace
}  // namespace parkline::quality
