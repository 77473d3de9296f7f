// The clearance case's state machine: which customs receipt code (returnStatus of CEB622 /
// CEB604) moves a case from which status to which. Pure functions, no I/O; thread-safe.
//
// The code sequence customs follows (specification 202205, 清单回执 returnStatus), on the main line
//   CREATED -2-> DECLARING -120-> ACCEPTED -300-> MANUAL_REVIEW -399-> CONCLUDED -500-> INSPECTION
//   -501..599-> DETAINED -800-> RELEASED -899-> CLOSED
// A case only moves forward on that line. It may skip steps, because customs sends 300, 500 and
// 501..599 only when they happen and a receipt can be lost on the way (a later one still says
// where the case is); the same status again (a second detention code, or a code customs repeats
// with a new returnTime) leaves the case where it is. Besides the line:
//   100 (退单, REJECTED) before the examination is concluded (CREATED .. MANUAL_REVIEW);
//   a negative code (ERROR: format or business check failed) before examination (CREATED ..
//   ACCEPTED);
//   700 (退运, RETURNED) after conclusion and before release (CONCLUDED, INSPECTION, DETAINED);
//   899 (CLOSED) only after 800 (RELEASED).
// CLOSED, REJECTED, RETURNED and ERROR are final: nothing follows them.
//
// Receipts can arrive out of order: a case keeps every receipt and replays them sorted by
// returnTime (then by code rank, for two with the same time); a receipt that would make the
// replay impossible is refused and nothing changes.
#ifndef PARKLINE_CLEARANCE_RECEIPT_STATE_MACHINE_H_
#define PARKLINE_CLEARANCE_RECEIPT_STATE_MACHINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/clearance/v1/clearance_types.pb.h"

namespace parkline::clearance {

namespace v1 = ::parkline::clearance::v1;

// The status a code leads to. INVALID_ARGUMENT for a code the specification does not define for
// customs' answers (0, 1, 3, 4 are the e-Port's own, not customs'; any other positive number not
// listed above).
absl::StatusOr<v1::CaseStatus> StatusOfCode(int32_t return_status);

// Parses customs' text ("120", "-621005"). INVALID_ARGUMENT when it is not an integer.
absl::StatusOr<int32_t> ParseReturnStatus(absl::string_view text);

// OK when a case in `from` may take a receipt with `return_status`; FAILED_PRECONDITION naming
// both otherwise (INVALID_ARGUMENT for an unknown code).
absl::Status CheckTransition(v1::CaseStatus from, int32_t return_status);

bool IsFinal(v1::CaseStatus status);

// A receipt reduced to what the state machine needs.
struct ReceiptCode {
  int32_t return_status = 0;
  int64_t return_micros = 0;  // returnTime, microseconds since the epoch (customs' clock)
  bool operator==(const ReceiptCode& o) const {
    return return_status == o.return_status && return_micros == o.return_micros;
  }
};

// Sorts receipts in the order customs issued them: returnTime, then code rank.
void SortReceipts(std::vector<ReceiptCode>& receipts);

// The case after each receipt, in order.
struct ReplayStep {
  ReceiptCode receipt;
  v1::CaseStatus before;
  v1::CaseStatus after;
};

struct Replay {
  v1::CaseStatus status = v1::CASE_STATUS_CREATED;
  // Whether the case went through inspection (500) or detention (501..599).
  bool inspected = false;
  std::vector<ReplayStep> steps;
};

// Replays `receipts` (sorted by SortReceipts first; exact duplicates are dropped) from CREATED.
// FAILED_PRECONDITION naming the first impossible step; INVALID_ARGUMENT for an unknown code.
absl::StatusOr<Replay> ReplayReceipts(std::vector<ReceiptCode> receipts);

// "CASE_STATUS_RELEASED" -> "RELEASED".
std::string StatusName(v1::CaseStatus status);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_RECEIPT_STATE_MACHINE_H_
