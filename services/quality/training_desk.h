// The use cases of the operator's training records and staff certifications (GB/T 39678-2020
// 5.6.1.1, 5.6.3; clause 8's archives): record a session, list the sessions of a period, record
// a certification, renew or replace one, list those about to expire, and keep the expiry gauge.
//
// A write validates first (training_rules.h; nothing is stored when a rule breaks), then in ONE
// transaction recognises a retry by its request_id (the same request answers what it stored the
// first time; another request under that id is ALREADY_EXISTS), stores the row and appends its
// event (TrainingRecorded, CertificationRecorded) to the outbox. A renewal marks the renewed
// certification replaced in the same transaction, only if nobody replaced it first: two renewals
// racing on one certificate cannot both win.
//
// These are internal records: the access policy admits only park staff (write, read) and
// analysts (read, without attendees' names). Thread-safe (all state is in the database); `clock`
// gives "now", so tests can move time.
#ifndef PARKLINE_QUALITY_TRAINING_DESK_H_
#define PARKLINE_QUALITY_TRAINING_DESK_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "parkline/quality/v1/quality.pb.h"
#include "quality/training_repository.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::quality {

class TrainingDesk {
 public:
  using Clock = std::function<absl::Time()>;

  // Writes go through `writer`; `events_committed` wakes the outbox relay; `zone` is the park's
  // (its dates: held dates, expiry).
  TrainingDesk(store::Database& db, store::GroupCommitter& writer,
               std::function<void()> events_committed, absl::TimeZone zone, Clock clock);

  absl::StatusOr<v1::TrainingSession> RecordTraining(const v1::RecordTrainingRequest& request,
                                                     const auth::Viewer& viewer);
  absl::StatusOr<v1::ListTrainingsResponse> ListTrainings(const v1::ListTrainingsRequest& request,
                                                          const auth::Viewer& viewer);
  absl::StatusOr<v1::Certification> RecordCertification(
      const v1::RecordCertificationRequest& request, const auth::Viewer& viewer);
  absl::StatusOr<v1::Certification> RenewCertification(const v1::RenewCertificationRequest& request,
                                                       const auth::Viewer& viewer);
  absl::StatusOr<v1::ListExpiringCertificationsResponse> ListExpiring(
      const v1::ListExpiringCertificationsRequest& request);

  // The certifications as they stood at the end of `day` (CertificationsStandingOn), replaced
  // ones included when their successor was issued after it; for the evidence report.
  absl::StatusOr<std::vector<v1::Certification>> CertificationsOn(absl::CivilDay day);

  // Counts the current certifications expired or expiring within kExpiryWatchDays into the
  // gauge (main runs it with the supervision job); the count.
  absl::StatusOr<int64_t> WatchExpiry();

 private:
  absl::CivilDay Today() const { return absl::ToCivilDay(clock_(), zone_); }
  // In one transaction: answers the certification `request_id` stored before (ALREADY_EXISTS
  // when another request used it), or stores the one `make` builds (a renewal marks the renewed
  // one there) with its CertificationRecorded.
  using Make = std::function<absl::StatusOr<v1::Certification>(TrainingRepository&)>;
  absl::StatusOr<v1::Certification> StoreCertification(const std::string& request_id,
                                                       const std::string& digest, absl::Time now,
                                                       const Make& make);

  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  absl::TimeZone zone_;
  Clock clock_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_TRAINING_DESK_H_
