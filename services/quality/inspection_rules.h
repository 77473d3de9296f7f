// The rules of inspections and corrective actions (GB/T 39678-2020 7.1.1, 7.1.4): what an
// inspection must hold, the corrective action each finding opens (an owner department and a
// deadline counted in working days on the park's calendar, libs/calendar, the complaints' own),
// the actions' states, who reads what, and the inspection's tamper-evident record (a hash chain,
// libs/hashchain, as the complaints').
//
//   OPEN --(deadline passes: supervision)--> OVERDUE
//   OPEN | OVERDUE --(closed with evidence)--> CLOSED (on time when closed by due_by)
//
// A resident enterprise files its own supervision of the park (7.1.1) and nothing else; what it
// finds is the park's to assign: its findings name no department or deadline and get the
// service's defaults.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_QUALITY_INSPECTION_RULES_H_
#define PARKLINE_QUALITY_INSPECTION_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "calendar/working_calendar.h"
#include "errors/violations.h"
#include "hashchain/hash_chain.h"
#include "parkline/quality/v1/quality.pb.h"

namespace parkline::quality {

inline constexpr int kMaxFindings = 100;
inline constexpr int kMaxDeadlineDays = 60;

// What an enterprise's finding, or a park finding that names none, gets.
struct ActionDefaults {
  std::string department = "quality-office";
  int working_days = 10;
};

// The park's calendar and time zone, for deadlines (by default: weekends only, UTC).
struct ParkTime {
  calendar::WorkingCalendar calendar;
  absl::TimeZone zone;
};

// Every form rule of an inspection, each broken one added to `v`; `today` is the park's date
// (an inspection is not recorded ahead of the day it happened).
void CheckInspection(const v1::RecordInspectionRequest& request, const auth::Viewer& viewer,
                     absl::CivilDay today, errors::Violations& v);

// PERMISSION_DENIED when `viewer` may not file this kind of inspection: anyone but park staff
// files only ENTERPRISE_SUPERVISION, in its own name.
absl::Status CheckFiler(const v1::RecordInspectionRequest& request, const auth::Viewer& viewer);

// The inspection `request` records, its actions opened (ids "<inspection_id>-A<n>"), due on the
// working day `deadline_working_days` after today in the park, at that day's end.
v1::Inspection OpenInspection(const v1::RecordInspectionRequest& request,
                              const std::string& inspection_id, const ActionDefaults& defaults,
                              const ParkTime& park, const std::string& actor, absl::Time now);

// The last working day `working_days` after `now`'s date in the park, and the instant it ends.
std::pair<absl::CivilDay, absl::Time> DueBy(const ParkTime& park, absl::Time now, int working_days);

// Whether supervision marks `action` overdue at `now`: open, and its deadline passed.
bool IsOverdue(const v1::CorrectiveAction& action, absl::Time now);

// Closes `action` (FAILED_PRECONDITION when it is closed already); INVALID_ARGUMENT names a
// missing or too long evidence.
absl::Status CheckClosure(const v1::CloseCorrectiveActionRequest& request,
                          const v1::CorrectiveAction& action);
void Close(const v1::CloseCorrectiveActionRequest& request, const std::string& actor,
           absl::Time now, v1::CorrectiveAction& action);
// Whether `action` was closed by `request`, so that `request` under the request_id of that
// closure is its retry: the same action closed with the same evidence and evidence URI. Anything
// else under that request_id is another request (ALREADY_EXISTS), as for every write.
bool ClosedBy(const v1::CloseCorrectiveActionRequest& request, const v1::CorrectiveAction& action);

// Whether `viewer` may read `inspection`: park staff and analysts all; an enterprise those it
// filed.
bool MayRead(const auth::Viewer& viewer, const v1::Inspection& inspection);
// The inspection as `viewer` sees it: an enterprise gets no record (who did what, the hashes).
v1::Inspection InspectionForViewer(v1::Inspection inspection, const auth::Viewer& viewer);

// The record: the canonical form of an entry (libs/hashchain's fields):
//   "parkline.quality.inspection.v1\n" then inspection_id, sequence, action, action_id, actor,
//   time (unix microseconds), note, request_id.
std::string CanonicalEntry(const std::string& inspection_id,
                           const v1::InspectionRecordEntry& entry);
// Sets sequence, previous_hash and hash of an entry appended after `head`.
void Seal(const std::string& inspection_id, const hashchain::Head& head,
          v1::InspectionRecordEntry& entry);
std::optional<v1::InspectionRecordBreak> VerifyRecord(
    const std::string& inspection_id, const std::vector<v1::InspectionRecordEntry>& entries,
    const hashchain::Head& head);

std::string InspectionKindName(v1::InspectionKind kind);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_INSPECTION_RULES_H_
