// The start-up incubator's rules (GB/T 39678-2020 6.9.1), pure: what an admission, a milestone
// and a leaving must hold, the incubatee's state machine, which party may see or add to a
// record, and a cohort's figures with its survival after a year.
//
// States: ADMITTED --first milestone--> ACTIVE --graduate--> GRADUATED, and ADMITTED or ACTIVE
// --leave--> LEFT. Graduation needs at least one milestone (an ACTIVE incubatee): a graduate is
// one the incubator can show an outcome for, which is what 6.9.1's 培育 asks of it. GRADUATED and
// LEFT are final: no milestone, graduation or leaving after either.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_SUPPORT_INCUBATION_RULES_H_
#define PARKLINE_SUPPORT_INCUBATION_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "errors/violations.h"
#include "parkline/support/v1/support.pb.h"

namespace parkline::support {

inline constexpr int kMaxFounders = 50;
inline constexpr int kMaxGoals = 20;
inline constexpr int kMaxJobs = 100000;

// "2026-H2", "2027-Q1": four digits, a dash, 1..8 capital letters or digits.
bool IsCohort(absl::string_view cohort);

void CheckAdmission(const v1::AdmitIncubateeRequest& request, errors::Violations& v);
// The milestone alone: kind, a calendar date, evidence_ref 1..200, and the fields of its kind
// (FUNDING_RAISED: amount > 0 with up to 2 fraction digits and an ISO 4217 code; JOBS_CREATED:
// jobs 1..kMaxJobs; OTHER: a description), none of another kind's.
void CheckMilestone(const v1::RecordMilestoneRequest& request, errors::Violations& v);
void CheckLeaving(const v1::RecordIncubateeLeftRequest& request, errors::Violations& v);

// Whether `stored` may take the milestone of `day` recorded on park day `today`:
// FAILED_PRECONDITION once GRADUATED or LEFT, INVALID_ARGUMENT (date) before the admission's
// park day or after today.
absl::Status CheckMilestoneFits(const v1::Incubatee& stored, absl::CivilDay day,
                                absl::CivilDay admitted, absl::CivilDay today);
// Adds the milestone; the first one makes an ADMITTED incubatee ACTIVE.
void AddMilestone(v1::Incubatee& incubatee, v1::Milestone milestone);
// FAILED_PRECONDITION unless ACTIVE (NO_MILESTONE when still ADMITTED).
absl::Status CheckGraduable(const v1::Incubatee& stored);
// FAILED_PRECONDITION unless ADMITTED or ACTIVE.
absl::Status CheckMayLeave(const v1::Incubatee& stored);

// Tenant rule, from the stored record: the park sees and adds to every record; a resident
// enterprise that is the incubatee sees its own and records its own milestones. A team has no
// enterprise to speak for it.
bool MaySee(const auth::Viewer& viewer, const v1::Incubatee& stored);

// The day a year after `admitted` (29 February -> 28 February).
absl::CivilDay Anniversary(absl::CivilDay admitted);

// The figures of `cohort` as of `as_of`, from its incubatees (others are ignored): those
// admitted at or before as_of, by where they stood then, and survival after a year as
// CohortFigures (support.proto) defines it.
v1::CohortFigures CohortFiguresOf(const std::string& cohort,
                                  const std::vector<v1::Incubatee>& incubatees, absl::Time as_of,
                                  absl::TimeZone park);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_INCUBATION_RULES_H_
