// What of a stored clearance case is a person's data, how long it is kept, and the case split
// into what is stored as it is and what is sealed (case_repository.cc seals it with
// secrets/sealed_box.h and joins it back on reading; secrets/message_split.h cuts):
//
//   clearance_cases.payload  the ClearanceCase without the inventory's buyer_id_number,
//                            buyer_name, buyer_telephone, consignee_address (the four fields
//                            buyer_privacy.h masks)
//   clearance_cases.personal those four fields, sealed; personal_key_id names the key
//   clearance_cases.sealed_message  the CEB621/CEB603 message as sent and signed, sealed whole
//                            (it repeats the four fields); message_key_id names the key,
//                            message_sha256 is its SHA-256 in clear (what was sent, for audit,
//                            outliving the message)
//
// Not sealed, and why: buyer_id_type (a code: "1" is a resident identity card); the enterprises'
// names and codes (not a person's); the goods lines and amounts (what customs and the statistics
// need, about no one in particular); customs' return_info, once the identity is redacted from it
// (RedactIdentity: customs may quote what it checked).
//
// Pure functions; thread-safe.
#ifndef PARKLINE_CLEARANCE_CASE_PERSONAL_DATA_H_
#define PARKLINE_CLEARANCE_CASE_PERSONAL_DATA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

namespace v1 = ::parkline::clearance::v1;

// The paths of a ClearanceCase's personal fields ("inventory.buyer_name" ...).
const std::vector<std::string>& PersonalFieldsOfCase();

struct SplitCase {
  std::string rest;      // the case serialized, its personal fields cleared
  std::string personal;  // only its personal fields, serialized; empty when it has none
};

// `c` split in two (what the repository stores).
absl::StatusOr<SplitCase> SplitCasePersonal(v1::ClearanceCase c);

// The case whose parts are `rest` and `personal` (empty: the personal fields stay empty, as after
// the retention pass erased them). DATA_LOSS when a part does not parse.
absl::StatusOr<v1::ClearanceCase> JoinCasePersonal(absl::string_view rest,
                                                   absl::string_view personal);

// The statuses after which a case needs its buyer's identity no more: customs is done with it
// (released, closed, rejected, returned, failed) or it never went (withdrawn). A released case
// can only be closed after (receipt_state_machine.h), which needs no identity. Its personal data
// and message are erased once it has stood still in one of them for the retention period.
const std::vector<v1::CaseStatus>& StatusesEndingPersonalData();

// `text` (customs' return_info) with every occurrence of the inventory's identity values
// replaced by their masks (buyer_privacy.h), so that what customs quotes back is neither stored
// in clear nor published.
std::string RedactIdentity(absl::string_view text, const v1::Inventory& inventory);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CASE_PERSONAL_DATA_H_
