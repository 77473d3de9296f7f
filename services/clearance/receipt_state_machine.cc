#include "clearance/receipt_state_machine.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace parkline::clearance {
namespace {

// Where a code sits in customs' sequence; ties in returnTime are broken by it.
int Rank(int32_t code) {
  if (code < 0) return 3;
  switch (code) {
    case 2:
      return 1;
    case 100:
      return 4;
    case 120:
      return 2;
    case 300:
      return 3;
    case 399:
      return 5;
    case 500:
      return 6;
    case 700:
      return 8;
    case 800:
      return 9;
    case 899:
      return 10;
    default:
      return code > 500 && code < 600 ? 7 : 0;
  }
}

bool IsDetention(int32_t code) { return code > 500 && code < 600; }

// The position on customs' main line; -1 off it.
int MainLineRank(v1::CaseStatus s) {
  switch (s) {
    case v1::CASE_STATUS_CREATED:
      return 0;
    case v1::CASE_STATUS_DECLARING:
      return 1;
    case v1::CASE_STATUS_ACCEPTED:
      return 2;
    case v1::CASE_STATUS_MANUAL_REVIEW:
      return 3;
    case v1::CASE_STATUS_CONCLUDED:
      return 4;
    case v1::CASE_STATUS_INSPECTION:
      return 5;
    case v1::CASE_STATUS_DETAINED:
      return 6;
    case v1::CASE_STATUS_RELEASED:
      return 7;
    case v1::CASE_STATUS_CLOSED:
      return 8;
    default:
      return -1;
  }
}

}  // namespace

absl::StatusOr<v1::CaseStatus> StatusOfCode(int32_t code) {
  if (code < 0) return v1::CASE_STATUS_ERROR;
  if (IsDetention(code)) return v1::CASE_STATUS_DETAINED;
  switch (code) {
    case 2:
      return v1::CASE_STATUS_DECLARING;
    case 100:
      return v1::CASE_STATUS_REJECTED;
    case 120:
      return v1::CASE_STATUS_ACCEPTED;
    case 300:
      return v1::CASE_STATUS_MANUAL_REVIEW;
    case 399:
      return v1::CASE_STATUS_CONCLUDED;
    case 500:
      return v1::CASE_STATUS_INSPECTION;
    case 700:
      return v1::CASE_STATUS_RETURNED;
    case 800:
      return v1::CASE_STATUS_RELEASED;
    case 899:
      return v1::CASE_STATUS_CLOSED;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("return_status: ", code,
                       " is not a customs receipt code (2, 100, 120, 300, 399, 500, 501..599, "
                       "700, 800, 899 or negative)"));
  }
}

absl::StatusOr<int32_t> ParseReturnStatus(absl::string_view text) {
  int32_t code = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("return_status: \"", text, "\" is not an integer"));
  }
  return code;
}

bool IsFinal(v1::CaseStatus status) {
  return status == v1::CASE_STATUS_CLOSED || status == v1::CASE_STATUS_REJECTED ||
         status == v1::CASE_STATUS_RETURNED || status == v1::CASE_STATUS_ERROR ||
         status == v1::CASE_STATUS_WITHDRAWN;
}

absl::Status CheckTransition(v1::CaseStatus from, int32_t code) {
  auto to = StatusOfCode(code);
  if (!to.ok()) return to.status();
  int rank = MainLineRank(from);
  bool allowed = false;
  if (!IsFinal(from) && rank >= 0) {
    switch (*to) {
      case v1::CASE_STATUS_REJECTED:
        allowed = rank <= MainLineRank(v1::CASE_STATUS_MANUAL_REVIEW);
        break;
      case v1::CASE_STATUS_ERROR:
        allowed = rank <= MainLineRank(v1::CASE_STATUS_ACCEPTED);
        break;
      case v1::CASE_STATUS_RETURNED:
        allowed = rank >= MainLineRank(v1::CASE_STATUS_CONCLUDED) &&
                  rank <= MainLineRank(v1::CASE_STATUS_DETAINED);
        break;
      case v1::CASE_STATUS_CLOSED:
        allowed = from == v1::CASE_STATUS_RELEASED;
        break;
      case v1::CASE_STATUS_DETAINED:
        allowed = rank <= MainLineRank(v1::CASE_STATUS_DETAINED);
        break;
      default:
        // Forward, or the same status again (customs repeating itself with a new time).
        allowed = MainLineRank(*to) >= rank;
    }
  }
  if (allowed) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("return_status: ", code, " (", StatusName(*to),
                                                    ") cannot follow ", StatusName(from)));
}

void SortReceipts(std::vector<ReceiptCode>& receipts) {
  std::stable_sort(receipts.begin(), receipts.end(),
                   [](const ReceiptCode& a, const ReceiptCode& b) {
                     if (a.return_micros != b.return_micros) {
                       return a.return_micros < b.return_micros;
                     }
                     return Rank(a.return_status) < Rank(b.return_status);
                   });
}

absl::StatusOr<Replay> ReplayReceipts(std::vector<ReceiptCode> receipts) {
  SortReceipts(receipts);
  receipts.erase(std::unique(receipts.begin(), receipts.end()), receipts.end());
  Replay replay;
  for (const ReceiptCode& r : receipts) {
    if (auto s = CheckTransition(replay.status, r.return_status); !s.ok()) return s;
    v1::CaseStatus after = *StatusOfCode(r.return_status);
    replay.steps.push_back({r, replay.status, after});
    if (after == v1::CASE_STATUS_INSPECTION || after == v1::CASE_STATUS_DETAINED) {
      replay.inspected = true;
    }
    replay.status = after;
  }
  return replay;
}

std::string StatusName(v1::CaseStatus status) {
  std::string name = v1::CaseStatus_Name(status);
  constexpr absl::string_view kPrefix = "CASE_STATUS_";
  if (name.rfind(kPrefix.data(), 0) == 0) name = name.substr(kPrefix.size());
  return name;
}

}  // namespace parkline::clearance
