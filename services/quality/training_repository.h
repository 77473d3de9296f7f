// Training sessions and staff certifications, on one transaction. Thin: no rules here
// (training_desk.h decides); every method maps rows to protobufs and back.
#ifndef PARKLINE_QUALITY_TRAINING_REPOSITORY_H_
#define PARKLINE_QUALITY_TRAINING_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/quality/v1/quality.pb.h"
#include "store/database.h"

namespace parkline::quality {

// A stored row and the digest of the request that wrote it (to tell a retry from a clash).
template <typename M>
struct Stored {
  M message;
  std::string request_digest;
};

class TrainingRepository {
 public:
  explicit TrainingRepository(store::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<Stored<v1::TrainingSession>>> SessionByRequest(
      const std::string& request_id);
  absl::Status InsertSession(const v1::TrainingSession& session, const std::string& digest);
  // Held from `from` to `to` (inclusive, YYYY-MM-DD), oldest first; kind UNSPECIFIED: every kind.
  absl::StatusOr<std::vector<v1::TrainingSession>> Sessions(const std::string& from,
                                                            const std::string& to,
                                                            v1::TrainingKind kind, int limit);

  absl::StatusOr<std::optional<Stored<v1::Certification>>> Certification(
      const std::string& certification_id);
  absl::StatusOr<std::optional<Stored<v1::Certification>>> CertificationByRequest(
      const std::string& request_id);
  absl::Status InsertCertification(const v1::Certification& certification,
                                   const std::string& digest);
  // Marks `certification` replaced by `successor`; false when it was replaced already (a
  // concurrent renewal won).
  absl::StatusOr<bool> MarkReplaced(const v1::Certification& certification,
                                    const std::string& successor);
  // Current certifications expiring on or before `by` (YYYY-MM-DD), soonest first.
  absl::StatusOr<std::vector<v1::Certification>> ExpiringBy(const std::string& by, int limit);
  absl::StatusOr<int64_t> CountExpiringBy(const std::string& by);
  // Every certification, replaced ones too, by expiry then id: a few per staff member, read
  // whole for the evidence report (training_rules.h decides which stood on a day).
  absl::StatusOr<std::vector<v1::Certification>> AllCertifications();

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_TRAINING_REPOSITORY_H_
