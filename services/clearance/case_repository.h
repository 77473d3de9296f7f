// SQL for the clearance cases, inside a caller's transaction. No rules here.
//
// The buyer's identity is stored sealed (case_personal_data.h says which fields, and the whole
// inventory message): every write splits the case and seals its personal part under the ring's
// active key (secrets/sealed_box.h, bound to the row and the part), every read opens it and
// joins it back, so callers see whole cases and messages. Rows written before migration 3 hold
// everything in clear and are marked '-' until the start-up pass (ResealCases) seals them.
#ifndef PARKLINE_CLEARANCE_CASE_REPOSITORY_H_
#define PARKLINE_CLEARANCE_CASE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/clearance/v1/clearance.pb.h"
#include "secrets/key_ring.h"
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

// The inventory message of a submitted case.
struct StoredMessage {
  std::string xml;     // as sent and signed; empty once erased
  std::string sha256;  // of the xml, lowercase hex; kept after erasure (empty before migration 3)
  bool erased = false;
};

class CaseRepository {
 public:
  // `keys` seal and open the personal data; with an empty ring every call that stores or reads a
  // case is FAILED_PRECONDITION.
  CaseRepository(store::Transaction& tx, const secrets::KeyRing& keys) : tx_(tx), keys_(keys) {}

  absl::StatusOr<std::optional<v1::ClearanceCase>> Find(const std::string& case_id);
  absl::StatusOr<std::optional<v1::ClearanceCase>> FindByOpenKey(const std::string& open_key);
  // ALREADY_EXISTS when the case id or open key is taken.
  absl::Status Insert(const std::string& open_key, const v1::ClearanceCase& c);
  absl::Status Update(const v1::ClearanceCase& c);
  absl::Status SaveMessage(const std::string& case_id, const std::string& xml);
  // Nothing for a case that was never submitted (or does not exist).
  absl::StatusOr<std::optional<StoredMessage>> FindMessage(const std::string& case_id);
  // Cases after `after_case_id` in case id order.
  absl::StatusOr<std::vector<v1::ClearanceCase>> List(const CaseFilter& filter,
                                                      const std::string& after_case_id, int limit);

  // The retention pass: erases the sealed personal part and the message of up to `limit` cases
  // in one of `statuses` not updated since `before_micros` (the case stays: its status, goods,
  // amounts and receipts, its personal fields empty; the message's SHA-256 stays). Returns how
  // many were erased.
  absl::StatusOr<int> ErasePersonal(const std::vector<v1::CaseStatus>& statuses,
                                    int64_t before_micros, int limit);

  struct RotationBatch {
    int redone = 0;
    int left = 0;            // could not be opened (its key is gone from the ring)
    std::string next_after;  // empty when no rows are left
  };
  // One batch of the rotation pass: up to `limit` cases after `after` (a case id) whose personal
  // part or message is under another key than the active one (or in clear, from before migration
  // 3) sealed again under the active key.
  absl::StatusOr<RotationBatch> ResealCases(const std::string& after, int limit);

 private:
  // The case of a row whose columns `payload`, `key_id`, `personal` are at these indexes.
  absl::StatusOr<v1::ClearanceCase> Decode(const store::Row& row, int case_id, int payload,
                                           int key_id, int personal) const;
  // The message of a row whose message columns (kMessageColumns) start at `message`.
  absl::StatusOr<std::optional<StoredMessage>> DecodeMessage(const store::Row& row, int case_id,
                                                             int message) const;
  absl::StatusOr<std::optional<v1::ClearanceCase>> One(
      absl::StatusOr<std::vector<store::Row>> rows) const;

  store::Transaction& tx_;
  const secrets::KeyRing& keys_;
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CASE_REPOSITORY_H_
