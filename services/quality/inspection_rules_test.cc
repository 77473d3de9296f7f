// Inspections and corrective actions: the form, who files what, deadlines counted in the park's
// working days (the complaints' calendar), the actions' states, who reads what, and the record's
// chain.
#include "quality/inspection_rules.h"

#include <gtest/gtest.h>

#include "calendar/calendar_data.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::quality {
namespace {

using google::protobuf::util::TimeUtil;

using auth::Viewer;

constexpr char kFiler[] = "91350100M000100Y43";

ParkTime Park() {
  ParkTime park;
  auto calendar = calendar::WorkingCalendar::FromJson(calendar::kBuiltInCalendar);
  EXPECT_TRUE(calendar.ok());
  if (calendar.ok()) park.calendar = *calendar;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park.zone));
  return park;
}

absl::Time At(int y, int m, int d, int h, const ParkTime& park) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), park.zone);
}

const Viewer kStaff{"staff-li", true, ""};
const Viewer kTenant{"tenant-erp", false, kFiler, false, {kFiler}};

v1::RecordInspectionRequest Internal() {
  v1::RecordInspectionRequest r;
  r.set_request_id("ins-1");
  r.set_kind(v1::INSPECTION_KIND_INTERNAL_PERIODIC);
  r.set_inspected_date("2026-09-29");
  r.set_inspector("Zhou Min, quality office");
  r.set_scope("warehouse B fire exits");
  v1::Finding* f = r.add_findings();
  f->set_description("Fire exit 3 blocked by pallets");
  f->set_owner_department("facilities-management");
  f->set_deadline_working_days(2);
  r.add_findings()->set_description("Extinguisher B-12 past its inspection date");
  return r;
}

v1::RecordInspectionRequest Supervision() {
  v1::RecordInspectionRequest r;
  r.set_request_id("sup-1");
  r.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
  r.set_inspected_date("2026-09-29");
  r.set_inspector("Chen Jing, tenant's safety officer");
  r.set_filer_uscc(kFiler);
  r.add_findings()->set_description("The loading bay lights are out at night");
  return r;
}

std::set<std::string> Fields(const v1::RecordInspectionRequest& r, const Viewer& viewer) {
  errors::Violations v;
  CheckInspection(r, viewer, absl::CivilDay(2026, 9, 30), v);
  std::set<std::string> out;
  for (const auto& x : v.list()) out.insert(x.field);
  return out;
}

TEST(InspectionRulesTest, AValidInspectionBreaksNoRuleAndAnEmptyOneNamesEveryField) {
  EXPECT_TRUE(Fields(Internal(), kStaff).empty());
  EXPECT_TRUE(Fields(Supervision(), kTenant).empty());
  EXPECT_EQ(
      Fields(v1::RecordInspectionRequest(), kStaff),
      (std::set<std::string>{"request_id", "kind", "inspected_date", "inspector", "findings"}));
}

TEST(InspectionRulesTest, DatesDeadlinesAndFilersAreChecked) {
  v1::RecordInspectionRequest r = Internal();
  r.set_inspected_date("2026-10-01");  // tomorrow
  r.mutable_findings(0)->set_deadline_working_days(61);
  r.set_filer_uscc(kFiler);
  EXPECT_EQ(Fields(r, kStaff), (std::set<std::string>{"inspected_date", "filer_uscc",
                                                      "findings[0].deadline_working_days"}));
  v1::RecordInspectionRequest s = Supervision();
  s.clear_filer_uscc();
  EXPECT_EQ(Fields(s, kStaff), std::set<std::string>{"filer_uscc"});
}

TEST(InspectionRulesTest, AnEnterpriseLeavesDepartmentAndDeadlineToThePark) {
  v1::RecordInspectionRequest r = Supervision();
  r.mutable_findings(0)->set_owner_department("facilities-management");
  r.mutable_findings(0)->set_deadline_working_days(1);
  EXPECT_EQ(Fields(r, kTenant), (std::set<std::string>{"findings[0].owner_department",
                                                       "findings[0].deadline_working_days"}));
}

TEST(InspectionRulesTest, AnEnterpriseFilesOnlyItsOwnSupervision) {
  EXPECT_TRUE(CheckFiler(Supervision(), kTenant).ok());
  EXPECT_TRUE(absl::IsPermissionDenied(CheckFiler(Internal(), kTenant)));
  v1::RecordInspectionRequest other = Supervision();
  other.set_filer_uscc("91110000100000000R");
  EXPECT_TRUE(absl::IsPermissionDenied(CheckFiler(other, kTenant)));
  EXPECT_TRUE(CheckFiler(other, kStaff).ok()) << "staff record a supervision received by letter";
}

TEST(InspectionRulesTest, DeadlinesCountWorkingDaysOverTheNationalDayBreak) {
  ParkTime park = Park();
  // Wednesday 30 September 2026; 1-7 October are holidays, 10 October a make-up working day.
  v1::Inspection in = OpenInspection(Internal(), "INS-1", ActionDefaults{"quality-office", 10},
                                     park, "staff-li", At(2026, 9, 30, 10, park));
  ASSERT_EQ(in.actions_size(), 2);
  const v1::CorrectiveAction& a = in.actions(0);
  EXPECT_EQ(a.action_id(), "INS-1-A1");
  EXPECT_EQ(a.owner_department(), "facilities-management");
  EXPECT_EQ(a.due_date(), "2026-10-09");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(a.due_by()),
            absl::ToUnixMicros(At(2026, 10, 10, 0, park)));
  EXPECT_EQ(a.status(), v1::ACTION_STATUS_OPEN);
  // The second finding named neither: the defaults (10 working days: 8, 9, 10 (make-up), 12..16,
  // 19, 20 October).
  EXPECT_EQ(in.actions(1).owner_department(), "quality-office");
  EXPECT_EQ(in.actions(1).deadline_working_days(), 10);
  EXPECT_EQ(in.actions(1).due_date(), "2026-10-20");
}

TEST(InspectionRulesTest, AnOpenActionIsOverdueOnceItsDayEndsAndAClosedOneNever) {
  ParkTime park = Park();
  v1::Inspection in =
      OpenInspection(Internal(), "INS-1", {}, park, "staff-li", At(2026, 9, 30, 10, park));
  v1::CorrectiveAction a = in.actions(0);
  EXPECT_FALSE(IsOverdue(a, At(2026, 10, 9, 23, park)));
  EXPECT_TRUE(IsOverdue(a, At(2026, 10, 10, 0, park)));
  v1::CloseCorrectiveActionRequest close;
  close.set_action_id(a.action_id());
  close.set_evidence("Pallets moved; exit marked with floor paint");
  ASSERT_TRUE(CheckClosure(close, a).ok());
  Close(close, "staff-wu", At(2026, 10, 12, 9, park), a);
  EXPECT_EQ(a.status(), v1::ACTION_STATUS_CLOSED);
  EXPECT_FALSE(a.closed_on_time());
  EXPECT_FALSE(IsOverdue(a, At(2026, 12, 1, 0, park)));
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckClosure(close, a)));
  v1::CorrectiveAction b = in.actions(1);
  close.clear_evidence();
  EXPECT_TRUE(absl::IsInvalidArgument(CheckClosure(close, b)));
  close.set_evidence("Extinguisher B-12 serviced, tag renewed");
  Close(close, "staff-wu", At(2026, 10, 12, 9, park), b);
  EXPECT_TRUE(b.closed_on_time());
}

TEST(InspectionRulesTest, AClosureIsRetriedOnlyWithTheSameActionEvidenceAndUri) {
  ParkTime park = Park();
  v1::Inspection in =
      OpenInspection(Internal(), "INS-1", {}, park, "staff-li", At(2026, 9, 30, 10, park));
  v1::CorrectiveAction a = in.actions(0);
  v1::CloseCorrectiveActionRequest close;
  close.set_action_id(a.action_id());
  close.set_request_id("close-1");
  close.set_evidence("Pallets moved; exit marked with floor paint");
  close.set_evidence_uri("https://docs.park.example/evidence/exit3.jpg");
  EXPECT_FALSE(ClosedBy(close, a)) << "still open";
  Close(close, "staff-wu", At(2026, 10, 8, 9, park), a);
  EXPECT_TRUE(ClosedBy(close, a));
  v1::CloseCorrectiveActionRequest other = close;
  other.set_evidence("Exit cleared");
  EXPECT_FALSE(ClosedBy(other, a));
  other = close;
  other.set_evidence_uri("https://docs.park.example/evidence/other.jpg");
  EXPECT_FALSE(ClosedBy(other, a));
  other = close;
  other.clear_evidence_uri();
  EXPECT_FALSE(ClosedBy(other, a)) << "a URI left out is other content too";
  other = close;
  other.set_action_id(in.actions(1).action_id());
  EXPECT_FALSE(ClosedBy(other, a));
}

TEST(InspectionRulesTest, AnEnterpriseReadsWhatItFiledWithoutTheRecord) {
  v1::Inspection in;
  in.set_filer_uscc(kFiler);
  in.add_record()->set_actor("staff-li");
  EXPECT_TRUE(MayRead(kTenant, in));
  EXPECT_TRUE(InspectionForViewer(in, kTenant).record().empty());
  EXPECT_EQ(InspectionForViewer(in, kStaff).record_size(), 1);
  EXPECT_FALSE(
      MayRead(Viewer{"other", false, "91110000100000000R", false, {"91110000100000000R"}}, in));
  in.set_filer_uscc("");
  EXPECT_FALSE(MayRead(kTenant, in));
}

TEST(InspectionRulesTest, TheRecordChainsAndAChangedEntryBreaksIt) {
  std::vector<v1::InspectionRecordEntry> record(3);
  hashchain::Head head;
  for (int i = 0; i < 3; ++i) {
    record[i].set_action(i == 0 ? "RECORDED" : "ACTION_CLOSED");
    record[i].set_actor("staff-li");
    Seal("INS-1", head, record[i]);
    head = {record[i].sequence(), record[i].hash()};
  }
  EXPECT_EQ(record[0].previous_hash(), hashchain::kGenesisHash);
  EXPECT_FALSE(VerifyRecord("INS-1", record, head));
  record[1].set_note("closed without evidence");
  auto broken = VerifyRecord("INS-1", record, head);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->sequence(), 2);
  EXPECT_EQ(broken->inspection_id(), "INS-1");
}

}  // namespace
}  // namespace parkline::quality
