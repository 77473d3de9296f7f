// The three-document match (三单对碰, GB/T 39678-2020 6.2.3), as a pure function over the
// documents received for one order: are they all here, do they agree, and what declaration do
// they make. No database, no gRPC: the caller loads the set, passes the buyer's quota already
// used this year, and stores the result.
//
// Complete means: import, the order, its payment (CEB411) and its waybill (CEB511); export, the
// order and its waybill, and for 9610 also the receipt of payment (CEB403). A complete set is
// MATCHED when every cross-document rule holds (document_rules.h: payment, receipt and waybill
// against the order) and, for import, the order keeps within the buyer's retail limits
// (quota_ledger.h); otherwise REJECTED with every mismatch.
//
// Plain functions: thread-safe.
#ifndef PARKLINE_DECLARATIONS_DECLARATION_MATCHER_H_
#define PARKLINE_DECLARATIONS_DECLARATION_MATCHER_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "declarations/quota_ledger.h"
#include "parkline/declarations/v1/declarations.pb.h"

namespace parkline::declarations {

namespace v1 = ::parkline::declarations::v1;

// "<ebp_code>/<order_no>": an order's key, unique in the park (order numbers are unique per
// platform).
std::string OrderKey(absl::string_view ebp_code, absl::string_view order_no);

// The business mode of an order, 9610 when it names none.
std::string BusinessModeOf(const v1::Order& order);

struct DocumentSet {
  std::optional<v1::Order> order;
  std::optional<v1::Payment> payment;
  std::optional<v1::Receipt> receipt;
  std::optional<v1::Waybill> waybill;
};

bool IsComplete(const DocumentSet& set);

// The declaration a set makes: WAITING while incomplete, else MATCHED or REJECTED with its
// mismatches. `quota_used` is what the buyer has already used in the order's quota year.
v1::Declaration Match(const DocumentSet& set, const QuotaLimits& limits, int64_t quota_used);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DECLARATION_MATCHER_H_
