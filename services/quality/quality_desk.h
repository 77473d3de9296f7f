// The quality service's use cases: the records register (publish a version, read one, list the
// current ones, a document's history, withdraw a document); inspections with the corrective actions
// their findings open, closed with evidence, supervised when overdue, and their hash-chained record
// verified.
//
// A publication validates first (document_rules.h; nothing is stored when a rule breaks), then in
// ONE transaction recognises a retry by its request_id, reads the document's current version,
// checks the succession, stores the version and appends DocumentPublished to the outbox. Two
// publishers racing on one document cannot both win: the version is part of the key.
//
// An inspection is recorded the same way (recognised by request_id; its actions, its first record
// entry and InspectionRecorded in one transaction). Closing an action or marking it overdue reads
// the inspection, changes the action, appends the sealed record entry and the event, in one
// transaction; a closure's retry (its request_id already in the record) changes nothing.
//
// Reads answer what the caller may see: an internal document is NOT_FOUND to a resident
// enterprise, and so is an inspection it did not file, exactly as one that does not exist.
//
// Thread-safe (all state is in the database); `clock` gives "now", so tests can move time.
#ifndef PARKLINE_QUALITY_QUALITY_DESK_H_
#define PARKLINE_QUALITY_QUALITY_DESK_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "parkline/quality/v1/quality.pb.h"
#include "quality/document_rules.h"
#include "quality/inspection_rules.h"
#include "quality/report_rules.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::quality {

inline constexpr char kTopic[] = "parkline.quality.v1";
inline constexpr char kSource[] = "/parkline/quality";

// A record's id: `prefix`, the date in China Standard Time, then 12 random hex digits (a UUID's
// last 12; its first ones are its time), so that an id says its day.
std::string NewId(absl::string_view prefix, absl::Time now);

struct DeskSettings {
  int64_t max_document_bytes = 1 << 20;
  ActionDefaults actions;
  ParkTime park;
};

class QualityDesk {
 public:
  using Clock = std::function<absl::Time()>;

  // Writes go through `writer`; `events_committed` wakes the outbox relay.
  QualityDesk(store::Database& db, store::GroupCommitter& writer,
              std::function<void()> events_committed, DeskSettings settings, Clock clock);

  absl::StatusOr<v1::DocumentVersion> Publish(const v1::PublishDocumentRequest& request,
                                              const Viewer& viewer);
  absl::StatusOr<v1::DocumentVersion> Get(const v1::GetDocumentRequest& request,
                                          const Viewer& viewer);
  absl::StatusOr<v1::ListDocumentsResponse> List(const v1::ListDocumentsRequest& request,
                                                 const Viewer& viewer);
  absl::StatusOr<v1::GetDocumentHistoryResponse> History(
      const v1::GetDocumentHistoryRequest& request, const Viewer& viewer);
  // As a publication: validated first, then in one transaction the retry recognised, the current
  // version read and checked, the withdrawal stored as the next version, DocumentWithdrawn
  // appended.
  absl::StatusOr<v1::DocumentVersion> Withdraw(const v1::WithdrawDocumentRequest& request,
                                               const Viewer& viewer);

  absl::StatusOr<v1::Inspection> RecordInspection(const v1::RecordInspectionRequest& request,
                                                  const Viewer& viewer);
  absl::StatusOr<v1::Inspection> GetInspection(const v1::GetInspectionRequest& request,
                                               const Viewer& viewer);
  absl::StatusOr<v1::ListInspectionsResponse> ListInspections(
      const v1::ListInspectionsRequest& request, const Viewer& viewer);
  absl::StatusOr<v1::Inspection> CloseAction(const v1::CloseCorrectiveActionRequest& request,
                                             const Viewer& viewer);
  absl::StatusOr<v1::VerifyInspectionRecordResponse> VerifyRecord(
      const v1::VerifyInspectionRecordRequest& request);

  // The clause 8 evidence report of a period (report_rules.h), with its HTML. The register and
  // the inspections are read here, each in its own read transaction; the other sources are those
  // WireReportSources gave (none: "no source in this build").
  absl::StatusOr<v1::GetEvaluationReportResponse> EvaluationReport(
      const v1::GetEvaluationReportRequest& request, const Viewer& viewer);
  // The report's sources this desk does not hold (trainings, assessments, statistics); their
  // owners outlive the desk. Documents and inspections given here are ignored. Call before
  // serving.
  void WireReportSources(ReportSources sources) { external_ = sources; }

  // Supervision (the job main runs every --supervision_seconds): marks every open action whose
  // deadline passed OVERDUE, each in its own transaction with its record entry and
  // CorrectiveActionOverdue; sets the gauge of overdue actions. How many it marked.
  absl::StatusOr<int> Supervise();

 private:
  struct VersionOutcome {
    v1::DocumentVersion version;
    bool created = false;  // false: a retry, answered with the version stored the first time
  };
  // A document's next version (a publication, or a `withdrawal`) in one transaction: a retry
  // recognised by its request_id, the current version of `document_id` read (none when empty),
  // `next` deciding the version after it or refusing, the version stored and its event appended;
  // the relay woken once it commits.
  absl::StatusOr<VersionOutcome> StoreVersion(
      const std::string& request_id, const std::string& digest, bool withdrawal,
      const std::string& document_id, absl::Time now,
      absl::FunctionRef<
          absl::StatusOr<v1::DocumentVersion>(const std::optional<v1::DocumentVersion>& current)>
          next);

  // Runs `change` on the stored inspection holding `action_id` in one transaction; `change`
  // fills the record entry and the event (nullptr event: nothing to write). A step with a
  // `request_id` already in the record answers the inspection as it is when `retried` says the
  // action holds what this request asked, and is ALREADY_EXISTS otherwise.
  using ActionChange =
      std::function<absl::Status(v1::CorrectiveAction& action, v1::InspectionRecordEntry& entry,
                                 std::unique_ptr<google::protobuf::Message>& event, bool& skip)>;
  using Retried = std::function<bool(const v1::CorrectiveAction& action)>;
  absl::StatusOr<v1::Inspection> ChangeAction(const std::string& action_id, absl::Time now,
                                              const ActionChange& change, bool& changed,
                                              const std::string& request_id = "",
                                              const Retried& retried = nullptr);

  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  DeskSettings settings_;
  Clock clock_;
  ReportSources external_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_QUALITY_DESK_H_
