// Training sessions and staff certifications on both store backends: a session is stored once
// with its TrainingRecorded (a retry answers it, another request under its id is refused and
// stores nothing), listed by period and kind with its attendees' names for park staff only; a
// certification expiring within N days is listed (expired ones too), a renewal replaces it once
// and its retry answers the renewal. (Who may call what: quality_access_test and
// adversarial_quality_test.)
#include <gtest/gtest.h>

#include <string>

#include "parkline/quality/v1/events.pb.h"
#include "quality/report_sources.h"
#include "quality/schema.h"
#include "quality/training_desk.h"
#include "store/group_commit.h"
#include "tests/support/backend_test.h"

namespace parkline::quality {
namespace {

const std::string kHash(64, 'c');
const auth::Viewer kStaff{"staff-li", true, ""};

auth::Viewer Analyst() {
  auth::Viewer v{"analyst-bi", false, ""};
  v.analyst = true;
  return v;
}

absl::TimeZone Park() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

v1::RecordTrainingRequest Session(const std::string& request_id, v1::TrainingKind kind,
                                  const std::string& held_date) {
  v1::RecordTrainingRequest r;
  r.set_request_id(request_id);
  r.set_kind(kind);
  r.set_held_date(held_date);
  r.set_title("Extinguisher and hose-reel practice");
  r.set_attendee_count(38);
  r.mutable_evidence()->set_uri("https://files.park.example/training/" + request_id + ".pdf");
  r.mutable_evidence()->set_sha256(kHash);
  return r;
}

v1::RecordCertificationRequest Certificate(const std::string& request_id,
                                           const std::string& expires) {
  v1::RecordCertificationRequest r;
  r.set_request_id(request_id);
  r.set_holder("Liu Yang " + request_id);
  r.set_certificate_kind("fire-safety facility operator");
  r.set_number("3501-" + request_id);
  r.set_issuer("Fujian fire rescue corps");
  r.set_issued_date("2024-03-01");
  r.set_expires_date(expires);
  return r;
}

class QualityTrainingTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ =
        std::make_unique<TrainingDesk>(*db_, *writer_, nullptr, Park(), [this] { return now_; });
  }

  // 2026-03-10 10:00 in the park.
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 10, 0, 0), Park());
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<TrainingDesk> desk_;
};

TEST_P(QualityTrainingTest, ASessionIsStoredOnceWithItsEventAndListedByPeriodAndKind) {
  auto drill = desk_->RecordTraining(
      Session("drill-1", v1::TRAINING_KIND_EMERGENCY_DRILL, "2026-03-05"), kStaff);
  ASSERT_TRUE(drill.ok()) << drill.status();
  v1::RecordTrainingRequest named =
      Session("fire-1", v1::TRAINING_KIND_FIRE_SAFETY_EDUCATION, "2026-02-20");
  named.set_attendee_count(0);
  named.add_attendee_names("Liu Yang");
  named.add_attendee_names("Zhou Min");
  auto education = desk_->RecordTraining(named, kStaff);
  ASSERT_TRUE(education.ok()) << education.status();
  EXPECT_EQ(education->attendee_count(), 2);
  EXPECT_EQ(education->attendee_names_size(), 2);

  // A retry answers the stored session; another session under its request id is refused.
  auto again = desk_->RecordTraining(
      Session("drill-1", v1::TRAINING_KIND_EMERGENCY_DRILL, "2026-03-05"), kStaff);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->session_id(), drill->session_id());
  auto clash = desk_->RecordTraining(
      Session("drill-1", v1::TRAINING_KIND_EMERGENCY_DRILL, "2026-03-06"), kStaff);
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);

  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u) << "one event per session, none for the retry or the clash";
  v1::TrainingRecorded event;
  ASSERT_TRUE(event.ParseFromString(outbox[1].payload));
  EXPECT_EQ(outbox[1].subject, education->session_id());
  EXPECT_EQ(event.kind(), v1::TRAINING_KIND_FIRE_SAFETY_EDUCATION);
  EXPECT_EQ(event.attendee_count(), 2);
  EXPECT_EQ(event.evidence_sha256(), kHash);
  EXPECT_EQ(outbox[1].payload.find("Liu Yang"), std::string::npos) << "no names in events";

  v1::ListTrainingsRequest list;
  list.set_from_date("2026-01-01");
  list.set_to_date("2026-03-31");
  auto all = desk_->ListTrainings(list, kStaff);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->sessions_size(), 2);
  EXPECT_EQ(all->sessions(0).session_id(), education->session_id()) << "oldest first";
  EXPECT_EQ(all->attendees(), 40);
  EXPECT_EQ(all->sessions(0).attendee_names_size(), 2);

  auto seen = desk_->ListTrainings(list, Analyst());
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->sessions(0).attendee_names_size(), 0) << "analysts read counts, not names";
  EXPECT_EQ(seen->sessions(0).attendee_count(), 2);

  list.set_kind(v1::TRAINING_KIND_EMERGENCY_DRILL);
  auto drills = desk_->ListTrainings(list, kStaff);
  ASSERT_TRUE(drills.ok());
  ASSERT_EQ(drills->sessions_size(), 1);
  EXPECT_EQ(drills->sessions(0).session_id(), drill->session_id());
  list.set_kind(v1::TRAINING_KIND_UNSPECIFIED);
  list.set_from_date("2026-03-06");
  auto later = desk_->ListTrainings(list, kStaff);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->sessions_size(), 0) << "the period bounds the held date";
}

TEST_P(QualityTrainingTest, ABrokenSessionIsRefusedNamingTheFieldAndStoresNothing) {
  v1::RecordTrainingRequest r = Session("bad-1", v1::TRAINING_KIND_STAFF_TRAINING, "2026-03-11");
  r.add_attendee_names("Liu Yang");
  auto refused = desk_->RecordTraining(r, kStaff);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("held_date"), std::string::npos) << refused.status();
  EXPECT_NE(refused.status().message().find("attendee_count"), std::string::npos)
      << refused.status();
  EXPECT_TRUE(Outbox().empty());
  v1::ListTrainingsRequest list;
  list.set_from_date("2026-01-01");
  list.set_to_date("2026-12-31");
  auto all = desk_->ListTrainings(list, kStaff);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->sessions_size(), 0);
}

TEST_P(QualityTrainingTest, CertificationsExpiringSoonAreListedAndARenewalReplacesOnce) {
  auto soon = desk_->RecordCertification(Certificate("soon", "2026-03-20"), kStaff);
  auto expired = desk_->RecordCertification(Certificate("expired", "2026-03-05"), kStaff);
  auto later = desk_->RecordCertification(Certificate("later", "2028-03-01"), kStaff);
  ASSERT_TRUE(soon.ok() && expired.ok() && later.ok()) << soon.status();

  v1::ListExpiringCertificationsRequest within;
  within.set_within_days(30);
  auto listed = desk_->ListExpiring(within);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->certifications_size(), 2);
  EXPECT_EQ(listed->certifications(0).certification_id(), expired->certification_id());
  EXPECT_EQ(listed->certifications(0).days_left(), -5);
  EXPECT_EQ(listed->certifications(1).days_left(), 10);
  auto watched = desk_->WatchExpiry();
  ASSERT_TRUE(watched.ok());
  EXPECT_EQ(*watched, 2);

  v1::RenewCertificationRequest renew;
  renew.set_request_id("renew-soon");
  renew.set_certification_id(soon->certification_id());
  renew.set_number("3501-2026-01212");
  renew.set_issuer("Fujian fire rescue corps");
  renew.set_issued_date("2026-03-09");
  renew.set_expires_date("2029-03-08");
  auto renewed = desk_->RenewCertification(renew, kStaff);
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_EQ(renewed->holder(), "Liu Yang soon");
  EXPECT_EQ(renewed->replaces_certification_id(), soon->certification_id());
  auto retried = desk_->RenewCertification(renew, kStaff);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->certification_id(), renewed->certification_id());

  v1::RenewCertificationRequest twice = renew;
  twice.set_request_id("renew-soon-2");
  EXPECT_EQ(desk_->RenewCertification(twice, kStaff).status().code(),
            absl::StatusCode::kFailedPrecondition);
  twice.set_certification_id("CRT-20260310-000000000000");
  EXPECT_EQ(desk_->RenewCertification(twice, kStaff).status().code(), absl::StatusCode::kNotFound);

  listed = desk_->ListExpiring(within);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->certifications_size(), 1) << "the renewed one left the watch";
  EXPECT_EQ(listed->certifications(0).certification_id(), expired->certification_id());
  within.set_within_days(3651);
  EXPECT_EQ(desk_->ListExpiring(within).status().code(), absl::StatusCode::kInvalidArgument);

  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 4u);
  v1::CertificationRecorded event;
  ASSERT_TRUE(event.ParseFromString(outbox[3].payload));
  EXPECT_EQ(event.replaces_certification_id(), soon->certification_id());
  EXPECT_EQ(event.expires_date(), "2029-03-08");
  for (const auto& e : outbox) {
    EXPECT_EQ(e.payload.find("Liu Yang"), std::string::npos) << "no holder in events";
  }
}

// The evidence report reads the sessions of a period longer than the desk's 366-day list (two
// years: asked a year at a time), the kinds as the report names them, and the certifications as
// they stood at the period's end, with neither attendees' nor holders' names (analysts read the
// report).
TEST_P(QualityTrainingTest, TheReportReadsSessionsOfTwoYearsAndCertificationsWithoutNames) {
  v1::RecordTrainingRequest named =
      Session("fire-2025", v1::TRAINING_KIND_FIRE_SAFETY_EDUCATION, "2025-01-15");
  named.set_attendee_count(0);
  named.add_attendee_names("Liu Yang");
  ASSERT_TRUE(desk_->RecordTraining(named, kStaff).ok());
  ASSERT_TRUE(
      desk_
          ->RecordTraining(Session("drill-2026", v1::TRAINING_KIND_EMERGENCY_DRILL, "2026-03-05"),
                           kStaff)
          .ok());
  ASSERT_TRUE(desk_->RecordCertification(Certificate("c1", "2027-03-01"), kStaff).ok());

  TrainingEvidenceSource source(*desk_);
  auto evidence = source.Trainings({absl::CivilDay(2024, 12, 1), absl::CivilDay(2026, 3, 10)});
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  ASSERT_EQ(evidence->sessions.size(), 2u);
  EXPECT_EQ(evidence->sessions[0].kind, "FIRE_SAFETY_EDUCATION");
  EXPECT_EQ(evidence->sessions[0].date, "2025-01-15");
  EXPECT_EQ(evidence->sessions[0].attendees, 1);
  EXPECT_EQ(evidence->sessions[1].kind, "EMERGENCY_DRILL");
  ASSERT_EQ(evidence->certifications.size(), 1u);
  EXPECT_EQ(evidence->certifications[0].name, "fire-safety facility operator");
  EXPECT_EQ(evidence->certifications[0].expires, "2027-03-01");
  EXPECT_EQ(evidence->certifications[0].holder.find("Liu Yang"), std::string::npos);
}

// Clause 8.1.2 as the certificates stood on the period's last day, not today: C1 expired on
// 2025-06-30 and was renewed on 2026-03-01 by C2 (to 2029-02-28). 2025 ended with C1 expired and
// no C2; 2026 ends with C2 valid; 2029 ends with C2 expired.
TEST_P(QualityTrainingTest, TheReportJudgesCertificationsAsTheyStoodAtThePeriodsEnd) {
  v1::RecordCertificationRequest first = Certificate("c1", "2025-06-30");
  first.set_issued_date("2022-07-01");
  auto c1 = desk_->RecordCertification(first, kStaff);
  ASSERT_TRUE(c1.ok()) << c1.status();
  v1::RenewCertificationRequest renew;
  renew.set_request_id("renew-c1");
  renew.set_certification_id(c1->certification_id());
  renew.set_number("3501-2026-00042");
  renew.set_issuer("Fujian fire rescue corps");
  renew.set_issued_date("2026-03-01");
  renew.set_expires_date("2029-02-28");
  auto c2 = desk_->RenewCertification(renew, kStaff);
  ASSERT_TRUE(c2.ok()) << c2.status();
  for (const auto& [id, day] :
       {std::make_pair("staff-2025", "2025-05-02"), std::make_pair("staff-2026", "2026-03-05")}) {
    ASSERT_TRUE(
        desk_->RecordTraining(Session(id, v1::TRAINING_KIND_STAFF_TRAINING, day), kStaff).ok());
  }

  TrainingEvidenceSource source(*desk_);
  ReportSources sources;
  sources.trainings = &source;
  auto staff = [&](int year) {
    ReportPeriod period{absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31)};
    v1::EvaluationReport report =
        AssembleReport(GatherEvidence(sources, period, "", now_, "analyst-bi"));
    for (const auto& c : report.clauses()) {
      if (c.clause() == "8.1.2") return c;
    }
    ADD_FAILURE() << "no clause 8.1.2";
    return v1::ReportClause();
  };

  v1::ReportClause y2025 = staff(2025);
  EXPECT_EQ(ReportVerdictName(y2025.verdict()), "PARTIAL");
  ASSERT_EQ(y2025.criteria_size(), 2);
  EXPECT_FALSE(y2025.criteria(0).met());
  EXPECT_EQ(y2025.criteria(0).found(), "1 certifications, 1 expired");
  ASSERT_EQ(y2025.missing_size(), 1);
  EXPECT_EQ(y2025.missing(0), "expired on 2025-12-31: staff: fire-safety facility operator (" +
                                  c1->certification_id() + ")");
  ASSERT_EQ(y2025.evidence_size(), 2);  // the certificate and the staff training
  EXPECT_EQ(y2025.evidence(0).link(), c1->certification_id());
  EXPECT_EQ(y2025.evidence(0).value(), "expired");

  v1::ReportClause y2026 = staff(2026);
  EXPECT_EQ(ReportVerdictName(y2026.verdict()), "EVIDENCED");
  EXPECT_EQ(y2026.criteria(0).found(), "1 certifications, 0 expired");
  EXPECT_EQ(y2026.evidence(0).link(), c2->certification_id());

  v1::ReportClause y2029 = staff(2029);
  EXPECT_FALSE(y2029.criteria(0).met());
  EXPECT_EQ(y2029.criteria(0).found(), "1 certifications, 1 expired");
  EXPECT_EQ(y2029.evidence(0).link(), c2->certification_id());
}

PARKLINE_BACKEND_TESTS(QualityTrainingTest);

}  // namespace
}  // namespace parkline::quality
