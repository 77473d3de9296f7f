// Offerings and service requests as rows (schema.cc migration 2), inside the caller's
// transaction. One per transaction; not thread-safe.
#ifndef PARKLINE_SUPPORT_REQUEST_REPOSITORY_H_
#define PARKLINE_SUPPORT_REQUEST_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "parkline/support/v1/support.pb.h"
#include "store/database.h"

namespace parkline::support {

template <typename T>
struct Stored {
  T value;
  std::string request_digest;
};

class RequestRepository {
 public:
  explicit RequestRepository(store::Transaction& tx) : tx_(tx) {}

  absl::Status InsertOffering(const v1::Offering& offering, const std::string& request_id,
                              const std::string& digest);
  absl::StatusOr<std::optional<Stored<v1::Offering>>> FindOffering(const std::string& column,
                                                                   const std::string& key);
  // Sets the withdrawn mark and the payload.
  absl::Status UpdateOffering(const v1::Offering& offering);
  // By category (all when UNSPECIFIED); the withdrawn ones only when asked for.
  absl::StatusOr<std::vector<v1::Offering>> ListOfferings(v1::ServiceCategory category,
                                                          bool include_withdrawn);

  absl::Status InsertRequest(const v1::ServiceRequest& request, const std::string& request_id,
                             const std::string& digest);
  absl::Status UpdateRequest(const v1::ServiceRequest& request);
  // By "service_request_id" or "request_id".
  absl::StatusOr<std::optional<Stored<v1::ServiceRequest>>> FindRequest(const std::string& column,
                                                                        const std::string& key);
  // Filed by or routed to `party` (all when empty), newest first, at most 1000.
  absl::StatusOr<std::vector<v1::ServiceRequest>> ListRequests(const std::string& party);
  // ROUTED, not yet marked overdue, due before `now`.
  absl::StatusOr<std::vector<v1::ServiceRequest>> DueBefore(absl::Time now, int limit);
  // ROUTED requests marked overdue and still unanswered.
  absl::StatusOr<int64_t> CountOpenOverdue();
  // Every request filed in [from, to).
  absl::StatusOr<std::vector<v1::ServiceRequest>> FiledBetween(absl::Time from, absl::Time to);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_REQUEST_REPOSITORY_H_
