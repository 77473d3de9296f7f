// The support service's use cases for the start-up incubator (GB/T 39678-2020 6.9.1, 8.2.8):
// the park admits a team or a resident enterprise into a cohort with a mentor and a plan;
// milestones are recorded (by the park, or by a resident-enterprise incubatee for itself); the
// incubatee graduates or leaves; a cohort's figures give its survival after a year
// (incubation_rules.h).
//
// Each write validates first, then in ONE transaction locks and reads the incubatee, decides,
// writes and appends its event to the outbox (IncubateeAdmitted, MilestoneRecorded,
// IncubateeGraduated, IncubateeLeft on parkline.support.v1). Admission and milestones are
// recognised by request_id: the same request again returns the record, another one under the
// same id is ALREADY_EXISTS. A record the caller may not see is NOT_FOUND, exactly as one that
// does not exist.
//
// Thread-safe (all state is in the database); `clock` gives "now" for every decision.
#ifndef PARKLINE_SUPPORT_INCUBATION_DESK_H_
#define PARKLINE_SUPPORT_INCUBATION_DESK_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "parkline/support/v1/support.pb.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::support {

class IncubationDesk {
 public:
  using Clock = std::function<absl::Time()>;

  IncubationDesk(store::Database& db, store::GroupCommitter& writer,
                 std::function<void()> events_committed, Clock clock);

  absl::StatusOr<v1::Incubatee> Admit(const v1::AdmitIncubateeRequest& request);
  absl::StatusOr<v1::Incubatee> RecordMilestone(const v1::RecordMilestoneRequest& request,
                                                const auth::Viewer& viewer);
  absl::StatusOr<v1::Incubatee> Graduate(const v1::GraduateIncubateeRequest& request);
  absl::StatusOr<v1::Incubatee> Leave(const v1::RecordIncubateeLeftRequest& request);
  absl::StatusOr<v1::Incubatee> Get(const v1::GetIncubateeRequest& request,
                                    const auth::Viewer& viewer);
  absl::StatusOr<v1::ListIncubateesResponse> List(const v1::ListIncubateesRequest& request);
  absl::StatusOr<v1::CohortFigures> Figures(const v1::GetCohortFiguresRequest& request);

 private:
  using Change = std::function<absl::Status(store::Transaction&, v1::Incubatee&)>;
  // In `tx`: locks and loads the incubatee, refuses it as NOT_FOUND unless the viewer may see it,
  // applies `change` (which appends its event) and stores it.
  static absl::StatusOr<v1::Incubatee> StepIn(store::Transaction& tx, const std::string& id,
                                              const auth::Viewer& viewer, const Change& change);
  // StepIn in a transaction of its own.
  absl::StatusOr<v1::Incubatee> Step(const std::string& id, const auth::Viewer& viewer,
                                     const Change& change);

  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  Clock clock_;
  absl::TimeZone park_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_INCUBATION_DESK_H_
