#include "declarations/document_outcome.h"

#include "absl/strings/str_cat.h"

namespace parkline::declarations {
namespace {

absl::StatusOr<v1::DocumentOutcome> OutcomeOfNew(const ArrivingDocument& in,
                                                 const std::optional<StoredDocument>& stored,
                                                 const std::string& what) {
  bool live = stored && !stored->withdrawn;
  if (!live) return v1::DOCUMENT_OUTCOME_ACCEPTED;
  if (stored->payload == in.payload) return v1::DOCUMENT_OUTCOME_DUPLICATE;
  return absl::AlreadyExistsError(
      absl::StrCat(what, " was received with other content; send appType 2 to change it"));
}

absl::StatusOr<v1::DocumentOutcome> OutcomeOfChange(const ArrivingDocument& in,
                                                    const std::optional<StoredDocument>& stored,
                                                    bool matched, const std::string& what) {
  bool live = stored && !stored->withdrawn;
  if (!live) return absl::FailedPreconditionError(absl::StrCat("no ", what, " to change"));
  if (stored->payload == in.payload) return v1::DOCUMENT_OUTCOME_DUPLICATE;
  if (matched) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " belongs to a matched declaration and cannot change"));
  }
  return v1::DOCUMENT_OUTCOME_CHANGED;
}

absl::StatusOr<v1::DocumentOutcome> OutcomeOfWithdrawal(const ArrivingDocument& in,
                                                        const std::optional<StoredDocument>& stored,
                                                        bool matched, const std::string& what) {
  if (!stored) return absl::FailedPreconditionError(absl::StrCat("no ", what, " to withdraw"));
  if (stored->withdrawn) return v1::DOCUMENT_OUTCOME_DUPLICATE;
  if (matched && in.kind != v1::DOCUMENT_KIND_ORDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " belongs to a matched declaration; withdraw the order instead"));
  }
  return v1::DOCUMENT_OUTCOME_WITHDRAWN;
}

}  // namespace

absl::StatusOr<v1::DocumentOutcome> DocumentOutcomeOf(const ArrivingDocument& arriving,
                                                      const std::optional<StoredDocument>& stored,
                                                      bool matched) {
  std::string what = absl::StrCat(v1::DocumentKind_Name(arriving.kind), " ", arriving.doc_key);
  switch (arriving.app_type) {
    case v1::APP_TYPE_NEW:
      return OutcomeOfNew(arriving, stored, what);
    case v1::APP_TYPE_CHANGE:
      return OutcomeOfChange(arriving, stored, matched, what);
    case v1::APP_TYPE_WITHDRAW:
      return OutcomeOfWithdrawal(arriving, stored, matched, what);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(arriving.field, ".app_type: must be 1, 2 or 3"));
  }
}

}  // namespace parkline::declarations
