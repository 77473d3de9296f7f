// What filing a complaint and each workflow step write, decided from the request, the complaint
// as stored, the caller and the time, with no database: the complaint's fields, its record entry
// (action, actor, note, details) and the events the step publishes. The desk reads the complaint,
// asks here, then seals the entry into the record chain and stores all of it in one transaction.
//
// Filing writes the complaint as filed, RECEIVED, with its deadlines; details: category,
// channel, target, acknowledge_by, resolve_by and filed_sha256, the digest of the rest of what
// was filed but the contact details (FiledDigest, recorded_state.h).
// What each step writes besides its status (NextStatus, complaint_workflow.h):
//   ACKNOWLEDGE          the caller becomes the handler unless one is set; details: handler.
//   ASSIGN, ESCALATE     the department (ESCALATE: the supervising one; ASSIGN: the one asked
//                        for, else the category's route) and the handler when one is asked for;
//                        a complaint about a resident enterprise is forwarded to it (7.3.3);
//                        details: department, handler, forwarded_to_uscc; ComplaintAssigned.
//   START_INVESTIGATION  nothing more.
//   RESPOND              the response; details: its SHA-256 (the record never holds the text);
//                        ComplaintResolved, on time when answered by resolve_by.
//   CLOSE                the satisfaction; details: satisfaction; ComplaintClosed.
//   REOPEN               the category's resolution time again, from `now`; the resolution is no
//                        longer overdue; details: resolve_by.
// Besides the workflow:
//   OVERRIDE_DEADLINE    the committed deadline of a kind that still runs, no longer overdue;
//                        details: kind, deadline.
//   OVERDUE              (supervision) the passed deadline marked overdue; the complaint escalated
//                        to the supervising department when the workflow allows it; details: kind,
//                        deadline, escalated_to; ComplaintOverdue.
//
// Plain functions over their arguments (the routing and deadlines are immutable): thread-safe.
#ifndef PARKLINE_COMPLAINTS_STEP_EFFECTS_H_
#define PARKLINE_COMPLAINTS_STEP_EFFECTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "complaints/complaint_deadline.h"
#include "complaints/complaint_workflow.h"
#include "complaints/routing_rules.h"
#include "complaints/supervision.h"
#include "google/protobuf/message.h"
#include "parkline/complaints/v1/complaints.pb.h"
#include "parkline/complaints/v1/events.pb.h"

namespace parkline::complaints {

// A complaint as filing creates it.
struct Filing {
  v1::Complaint complaint;  // RECEIVED, with its deadlines; the contact details are stored apart
  v1::RecordEntry entry;    // FILE, sealed as the first entry of the record
  v1::ComplaintFiled filed;
};

// The complaint `request` files as `complaint_id`, by `actor` at `now`, due as `due` says.
Filing OpenComplaint(const v1::FileComplaintRequest& request, const std::string& complaint_id,
                     const std::string& actor, absl::Time now, const Deadlines& due);

// Who asks for a step, when, and the park's rules it follows.
struct StepContext {
  const std::string& actor;
  absl::Time now;
  const RoutingRules& routing;
  const ComplaintDeadline& deadlines;
};

using Events = std::vector<std::unique_ptr<google::protobuf::Message>>;

// Applies `action` to `complaint` as the table above says: sets its status and fields, fills
// `entry`'s action, actor, note and details and appends the events to `events`.
// FAILED_PRECONDITION when the workflow does not allow the action from the complaint's status;
// then nothing is changed.
absl::Status ApplyStep(Action action, const StepRequest& request, const StepContext& context,
                       v1::Complaint& complaint, v1::RecordEntry& entry, Events& events);

// Sets the deadline `request` overrides. FAILED_PRECONDITION when that deadline no longer runs
// (acknowledgement: only while RECEIVED; resolution: while the complaint awaits an answer); then
// nothing is changed. Whether the new deadline lies after `now` is CheckDeadlineAfter's
// (complaint_rules.h).
absl::Status ApplyDeadlineOverride(const v1::OverrideDeadlineRequest& request,
                                   const StepContext& context, v1::Complaint& complaint,
                                   v1::RecordEntry& entry);

// Marks the `kind` deadline overdue when PassedDeadline (supervision.h) still says it passed at
// context.now; false, and nothing changed, when it was met or marked meanwhile.
bool ApplyOverdue(v1::DeadlineKind kind, const StepContext& context, v1::Complaint& complaint,
                  v1::RecordEntry& entry, Events& events);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_STEP_EFFECTS_H_
