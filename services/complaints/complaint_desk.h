// The complaints service's use cases: complaints filed once, moved through the workflow, their
// record appended and hash-chained, deadlines watched, the record verified and exported, and the
// park's service-quality feedback recorded.
//
// Each write validates first (complaint_rules.h; nothing is stored when a rule breaks), then in
// ONE transaction checks that a resident-enterprise complainant or target is resident (a
// projection of parkline.enterprises.v1; NOT_RESIDENT until the registry's event arrived), reads
// the complaint, applies the workflow (complaint_workflow.h; what each step writes:
// step_effects.h), appends the record entry, updates the complaint and appends its event to the
// outbox.
//
// Every write is safe to retry. A filing is recognised by its request_id. A workflow step or a
// deadline override that was already applied is recognised in the same transaction, before the
// workflow is asked (step_retry.h): it returns the complaint as it is now and appends nothing to
// the record or the outbox. Because the check and the step share one transaction, two copies of
// one step racing (in one group commit, or on two replicas) apply it once.
//
// The complainant's contact details are stored apart and returned only to the complaint's
// handler (contact_privacy.h); an enterprise sees only the complaints it filed or that were
// forwarded to it, and a complaint it may not see is NOT_FOUND, exactly as one that does not
// exist.
//
// Thread-safe (all state is in the database); `clock` gives "now" for every decision, so tests
// can move time.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_DESK_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_DESK_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/complaint_deadline.h"
#include "complaints/complaint_workflow.h"
#include "complaints/contact_privacy.h"
#include "complaints/routing_rules.h"
#include "complaints/step_retry.h"
#include "complaints/supervision.h"
#include "events/envelope.h"
#include "parkline/complaints/v1/complaints.pb.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::complaints {

struct ComplaintChange;

inline constexpr char kTopic[] = "parkline.complaints.v1";
inline constexpr char kSource[] = "/parkline/complaints";
inline constexpr char kSupervisionActor[] = "supervision";

class ComplaintDesk : public SupervisedComplaints {
 public:
  using Clock = std::function<absl::Time()>;

  // Writes go through `writer`; `events_committed` wakes the outbox relay. `deadlines` and
  // `routing` must outlive the desk.
  ComplaintDesk(store::Database& db, store::GroupCommitter& writer,
                std::function<void()> events_committed, const ComplaintDeadline& deadlines,
                const RoutingRules& routing, Clock clock);

  absl::StatusOr<v1::Complaint> File(const v1::FileComplaintRequest& request, const Viewer& viewer);
  absl::StatusOr<v1::Complaint> Get(const v1::GetComplaintRequest& request, const Viewer& viewer);
  absl::StatusOr<v1::ListComplaintsResponse> List(const v1::ListComplaintsRequest& request,
                                                  const Viewer& viewer);
  absl::StatusOr<v1::Complaint> Step(Action action, const StepRequest& request,
                                     const Viewer& viewer);
  absl::StatusOr<v1::Complaint> OverrideDeadline(const v1::OverrideDeadlineRequest& request,
                                                 const Viewer& viewer);

  // At most one break per complaint: the first entry where its chain fails (record_chain.h), else
  // every field where the stored complaint differs from what its record establishes
  // (recorded_state.h).
  absl::StatusOr<v1::VerifyRecordResponse> Verify(const v1::VerifyRecordRequest& request);
  absl::StatusOr<v1::ExportComplaintsResponse> Export(const v1::ExportComplaintsRequest& request);

  absl::StatusOr<v1::Feedback> RecordFeedback(const v1::RecordFeedbackRequest& request,
                                              const Viewer& viewer);
  absl::StatusOr<v1::ListFeedbackResponse> ListFeedback(const v1::ListFeedbackRequest& request);

  // SupervisedComplaints: the supervision job's view.
  absl::StatusOr<std::vector<std::pair<std::string, DeadlineWatch>>> DueAt(absl::Time now) override;
  absl::StatusOr<bool> MarkOverdue(const std::string& complaint_id, v1::DeadlineKind kind,
                                   absl::Time now) override;

 private:
  // Runs `change` on the stored complaint in one transaction; `change` fills the record entry
  // and the events; the desk seals the entry, stores everything and wakes the relay. A client's
  // step names itself in `attempt` (nullptr for supervision): when it is a retry of a step
  // already applied, `change` does not run and nothing is written.
  using Change = ComplaintChange;  // complaint_change.h
  struct Outcome {
    v1::Complaint complaint;  // with the contact details
    bool retried = false;
  };
  absl::StatusOr<Outcome> Apply(const std::string& complaint_id, const StepAttempt* attempt,
                                const std::function<absl::Status(Change&)>& change);

  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  const ComplaintDeadline& deadlines_;
  const RoutingRules& routing_;
  Clock clock_;
};

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_DESK_H_
