// The support service's use cases for activities (GB/T 39678-2020 6.8, 6.9.2, 8.2.8): the park
// schedules activities, enterprises register their own attendees (seats or the waiting list:
// activity_rules.h), cancel, and the park confirms attendance after the event.
//
// Each write validates first (nothing is stored when a rule breaks), then in ONE transaction
// reads what it decides from, writes, and appends its events to the outbox. A schedule and a
// registration are recognised by their request_id: a retry with the same request returns what
// the first stored, a different request under a used request_id is ALREADY_EXISTS. A
// registration names a resident enterprise (the registry's projection, libs/residents).
//
// Tenant rules decide from what is stored: a registration an enterprise caller does not own is
// NOT_FOUND, exactly as one that does not exist, whatever the request claims.
//
// Thread-safe (all state is in the database); `clock` gives "now" for every decision.
#ifndef PARKLINE_SUPPORT_SUPPORT_DESK_H_
#define PARKLINE_SUPPORT_SUPPORT_DESK_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "parkline/support/v1/support.pb.h"
#include "secrets/key_ring.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::support {

inline constexpr char kTopic[] = "parkline.support.v1";
inline constexpr char kSource[] = "/parkline/support";

using auth::Viewer;

class SupportDesk {
 public:
  using Clock = std::function<absl::Time()>;

  // Writes go through `writer`; `events_committed` wakes the outbox relay; `keys` seal the names
  // of named attendees.
  SupportDesk(store::Database& db, store::GroupCommitter& writer,
              std::function<void()> events_committed, secrets::KeyRing keys, Clock clock);

  absl::StatusOr<v1::Activity> Schedule(const v1::ScheduleActivityRequest& request);
  absl::StatusOr<v1::Activity> GetActivity(const v1::GetActivityRequest& request);
  absl::StatusOr<v1::ListActivitiesResponse> ListActivities(
      const v1::ListActivitiesRequest& request);

  absl::StatusOr<v1::Registration> Register(const v1::RegisterAttendeesRequest& request,
                                            const Viewer& viewer);
  absl::StatusOr<v1::Registration> Cancel(const v1::CancelRegistrationRequest& request,
                                          const Viewer& viewer);
  absl::StatusOr<v1::ListRegistrationsResponse> ListRegistrations(
      const v1::ListRegistrationsRequest& request, const Viewer& viewer);
  absl::StatusOr<v1::Registration> ConfirmAttendance(const v1::ConfirmAttendanceRequest& request);

  // Calls a SCHEDULED activity off before its end: every CONFIRMED or WAITING registration becomes
  // CANCELLED (no promotion: there is nothing to promote into), one ActivityCancelled lists them.
  // Cancelling it again is FAILED_PRECONDITION naming its state.
  absl::StatusOr<v1::Activity> CancelActivity(const v1::CancelActivityRequest& request,
                                              const Viewer& viewer);

  absl::StatusOr<v1::ActivityFigures> Figures(const v1::GetActivityFiguresRequest& request);

 private:
  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  secrets::KeyRing keys_;
  Clock clock_;
  absl::TimeZone park_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_SUPPORT_DESK_H_
