// Recognising a retried workflow step (AcknowledgeComplaint … EscalateComplaint, OverrideDeadline).
//
// A client whose reply was lost (a timeout, a broken connection) cannot tell "my step was applied"
// from "someone else moved the complaint", so it sends the step again. A retry of a step that was
// applied answers OK with the complaint as it is now and changes nothing: no record entry, no
// event. A step that was refused stored nothing, so its retry is judged afresh.
//
// How a retry is recognised:
// - With a request_id (the client's idempotency key, 1..128 bytes): a key names ONE step, once,
//   across the whole service. The record entry the step produced keeps the key and the digest of
//   the step's content (StepDigest; the key is also in the entry's details, under the hash). The
//   same key again for the same complaint, action and caller with the same content is a retry,
//   however much happened since; the same key with anything else is ALREADY_EXISTS naming
//   request_id, and changes nothing: a key is never applied twice, and a client that reuses one
//   by mistake learns of it instead of seeing its new step silently taken for the old one.
// - Without a request_id: only an exact repeat of the complaint's LAST record entry (the same
//   action, by the same caller, with the same content) is a retry; anything else is judged by the
//   workflow as before. Looking at the last entry only keeps this safe: the one step that may
//   follow itself, ASSIGN within ASSIGNED, changes nothing when repeated with the same content,
//   and an identical step from further back (an ASSIGN before a REOPEN) is never taken for the new
//   one. Once another step (or supervision) came in between, a retry without a key gets what it
//   got before this rule existed, usually FAILED_PRECONDITION: clients that must retry safely send
//   a request_id.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_COMPLAINTS_STEP_RETRY_H_
#define PARKLINE_COMPLAINTS_STEP_RETRY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "complaints/complaint_workflow.h"
#include "parkline/complaints/v1/complaints.pb.h"

namespace parkline::complaints {

// A step as its record entry keeps it, for recognising a retry.
struct AppliedStep {
  std::string complaint_id;
  int64_t sequence = 0;  // its record entry
  std::string action;    // the record's name: "ASSIGN", "OVERRIDE_DEADLINE" …
  std::string actor;
  std::string request_id;  // empty when the client gave none
  // StepDigest of its content; empty for supervision's entries, the filing, and entries recorded
  // before retries were recognised (none of these is ever taken for a retry).
  std::string digest;
};

// The step a caller asks for now.
struct StepAttempt {
  std::string complaint_id;
  std::string action;
  std::string actor;
  std::string request_id;
  std::string digest;
};

enum class StepVerdict {
  kApply,  // a new step: the workflow decides
  kRetry,  // already applied: answer with the complaint as it is, change nothing
};

// `keyed`: the applied step that holds attempt.request_id, looked up only when that is not empty
// (nullopt when no step holds it). `last`: the complaint's last record entry, consulted only
// without a request_id. ALREADY_EXISTS ("request_id: …") when the key names another step.
absl::StatusOr<StepVerdict> JudgeStep(const StepAttempt& attempt,
                                      const std::optional<AppliedStep>& keyed,
                                      const std::optional<AppliedStep>& last);

// Hex SHA-256 of what a step asks for, in a length-prefixed canonical form: the action and the
// fields that action reads (the note; department and handler for ASSIGN; the response for
// RESPOND; the satisfaction for CLOSE). The complaint, the caller and the request_id are not in
// it: JudgeStep compares them on their own, to say which one differs.
std::string StepDigest(Action action, const StepRequest& request);
// The same for OverrideDeadline: its kind, deadline (unix microseconds) and note.
std::string DeadlineOverrideDigest(const v1::OverrideDeadlineRequest& request);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_STEP_RETRY_H_
