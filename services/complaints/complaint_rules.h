// What a complaint request must satisfy before anything is stored: every broken rule is collected
// (errors::Violations) and named by field, so that the caller learns all of them at once.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_RULES_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_RULES_H_

#include "absl/time/time.h"
#include "complaints/complaint_workflow.h"
#include "complaints/routing_rules.h"
#include "errors/violations.h"
#include "parkline/complaints/v1/complaints.pb.h"

namespace parkline::complaints {

inline constexpr size_t kMaxDescription = 8000;
inline constexpr size_t kMaxNote = 2000;
inline constexpr size_t kMaxRequestId = 128;

void CheckFiling(const v1::FileComplaintRequest& request, errors::Violations& v);
void CheckNote(const std::string& note, errors::Violations& v);
// A workflow step's request_id is optional (step_retry.h); when given, at most 128 bytes.
void CheckStepRequestId(const std::string& request_id, errors::Violations& v);
// 0 (none given) or 1..5.
void CheckSatisfaction(int satisfaction, errors::Violations& v);
// A workflow step: the complaint named, its request_id and note, and what `action` reads (ASSIGN:
// a department `routing` knows, when one is named, and a handler of at most 128 bytes; RESPOND:
// the response, at most 8000 bytes; CLOSE: the satisfaction).
void CheckStep(Action action, const StepRequest& request, const RoutingRules& routing,
               errors::Violations& v);
// A deadline override must name its kind and lie after `now`: both of the checks below.
void CheckDeadlineOverride(const v1::OverrideDeadlineRequest& request, absl::Time now,
                           errors::Violations& v);
// What an override must say whatever the time: its kind, the deadline, a note.
void CheckDeadlineOverrideForm(const v1::OverrideDeadlineRequest& request, errors::Violations& v);
// A committed deadline must lie after `now` (nothing to say when the request has none).
void CheckDeadlineAfter(const v1::OverrideDeadlineRequest& request, absl::Time now,
                        errors::Violations& v);
// Feedback: its request_id, source, figures and a survey date no later than the day `now` falls
// on in the park's time zone `park`.
void CheckFeedback(const v1::RecordFeedbackRequest& request, absl::Time now, absl::TimeZone park,
                   errors::Violations& v);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_RULES_H_
