// Inspections, their corrective actions and their record, on one transaction. Thin: no rules here
// (quality_desk.h decides); every method maps rows to protobufs and back.
#ifndef PARKLINE_QUALITY_INSPECTION_REPOSITORY_H_
#define PARKLINE_QUALITY_INSPECTION_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hashchain/hash_chain.h"
#include "parkline/quality/v1/quality.pb.h"
#include "store/database.h"

namespace parkline::quality {

struct StoredInspection {
  v1::Inspection inspection;  // with its actions, without its record
  std::string request_digest;
  hashchain::Head head;
};

class InspectionRepository {
 public:
  explicit InspectionRepository(store::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<StoredInspection>> Find(const std::string& inspection_id);
  absl::StatusOr<std::optional<StoredInspection>> FindByRequest(const std::string& request_id);
  // The inspection an action belongs to.
  absl::StatusOr<std::optional<std::string>> InspectionOf(const std::string& action_id);
  absl::Status Insert(const StoredInspection& stored);
  // Stores the inspection's actions as they are now, and its head.
  absl::Status Update(const v1::Inspection& inspection, const hashchain::Head& head);

  absl::Status Append(const std::string& inspection_id, const v1::InspectionRecordEntry& entry);
  absl::StatusOr<std::vector<v1::InspectionRecordEntry>> Record(const std::string& inspection_id);
  // The closure entry `request_id` appended, if any.
  absl::StatusOr<std::optional<v1::InspectionRecordEntry>> EntryByRequest(
      const std::string& request_id);

  // Newest first; kind UNSPECIFIED: every kind; filer empty: every filer.
  absl::StatusOr<std::vector<v1::Inspection>> List(v1::InspectionKind kind,
                                                   const std::string& filer, int limit);
  absl::StatusOr<std::vector<std::string>> AllIds();
  // Open actions whose deadline is before `now_micros`: (action id, inspection id).
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Due(int64_t now_micros,
                                                                       int limit);
  absl::StatusOr<int64_t> CountOverdue();

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_INSPECTION_REPOSITORY_H_
