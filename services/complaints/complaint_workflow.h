// The complaint workflow (GB/T 19012 / ISO 10002 8.x as the park applies it; 7.3.2):
//
//   RECEIVED -ACKNOWLEDGE-> ACKNOWLEDGED -ASSIGN-> ASSIGNED -START_INVESTIGATION-> INVESTIGATING
//   -RESPOND-> RESPONDED -CLOSE-> CLOSED
//
// and besides:
//   ASSIGN again from ASSIGNED, INVESTIGATING, REOPENED or ESCALATED (a new department);
//   REOPEN from RESPONDED (the complainant is not satisfied with the answer) -> REOPENED, which
//     goes on with ASSIGN or START_INVESTIGATION;
//   ESCALATE (to the supervising department, 督办) from every open status before an answer:
//     RECEIVED, ACKNOWLEDGED, ASSIGNED, INVESTIGATING, REOPENED; an ESCALATED complaint goes on
//     with ASSIGN, START_INVESTIGATION or RESPOND.
// CLOSED is final. Anything else is FAILED_PRECONDITION naming the status and the action.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_WORKFLOW_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/complaints/v1/complaints_types.pb.h"

namespace parkline::complaints {

enum class Action {
  kAcknowledge,
  kAssign,
  kStartInvestigation,
  kRespond,
  kClose,
  kReopen,
  kEscalate,
};

const std::vector<Action>& AllActions();
// "ACKNOWLEDGE", "ASSIGN", ... : the action as the record names it.
std::string ActionName(Action action);

// What a workflow step carries besides the action (the gRPC adapter fills it from the RPC's
// request).
struct StepRequest {
  std::string complaint_id;
  // The client's idempotency key, optional (step_retry.h says how a retry is recognised).
  std::string request_id;
  std::string note;
  std::string department;  // ASSIGN
  std::string handler;     // ASSIGN
  std::string response;    // RESPOND
  int satisfaction = 0;    // CLOSE
};

// The status `action` leads to from `from`, or FAILED_PRECONDITION.
absl::StatusOr<v1::ComplaintStatus> NextStatus(v1::ComplaintStatus from, Action action);

// Whether the complaint still awaits an answer (its resolution deadline runs).
bool AwaitsAnswer(v1::ComplaintStatus status);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_WORKFLOW_H_
