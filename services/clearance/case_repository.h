// SQL for the clearance cases, inside a caller's transaction. No rules here.
#ifndef PARKLINE_CLEARANCE_CASE_REPOSITORY_H_
#define PARKLINE_CLEARANCE_CASE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/clearance/v1/clearance.pb.h"
#include "store/database.h"

namespace parkline::clearance {

namespace v1 = ::parkline::clearance::v1;

struct CaseFilter {
  std::string enterprise_code;  // platform, e-commerce enterprise, agent or logistics
  v1::CaseStatus status = v1::CASE_STATUS_UNSPECIFIED;
  std::vector<v1::CaseStatus> statuses;  // any of them (refund-eligible)
  std::string business_mode;
  int direction = 0;
};

class CaseRepository {
 public:
  explicit CaseRepository(store::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<v1::ClearanceCase>> Find(const std::string& case_id);
  absl::StatusOr<std::optional<v1::ClearanceCase>> FindByOpenKey(const std::string& open_key);
  // ALREADY_EXISTS when the case id or open key is taken.
  absl::Status Insert(const std::string& open_key, const v1::ClearanceCase& c);
  absl::Status Update(const v1::ClearanceCase& c);
  absl::Status SaveMessage(const std::string& case_id, const std::string& xml);
  absl::StatusOr<std::optional<std::string>> FindMessage(const std::string& case_id);
  // Cases after `after_case_id` in case id order.
  absl::StatusOr<std::vector<v1::ClearanceCase>> List(const CaseFilter& filter,
                                                      const std::string& after_case_id, int limit);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CASE_REPOSITORY_H_
