// The activities and registrations as rows (schema.cc), inside the caller's transaction. Named
// attendees are sealed with the key ring on the way in and opened on the way out; nothing else
// about a person is stored.
//
// One per transaction; not thread-safe.
#ifndef PARKLINE_SUPPORT_ACTIVITY_REPOSITORY_H_
#define PARKLINE_SUPPORT_ACTIVITY_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "parkline/support/v1/support.pb.h"
#include "secrets/key_ring.h"
#include "store/database.h"
#include "support/activity_rules.h"

namespace parkline::support {

struct StoredActivity {
  v1::Activity activity;  // with the seat counts
  std::string request_digest;
};

struct StoredRegistration {
  v1::Registration registration;  // with the named attendees
  std::string request_digest;
};

class ActivityRepository {
 public:
  ActivityRepository(store::Transaction& tx, const secrets::KeyRing& keys) : tx_(tx), keys_(keys) {}

  absl::Status InsertActivity(const v1::Activity& activity, const std::string& request_id,
                              const std::string& digest);
  absl::StatusOr<std::optional<StoredActivity>> FindActivity(const std::string& activity_id);
  absl::StatusOr<std::optional<StoredActivity>> FindActivityByRequest(
      const std::string& request_id);
  absl::StatusOr<std::vector<v1::Activity>> ListActivities(absl::Time from, int limit);
  // Stores `activity` as CANCELLED with no seat taken or waiting.
  absl::Status MarkCancelled(const v1::Activity& activity);
  // Sets the seat counts; the first write of a registration's transaction, so it also locks the
  // activity's row until the commit.
  absl::Status SetSeats(const std::string& activity_id, int taken, int waiting);

  // Numbers it after the activity's registrations so far (call SetSeats first: the lock).
  absl::Status InsertRegistration(const v1::Registration& registration,
                                  const std::string& request_id, const std::string& digest);
  absl::Status UpdateRegistration(const v1::Registration& registration);
  absl::StatusOr<std::optional<StoredRegistration>> FindRegistration(const std::string& id);
  absl::StatusOr<std::optional<StoredRegistration>> FindRegistrationByRequest(
      const std::string& request_id);
  // An enterprise's registrations (all when `uscc` is empty), of one activity when
  // `activity_id` is not empty, by registration time.
  absl::StatusOr<std::vector<v1::Registration>> ListRegistrations(const std::string& uscc,
                                                                  const std::string& activity_id);
  // The activity's CONFIRMED and WAITING registrations, every one, in the order they came.
  absl::StatusOr<std::vector<v1::Registration>> HoldingOrWaiting(const std::string& activity_id);
  // The activity's waiting list, first come first (by queue_order, schema.cc).
  absl::StatusOr<std::vector<Waiting>> WaitingList(const std::string& activity_id);

  struct KindTotals {
    int activities_held = 0;
    int attendees_confirmed = 0;
    int enterprises_attending = 0;
  };
  // Per kind, activities starting in [from, to) that ended by `now`, and their confirmed
  // attendance.
  absl::StatusOr<std::vector<std::pair<v1::ActivityKind, KindTotals>>> Figures(absl::Time from,
                                                                               absl::Time to,
                                                                               absl::Time now);

 private:
  absl::StatusOr<StoredRegistration> RegistrationOf(const store::Row& row);
  absl::StatusOr<std::vector<v1::Registration>> RegistrationsOf(
      const std::vector<store::Row>& rows);

  store::Transaction& tx_;
  const secrets::KeyRing& keys_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_ACTIVITY_REPOSITORY_H_
