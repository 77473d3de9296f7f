// SQL for the mandates (clearance_mandates), inside a caller's transaction. No rules here: what a
// mandate authorises is mandate_rules.h's.
#ifndef PARKLINE_CLEARANCE_MANDATE_REPOSITORY_H_
#define PARKLINE_CLEARANCE_MANDATE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/clearance/v1/clearance.pb.h"
#include "store/database.h"

namespace parkline::clearance {

namespace v1 = ::parkline::clearance::v1;

class MandateRepository {
 public:
  explicit MandateRepository(store::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<v1::Mandate>> Find(const std::string& mandate_id);
  // Every mandate from `ebc_code` to `agent_code`, in force or not.
  absl::StatusOr<std::vector<v1::Mandate>> ForPair(const std::string& ebc_code,
                                                   const std::string& agent_code);
  // ALREADY_EXISTS when the id is taken.
  absl::Status Insert(const v1::Mandate& mandate, const std::string& granted_by);
  // Records its revoke_time.
  absl::Status Revoke(const v1::Mandate& mandate, const std::string& revoked_by);
  // Mandates after `after_mandate_id` in id order; `code` non-empty: those naming it as the
  // e-commerce enterprise or the agent.
  absl::StatusOr<std::vector<v1::Mandate>> List(const std::string& code,
                                                const std::string& after_mandate_id, int limit);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_MANDATE_REPOSITORY_H_
