// The activities' rules (GB/T 39678-2020 6.8, 6.9.2), pure: what a schedule and a registration
// must hold, where a registration goes (a seat or the waiting list), whom a cancellation
// promotes, when attendance may be confirmed, and which enterprise may act on a registration.
//
// Waiting list: first come, first served, whole registrations only. A new registration takes
// seats only when nobody is waiting and all its seats fit; otherwise it waits. Freed seats go to
// the waiting registrations in the order they registered, as long as the next one fits; a
// registration that does not fit stops the promotion (a smaller, later one never jumps it).
//
// Pure functions; thread-safe.
#ifndef PARKLINE_SUPPORT_ACTIVITY_RULES_H_
#define PARKLINE_SUPPORT_ACTIVITY_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "errors/violations.h"
#include "parkline/support/v1/support.pb.h"

namespace parkline::support {

inline constexpr int kMaxCapacity = 10000;
inline constexpr int kMaxSeatsPerRegistration = 500;

// Adds what is wrong with a schedule request: request_id, kind, title (1..200 characters),
// organiser (1..200), a start before its end (at most 31 days long), exactly one of place and
// online_url (an https:// address), capacity 1..kMaxCapacity, partner_organisation up to 200.
void CheckSchedule(const v1::ScheduleActivityRequest& request, errors::Violations& v);

// Adds what is wrong with a registration request: request_id, activity_id, enterprise_uscc (a
// valid USCC), and either head_count 1..kMaxSeatsPerRegistration or that many named attendees,
// each with a name (1..100 characters) and consent, not both.
void CheckRegistration(const v1::RegisterAttendeesRequest& request, errors::Violations& v);

// The seats a valid registration request asks for.
int SeatsAsked(const v1::RegisterAttendeesRequest& request);

// CONFIRMED when nobody waits and `seats` fit beside `taken` within `capacity`; WAITING otherwise.
v1::RegistrationStatus Place(int capacity, int taken, bool anyone_waiting, int seats);

struct Waiting {
  std::string registration_id;
  int seats = 0;
};

// Which of `waiting` (in registration order) take seats once `taken` of `capacity` are held.
std::vector<std::string> Promote(int capacity, int taken, const std::vector<Waiting>& waiting);

// OK, or FAILED_PRECONDITION naming the status: only a CONFIRMED or WAITING registration may be
// cancelled, and only before the activity starts.
absl::Status CheckCancellable(const v1::Registration& registration, absl::Time starts,
                              absl::Time now);

// OK, or FAILED_PRECONDITION / INVALID_ARGUMENT naming the rule: attendance is confirmed once, on
// a CONFIRMED registration, after the activity ended, for 0..seats attendees.
absl::Status CheckAttendance(const v1::Registration& registration, absl::Time ends, absl::Time now,
                             int attended);

// Adds what is wrong with a cancellation of an activity: activity_id, reason (1..500 bytes).
void CheckActivityCancellation(const v1::CancelActivityRequest& request, errors::Violations& v);

// OK, or FAILED_PRECONDITION naming the state: only a SCHEDULED activity that has not ended may be
// cancelled (once ended, what happened is the record: its attendance is confirmed or not).
absl::Status CheckActivityCancellable(const v1::Activity& activity, absl::Time now);

// Whether a cancelled activity releases the registration: those holding seats or waiting.
bool Releases(const v1::Registration& registration);

// OK, or FAILED_PRECONDITION naming the rule, for a registration `placed` (Place) at `activity`:
// none at a cancelled activity; an enterprise registers before the start; the park's staff may
// also record one afterwards, from the sign-in sheet (the 8.2.8 record of who came), but only
// into a free seat, as nobody is promoted from the waiting list once the activity has started.
absl::Status CheckRegistrationOpen(const v1::Activity& activity, bool park_staff, absl::Time now,
                                   v1::RegistrationStatus placed);

// OK, or FAILED_PRECONDITION: nothing is recorded at a cancelled activity (`step` names what).
absl::Status CheckNotCancelled(const v1::Activity& activity, const char* step);

// The tenant rule, decided from the stored registration: the park's staff act on any; an
// enterprise only on its own.
bool MayActOn(const auth::Viewer& viewer, const v1::Registration& stored);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_ACTIVITY_RULES_H_
