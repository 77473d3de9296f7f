// What a submitted document does to what the park holds under its key: the appType rule of the
// CEB messages (1 new, 2 change, 3 withdraw) as the park applies it, decided from what is stored
// and what came, before anything is written.
//
//   appType 1 (new):      nothing live stored (none, or withdrawn)  -> ACCEPTED
//                         the same content live (a resend)          -> DUPLICATE
//                         other content live                        -> ALREADY_EXISTS
//   appType 2 (change):   nothing live stored                       -> FAILED_PRECONDITION
//                         the same content                          -> DUPLICATE
//                         its declaration is matched (final)        -> FAILED_PRECONDITION
//                         otherwise                                 -> CHANGED
//   appType 3 (withdraw): nothing stored                            -> FAILED_PRECONDITION
//                         already withdrawn                         -> DUPLICATE
//                         matched, and not the order                -> FAILED_PRECONDITION
//                         otherwise                                 -> WITHDRAWN
//   any other appType                                               -> INVALID_ARGUMENT
//
// A resend is recognised before the matched check, so that a client retrying a change or a
// withdrawal that was applied learns DUPLICATE, not a refusal. A matched declaration ends only
// by withdrawing its order. Errors name the document ("DOCUMENT_KIND_ORDER <key>") and what the
// sender can do; INVALID_ARGUMENT names the field's app_type.
//
// Plain functions over their arguments: thread-safe.
#ifndef PARKLINE_DECLARATIONS_DOCUMENT_OUTCOME_H_
#define PARKLINE_DECLARATIONS_DOCUMENT_OUTCOME_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/declarations/v1/declarations.pb.h"
#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::declarations {

namespace v1 = ::parkline::declarations::v1;

// A document as the park holds it under its key.
struct StoredDocument {
  std::string payload;  // the document's serialized protobuf
  bool withdrawn = false;
};

// A document as it came, reduced to what its outcome depends on. Views into the caller's strings.
struct ArrivingDocument {
  v1::DocumentKind kind = v1::DOCUMENT_KIND_UNSPECIFIED;
  absl::string_view doc_key;  // names the document in errors
  absl::string_view field;    // "order", "orders[1]": where an app_type error points
  v1::AppType app_type = v1::APP_TYPE_UNSPECIFIED;
  absl::string_view payload;  // canonical (app_type cleared), comparable with the stored one
};

// The outcome of `arriving` given what is `stored` under its key (nullopt: nothing) and whether a
// declaration it belongs to is `matched`; or the error above, and then nothing is to be written.
absl::StatusOr<v1::DocumentOutcome> DocumentOutcomeOf(const ArrivingDocument& arriving,
                                                      const std::optional<StoredDocument>& stored,
                                                      bool matched);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DOCUMENT_OUTCOME_H_
