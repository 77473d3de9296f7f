// Supervision (督办, 7.3.2): a job that, on each run, finds the complaints whose committed
// deadline passed without the step it was set for, marks them overdue, escalates them to the
// supervising department and publishes ComplaintOverdue, once per deadline.
//
//   acknowledgement deadline: passed while the complaint is still RECEIVED;
//   resolution deadline: passed while the complaint awaits an answer (not RESPONDED or CLOSED).
//
// The job reads the time from an injected clock, so tests drive it across deadlines without
// waiting. The store it works on re-checks each finding in its own transaction (a complaint may
// have moved on since it was listed).
//
// SupervisionJob is not thread-safe: one runner calls RunOnce.
#ifndef PARKLINE_COMPLAINTS_SUPERVISION_H_
#define PARKLINE_COMPLAINTS_SUPERVISION_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "parkline/complaints/v1/complaints_types.pb.h"

namespace parkline::complaints {

// What supervision looks at in a complaint.
struct DeadlineWatch {
  v1::ComplaintStatus status = v1::COMPLAINT_STATUS_UNSPECIFIED;
  absl::Time acknowledge_by;
  absl::Time resolve_by;
  bool acknowledgement_overdue = false;
  bool resolution_overdue = false;
};

// The deadline that passed at `now` and is not yet marked (acknowledgement first), if any.
std::optional<v1::DeadlineKind> PassedDeadline(const DeadlineWatch& watch, absl::Time now);

// Where the job finds complaints and records what it decided (ComplaintDesk in the service).
class SupervisedComplaints {
 public:
  virtual ~SupervisedComplaints() = default;
  // Complaints that may have a deadline passed at `now` (a superset is fine), with their watch.
  virtual absl::StatusOr<std::vector<std::pair<std::string, DeadlineWatch>>> DueAt(
      absl::Time now) = 0;
  // Marks the deadline overdue, escalates, appends the record entry and the event, in one
  // transaction, if PassedDeadline still says so. True when it did.
  virtual absl::StatusOr<bool> MarkOverdue(const std::string& complaint_id, v1::DeadlineKind kind,
                                           absl::Time now) = 0;
};

class SupervisionJob {
 public:
  using Clock = std::function<absl::Time()>;
  SupervisionJob(SupervisedComplaints& complaints, Clock clock)
      : complaints_(complaints), clock_(std::move(clock)) {}

  // One pass at clock(): returns how many deadlines it marked overdue.
  absl::StatusOr<int> RunOnce();

 private:
  SupervisedComplaints& complaints_;
  Clock clock_;
};

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_SUPERVISION_H_
