// The quality desk on both store backends: the records register publishes versions in one
// transaction with their event, recognises retries, refuses a stale or out-of-order succession
// without storing anything, and answers each reader what it may see.
#include "quality/quality_desk.h"

#include <gtest/gtest.h>

#include "auth/sha256.h"
#include "calendar/calendar_data.h"
#include "parkline/quality/v1/events.pb.h"
#include "quality/schema.h"
#include "store/group_commit.h"
#include "tests/support/backend_test.h"

namespace parkline::quality {
namespace {

const Viewer kStaff{"staff-li", true, ""};
const Viewer kEnterprise{"acme-erp", false, "91350100M000100Y43", false, {"91350100M000100Y43"}};

v1::PublishDocumentRequest Publication(const std::string& request_id, v1::Visibility visibility) {
  v1::PublishDocumentRequest r;
  r.set_request_id(request_id);
  r.set_kind(v1::DOCUMENT_KIND_SERVICE_GUIDE);
  r.set_title("Service guide for resident enterprises");
  r.set_visibility(visibility);
  r.set_effective_date("2026-03-01");
  r.set_approved_by("Wang Fang, general manager");
  r.set_media_type("text/markdown");
  r.set_content("# Service guide\nOffice hours 9-17.\n");
  return r;
}

class QualityDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<QualityDesk>(*db_, *writer_, nullptr, DeskSettings{4096, {}, {}},
                                          [this] { return now_; });
  }

  absl::Time now_ = absl::FromUnixSeconds(1772500000);
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<QualityDesk> desk_;
};

TEST_P(QualityDeskTest, PublishesVersionsWithTheirEventsAndKeepsEveryOne) {
  auto first = desk_->Publish(Publication("r1", v1::VISIBILITY_PUBLIC), kStaff);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version(), 1);
  EXPECT_EQ(first->sha256(), auth::Sha256Hex("# Service guide\nOffice hours 9-17.\n"));

  v1::PublishDocumentRequest next = Publication("r2", v1::VISIBILITY_PUBLIC);
  next.set_document_id(first->document_id());
  next.set_expected_version(1);
  next.set_effective_date("2026-06-01");
  next.set_content("# Service guide\nOffice hours 8:30-17:30.\n");
  next.set_change_note("longer office hours");
  auto second = desk_->Publish(next, kStaff);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version(), 2);

  // The current version is the second; the first is still there, content and all.
  v1::GetDocumentRequest get;
  get.set_document_id(first->document_id());
  auto current = desk_->Get(get, kEnterprise);
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->version(), 2);
  EXPECT_EQ(current->content(), "# Service guide\nOffice hours 8:30-17:30.\n");
  get.set_version(1);
  auto old = desk_->Get(get, kEnterprise);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->content(), "# Service guide\nOffice hours 9-17.\n");
  EXPECT_EQ(old->sha256(), first->sha256());

  v1::GetDocumentHistoryRequest history;
  history.set_document_id(first->document_id());
  auto versions = desk_->History(history, kStaff);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->versions_size(), 2);
  EXPECT_EQ(versions->versions(0).version(), 1);
  EXPECT_EQ(versions->versions(1).change_note(), "longer office hours");
  EXPECT_TRUE(versions->versions(1).content().empty()) << "history carries no content";

  auto list = desk_->List({}, kStaff);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->documents_size(), 1);
  EXPECT_EQ(list->documents(0).version(), 2);

  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  v1::DocumentPublished event;
  ASSERT_TRUE(event.ParseFromString(outbox[1].payload));
  EXPECT_EQ(outbox[1].subject, first->document_id());
  EXPECT_EQ(event.version(), 2);
  EXPECT_EQ(event.effective_date(), "2026-06-01");
  EXPECT_EQ(event.sha256(), second->sha256());
}

TEST_P(QualityDeskTest, ARetryIsAnsweredOnceAndAReusedRequestIdWithOtherContentIsRefused) {
  auto first = desk_->Publish(Publication("r1", v1::VISIBILITY_PUBLIC), kStaff);
  ASSERT_TRUE(first.ok());
  auto again = desk_->Publish(Publication("r1", v1::VISIBILITY_PUBLIC), kStaff);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->document_id(), first->document_id());
  v1::PublishDocumentRequest other = Publication("r1", v1::VISIBILITY_PUBLIC);
  other.set_title("Another title");
  EXPECT_TRUE(absl::IsAlreadyExists(desk_->Publish(other, kStaff).status()));
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_P(QualityDeskTest, AStaleOrEarlierSuccessionIsRefusedAndStoresNothing) {
  auto first = desk_->Publish(Publication("r1", v1::VISIBILITY_PUBLIC), kStaff);
  ASSERT_TRUE(first.ok());
  v1::PublishDocumentRequest stale = Publication("r2", v1::VISIBILITY_PUBLIC);
  stale.set_document_id(first->document_id());
  stale.set_expected_version(3);
  EXPECT_TRUE(absl::IsFailedPrecondition(desk_->Publish(stale, kStaff).status()));
  v1::PublishDocumentRequest earlier = Publication("r3", v1::VISIBILITY_PUBLIC);
  earlier.set_document_id(first->document_id());
  earlier.set_expected_version(1);
  earlier.set_effective_date("2026-02-01");
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->Publish(earlier, kStaff).status()));
  v1::PublishDocumentRequest unknown = Publication("r4", v1::VISIBILITY_PUBLIC);
  unknown.set_document_id("DOC-20260101-000000000000");
  unknown.set_expected_version(1);
  EXPECT_TRUE(absl::IsNotFound(desk_->Publish(unknown, kStaff).status()));
  v1::PublishDocumentRequest big = Publication("r5", v1::VISIBILITY_PUBLIC);
  big.set_content(std::string(4097, 'x'));
  absl::Status too_big = desk_->Publish(big, kStaff).status();
  EXPECT_TRUE(absl::IsInvalidArgument(too_big));
  EXPECT_NE(too_big.message().find("content"), std::string::npos) << too_big;
  v1::GetDocumentHistoryRequest history;
  history.set_document_id(first->document_id());
  EXPECT_EQ(desk_->History(history, kStaff)->versions_size(), 1);
  EXPECT_EQ(Outbox().size(), 1u);
}

v1::WithdrawDocumentRequest Withdrawal(const std::string& request_id,
                                       const std::string& document_id) {
  v1::WithdrawDocumentRequest r;
  r.set_request_id(request_id);
  r.set_document_id(document_id);
  r.set_expected_version(1);
  r.set_effective_date("2026-09-01");
  r.set_approved_by("Wang Fang, general manager");
  r.set_reason("Replaced by the one-stop service guide");
  return r;
}

TEST_P(QualityDeskTest, AWithdrawalIsTheLastVersionWithItsEventAndEndsTheDocument) {
  auto first = desk_->Publish(Publication("r1", v1::VISIBILITY_PUBLIC), kStaff);
  ASSERT_TRUE(first.ok()) << first.status();
  auto other = desk_->Publish(Publication("r-other", v1::VISIBILITY_PUBLIC), kStaff);
  ASSERT_TRUE(other.ok()) << other.status();

  auto withdrawn = desk_->Withdraw(Withdrawal("w1", first->document_id()), kStaff);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_TRUE(withdrawn->withdrawn());
  EXPECT_EQ(withdrawn->version(), 2);
  EXPECT_EQ(withdrawn->effective_date(), "2026-09-01");
  EXPECT_EQ(withdrawn->change_note(), "Replaced by the one-stop service guide");
  EXPECT_EQ(withdrawn->published_by(), "staff-li");

  // A retry answers the same withdrawal; the same request_id for anything else is refused.
  auto again = desk_->Withdraw(Withdrawal("w1", first->document_id()), kStaff);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->version(), 2);
  v1::WithdrawDocumentRequest changed = Withdrawal("w1", first->document_id());
  changed.set_reason("another reason");
  EXPECT_TRUE(absl::IsAlreadyExists(desk_->Withdraw(changed, kStaff).status()));
  EXPECT_TRUE(absl::IsAlreadyExists(
      desk_->Withdraw(Withdrawal("r-other", other->document_id()), kStaff).status()))
      << "a publication's request_id is not a withdrawal's";

  // Nothing follows a withdrawal: neither a version nor another withdrawal.
  v1::PublishDocumentRequest next = Publication("r2", v1::VISIBILITY_PUBLIC);
  next.set_document_id(first->document_id());
  next.set_expected_version(2);
  next.set_effective_date("2026-10-01");
  absl::Status refused = desk_->Publish(next, kStaff).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
  EXPECT_NE(refused.message().find("withdrawn"), std::string::npos) << refused;
  v1::WithdrawDocumentRequest twice = Withdrawal("w2", first->document_id());
  twice.set_expected_version(2);
  EXPECT_TRUE(absl::IsFailedPrecondition(desk_->Withdraw(twice, kStaff).status()));

  // The register lists the documents in force; the withdrawn one on request, its history whole.
  auto list = desk_->List({}, kEnterprise);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->documents_size(), 1);
  EXPECT_EQ(list->documents(0).document_id(), other->document_id());
  v1::ListDocumentsRequest all;
  all.set_include_withdrawn(true);
  EXPECT_EQ(desk_->List(all, kEnterprise)->documents_size(), 2);
  v1::GetDocumentHistoryRequest history;
  history.set_document_id(first->document_id());
  auto versions = desk_->History(history, kEnterprise);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->versions_size(), 2);
  EXPECT_FALSE(versions->versions(0).withdrawn());
  EXPECT_TRUE(versions->versions(1).withdrawn());
  v1::GetDocumentRequest get;
  get.set_document_id(first->document_id());
  get.set_version(1);
  EXPECT_EQ(desk_->Get(get, kEnterprise)->content(), "# Service guide\nOffice hours 9-17.\n")
      << "the withdrawn document's last version stays readable";

  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 3u);
  EXPECT_EQ(outbox[2].type, "parkline.quality.v1.DocumentWithdrawn");
  EXPECT_EQ(outbox[2].subject, first->document_id());
  v1::DocumentWithdrawn event;
  ASSERT_TRUE(event.ParseFromString(outbox[2].payload));
  EXPECT_EQ(event.version(), 2);
  EXPECT_EQ(event.kind(), v1::DOCUMENT_KIND_SERVICE_GUIDE);
  EXPECT_EQ(event.effective_date(), "2026-09-01");
}

TEST_P(QualityDeskTest, AWithdrawalThatBreaksARuleStoresNothing) {
  auto first = desk_->Publish(Publication("r1", v1::VISIBILITY_PUBLIC), kStaff);
  ASSERT_TRUE(first.ok());
  v1::WithdrawDocumentRequest early = Withdrawal("w1", first->document_id());
  early.set_effective_date("2026-02-28");  // before version 1 took effect
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->Withdraw(early, kStaff).status()));
  v1::WithdrawDocumentRequest stale = Withdrawal("w2", first->document_id());
  stale.set_expected_version(2);
  EXPECT_TRUE(absl::IsFailedPrecondition(desk_->Withdraw(stale, kStaff).status()));
  EXPECT_TRUE(absl::IsNotFound(
      desk_->Withdraw(Withdrawal("w3", "DOC-20260101-000000000000"), kStaff).status()));
  v1::WithdrawDocumentRequest unexplained = Withdrawal("w4", first->document_id());
  unexplained.clear_reason();
  absl::Status no_reason = desk_->Withdraw(unexplained, kStaff).status();
  EXPECT_TRUE(absl::IsInvalidArgument(no_reason));
  EXPECT_NE(no_reason.message().find("reason"), std::string::npos) << no_reason;
  v1::GetDocumentHistoryRequest history;
  history.set_document_id(first->document_id());
  EXPECT_EQ(desk_->History(history, kStaff)->versions_size(), 1);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_P(QualityDeskTest, AnEnterpriseSeesPublicDocumentsOnlyAndInternalOnesAsAbsent) {
  auto guide = desk_->Publish(Publication("r1", v1::VISIBILITY_PUBLIC), kStaff);
  v1::PublishDocumentRequest manual = Publication("r2", v1::VISIBILITY_INTERNAL);
  manual.set_kind(v1::DOCUMENT_KIND_INTERNAL_MANUAL);
  auto internal = desk_->Publish(manual, kStaff);
  ASSERT_TRUE(guide.ok() && internal.ok());

  auto seen = desk_->List({}, kEnterprise);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->documents_size(), 1);
  EXPECT_EQ(seen->documents(0).document_id(), guide->document_id());
  EXPECT_EQ(desk_->List({}, kStaff)->documents_size(), 2);

  v1::GetDocumentRequest get;
  get.set_document_id(internal->document_id());
  EXPECT_TRUE(absl::IsNotFound(desk_->Get(get, kEnterprise).status()));
  v1::GetDocumentHistoryRequest history;
  history.set_document_id(internal->document_id());
  EXPECT_TRUE(absl::IsNotFound(desk_->History(history, kEnterprise).status()));
  Viewer analyst{"bi", false, ""};
  analyst.analyst = true;
  EXPECT_TRUE(desk_->Get(get, analyst).ok());
}

PARKLINE_BACKEND_TESTS(QualityDeskTest);

// Inspections and corrective actions on both backends: recorded with their actions and event in
// one transaction, closed with evidence (a retry answered once), supervised across a deadline on
// the park's calendar, the record verified intact and found broken after a row is changed.
class InspectionDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    DeskSettings settings;
    auto calendar = calendar::WorkingCalendar::FromJson(calendar::kBuiltInCalendar);
    ASSERT_TRUE(calendar.ok());
    settings.park.calendar = *calendar;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &settings.park.zone));
    zone_ = settings.park.zone;
    now_ = absl::FromCivil(absl::CivilSecond(2026, 9, 30, 10, 0, 0), zone_);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ =
        std::make_unique<QualityDesk>(*db_, *writer_, nullptr, settings, [this] { return now_; });
  }

  static v1::RecordInspectionRequest Authority() {
    v1::RecordInspectionRequest r;
    r.set_request_id("ins-1");
    r.set_kind(v1::INSPECTION_KIND_AUTHORITY);
    r.set_inspected_date("2026-09-29");
    r.set_inspector("District fire brigade");
    v1::Finding* f = r.add_findings();
    f->set_description("Fire exit 3 blocked by pallets");
    f->set_owner_department("facilities-management");
    f->set_deadline_working_days(2);
    r.add_findings()->set_description("Evacuation map outdated");
    return r;
  }

  v1::CloseCorrectiveActionRequest Closure(const std::string& action_id,
                                           const std::string& request_id) {
    v1::CloseCorrectiveActionRequest r;
    r.set_action_id(action_id);
    r.set_request_id(request_id);
    r.set_evidence("Pallets moved; exit marked with floor paint");
    r.set_evidence_uri("https://docs.park.example/evidence/exit3.jpg");
    return r;
  }

  absl::TimeZone zone_;
  absl::Time now_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<QualityDesk> desk_;
};

TEST_P(InspectionDeskTest, RecordsCloseRetriesAndSupervisesOnTheParksWorkingDays) {
  auto in = desk_->RecordInspection(Authority(), kStaff);
  ASSERT_TRUE(in.ok()) << in.status();
  ASSERT_EQ(in->actions_size(), 2);
  EXPECT_EQ(in->actions(0).due_date(), "2026-10-09") << "over the National Day break";
  auto again = desk_->RecordInspection(Authority(), kStaff);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inspection_id(), in->inspection_id());
  ASSERT_EQ(Outbox().size(), 1u);

  // Closed on time, with its evidence; the retry changes nothing.
  std::string a1 = in->actions(0).action_id();
  now_ = absl::FromCivil(absl::CivilSecond(2026, 10, 8, 15, 0, 0), zone_);
  auto closed = desk_->CloseAction(Closure(a1, "close-1"), kStaff);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->actions(0).status(), v1::ACTION_STATUS_CLOSED);
  EXPECT_TRUE(closed->actions(0).closed_on_time());
  EXPECT_TRUE(desk_->CloseAction(Closure(a1, "close-1"), kStaff).ok());
  EXPECT_TRUE(
      absl::IsFailedPrecondition(desk_->CloseAction(Closure(a1, "close-2"), kStaff).status()));
  ASSERT_EQ(Outbox().size(), 2u);

  // The second action (10 working days: due 20 October) passes its deadline.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 10, 20, 23, 0, 0), zone_);
  EXPECT_EQ(*desk_->Supervise(), 0);
  now_ = absl::FromCivil(absl::CivilSecond(2026, 10, 21, 0, 0, 1), zone_);
  EXPECT_EQ(*desk_->Supervise(), 1);
  EXPECT_EQ(*desk_->Supervise(), 0) << "marked once";
  auto events = Outbox();
  ASSERT_EQ(events.size(), 3u);
  v1::CorrectiveActionOverdue overdue;
  ASSERT_TRUE(overdue.ParseFromString(events[2].payload));
  EXPECT_EQ(overdue.action_id(), in->actions(1).action_id());
  EXPECT_EQ(overdue.owner_department(), "quality-office");

  // Closed late, after supervision.
  auto late = desk_->CloseAction(Closure(in->actions(1).action_id(), "close-3"), kStaff);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->actions(1).closed_on_time());

  v1::GetInspectionRequest get;
  get.set_inspection_id(in->inspection_id());
  auto read = desk_->GetInspection(get, kStaff);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->record_size(), 4);
  EXPECT_EQ(read->record(2).action(), "ACTION_OVERDUE");
  auto verified = desk_->VerifyRecord({});
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->inspections_checked(), 1);
  EXPECT_TRUE(verified->breaks().empty());
}

// A closure's request_id answers its retry, and only its retry: the same id with other evidence
// or another evidence URI is ALREADY_EXISTS and changes nothing, as for every other write.
TEST_P(InspectionDeskTest, AReusedClosureRequestIdWithOtherEvidenceIsRefusedAndChangesNothing) {
  auto in = desk_->RecordInspection(Authority(), kStaff);
  ASSERT_TRUE(in.ok()) << in.status();
  std::string a1 = in->actions(0).action_id();
  auto closed = desk_->CloseAction(Closure(a1, "close-1"), kStaff);
  ASSERT_TRUE(closed.ok()) << closed.status();

  v1::CloseCorrectiveActionRequest other = Closure(a1, "close-1");
  other.set_evidence("Nothing was done");
  auto refused = desk_->CloseAction(other, kStaff);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists) << refused.status();
  EXPECT_NE(refused.status().message().find("request_id"), absl::string_view::npos);
  other = Closure(a1, "close-1");
  other.set_evidence_uri("https://docs.park.example/evidence/elsewhere.jpg");
  EXPECT_EQ(desk_->CloseAction(other, kStaff).status().code(), absl::StatusCode::kAlreadyExists);

  auto retried = desk_->CloseAction(Closure(a1, "close-1"), kStaff);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->SerializeAsString(), closed->SerializeAsString());
  EXPECT_EQ(Outbox().size(), 2u) << "the inspection and its one closure";
  v1::GetInspectionRequest get;
  get.set_inspection_id(in->inspection_id());
  auto read = desk_->GetInspection(get, kStaff);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->record_size(), 2);
  EXPECT_EQ(read->actions(0).evidence(), "Pallets moved; exit marked with floor paint");
  EXPECT_EQ(read->actions(0).evidence_uri(), "https://docs.park.example/evidence/exit3.jpg");
}

TEST_P(InspectionDeskTest, AChangedRecordRowIsFoundByVerification) {
  auto in = desk_->RecordInspection(Authority(), kStaff);
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(desk_->CloseAction(Closure(in->actions(0).action_id(), "close-1"), kStaff).ok());
  // Somebody rewrites the closure's evidence in the database, outside the service.
  v1::InspectionRecordEntry forged;
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   auto rows = tx.Query(
                       "SELECT payload FROM quality_inspection_record WHERE sequence = 2", {});
                   if (!rows.ok()) return rows.status();
                   forged.ParseFromString(rows->front().Text(0));
                   forged.set_note("closed in full");
                   return tx
                       .Execute(
                           "UPDATE quality_inspection_record SET payload = $1 WHERE "
                           "sequence = 2",
                           {store::Blob{forged.SerializeAsString()}})
                       .status();
                 })
                  .ok());
  v1::VerifyInspectionRecordRequest one;
  one.set_inspection_id(in->inspection_id());
  auto verified = desk_->VerifyRecord(one);
  ASSERT_TRUE(verified.ok());
  ASSERT_EQ(verified->breaks_size(), 1);
  EXPECT_EQ(verified->breaks(0).sequence(), 2);
}

TEST_P(InspectionDeskTest, AnEnterpriseFilesItsSupervisionAndTheParkDecidesWhoCorrects) {
  v1::RecordInspectionRequest r;
  r.set_request_id("sup-1");
  r.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
  r.set_inspected_date("2026-09-29");
  r.set_inspector("Chen Jing");
  r.set_filer_uscc(kEnterprise.uscc);
  r.add_findings()->set_description("The loading bay lights are out at night");
  auto in = desk_->RecordInspection(r, kEnterprise);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->actions(0).owner_department(), "quality-office");
  EXPECT_TRUE(in->record().empty()) << "the record is the park's";
  v1::ListInspectionsRequest list;
  list.set_party_uscc(kEnterprise.uscc);
  EXPECT_EQ(desk_->ListInspections(list, kEnterprise)->inspections_size(), 1);
  EXPECT_TRUE(absl::IsInvalidArgument(
      desk_->RecordInspection(v1::RecordInspectionRequest(), kEnterprise).status()));
}

PARKLINE_BACKEND_TESTS(InspectionDeskTest);

}  // namespace
}  // namespace parkline::quality
