// Incubatees and their milestones' request ids as rows (schema.cc migration 3), inside the
// caller's transaction. One per transaction; not thread-safe.
#ifndef PARKLINE_SUPPORT_INCUBATION_REPOSITORY_H_
#define PARKLINE_SUPPORT_INCUBATION_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/support/v1/support.pb.h"
#include "store/database.h"
#include "support/rows.h"

namespace parkline::support {

// A recorded milestone's request: what it was recorded on.
struct MilestoneRequest {
  std::string request_digest;
  std::string incubatee_id;
};

class IncubationRepository {
 public:
  explicit IncubationRepository(store::Transaction& tx) : tx_(tx) {}

  absl::Status Insert(const v1::Incubatee& incubatee, const std::string& request_id,
                      const std::string& digest);
  // Writes the row first so that two changes of one incubatee take turns; NOT_FOUND when there
  // is no such incubatee. Call before Find in a read-modify-write.
  absl::Status Lock(const std::string& incubatee_id);
  absl::Status Update(const v1::Incubatee& incubatee);
  // By "incubatee_id" or "request_id".
  absl::StatusOr<std::optional<Stored<v1::Incubatee>>> Find(const std::string& column,
                                                            const std::string& key);
  // Whether the enterprise is in the incubator now (ADMITTED or ACTIVE).
  absl::StatusOr<bool> InIncubator(const std::string& uscc);
  // By cohort and state (either empty / UNSPECIFIED for all), oldest admission first, at most
  // `limit`.
  absl::StatusOr<std::vector<v1::Incubatee>> List(const std::string& cohort,
                                                  v1::IncubateeState state, int limit);

  absl::StatusOr<std::optional<MilestoneRequest>> FindMilestoneRequest(
      const std::string& request_id);
  absl::Status InsertMilestoneRequest(const std::string& request_id, const std::string& digest,
                                      const std::string& incubatee_id,
                                      const std::string& milestone_id);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_INCUBATION_REPOSITORY_H_
