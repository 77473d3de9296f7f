// The rules of the records register (GB/T 39678-2020 5.1.2, 5.1.3, 5.6.1.1, 5.6.3.1; evidence for
// 8.1.1): what a publication must hold, how a document's versions follow one another, and who
// reads what.
//
// A document is a sequence of versions 1, 2, ...; the current one is the highest. A version is
// never changed once published: a correction is the next version. A document that no longer
// applies is withdrawn by a last version that says from when, and why (document control: what
// was in force on a past date keeps one answer); it takes no version after that. The next version
// keeps the document's kind, names the version its publisher saw (so that two editors cannot
// overwrite each other unseen) and takes effect no earlier than the one before (so that "in force
// on a date" has one answer). Content is stored here up to a size limit, or referenced by URI with
// the SHA-256 the register vouches for.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_QUALITY_DOCUMENT_RULES_H_
#define PARKLINE_QUALITY_DOCUMENT_RULES_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "errors/violations.h"
#include "parkline/quality/v1/quality.pb.h"

namespace parkline::quality {

using auth::Viewer;

inline constexpr int kMaxTitle = 300;
inline constexpr int kMaxName = 200;
inline constexpr int kMaxNote = 2000;
inline constexpr int kMaxUri = 2048;
inline constexpr int kMaxRequestId = 128;

// Every form rule of a publication, each broken one added to `v` (the field and the rule); the
// content at most `max_content_bytes`.
void CheckPublication(const v1::PublishDocumentRequest& request, int64_t max_content_bytes,
                      errors::Violations& v);

// REQUIRED when `required` and `value` is blank; TOO_LONG past `max` bytes.
void CheckText(errors::Violations& v, const char* field, const std::string& value, size_t max,
               bool required);

// The rules of a reference to content held elsewhere (a document's, a training's evidence), each
// broken one added to `v` under "<field>.uri", "<field>.sha256", "<field>.size_bytes".
void CheckReference(const v1::ContentReference& reference, const std::string& field,
                    errors::Violations& v);

// Whether `request` may follow `current` (nullopt: the document does not exist): NOT_FOUND for a
// new version of an unknown document, FAILED_PRECONDITION when the document was withdrawn or
// another version was published since expected_version, INVALID_ARGUMENT for another kind or an
// earlier effective date. Call after CheckPublication passed.
absl::Status CheckSuccession(const v1::PublishDocumentRequest& request,
                             const std::optional<v1::DocumentVersion>& current);

// Every form rule of a withdrawal, each broken one added to `v`.
void CheckWithdrawal(const v1::WithdrawDocumentRequest& request, errors::Violations& v);

// Whether `request` may withdraw `current` (nullopt: the document does not exist): NOT_FOUND for
// an unknown document, FAILED_PRECONDITION when it was withdrawn already or another version was
// published since expected_version, INVALID_ARGUMENT for an effective date before the current
// version's. Call after CheckWithdrawal passed.
absl::Status CheckWithdrawalOf(const v1::WithdrawDocumentRequest& request,
                               const std::optional<v1::DocumentVersion>& current);

// The version that records the withdrawal of `current`: the next number, the current version's
// kind, title and visibility, no content.
v1::DocumentVersion WithdrawalVersion(const v1::WithdrawDocumentRequest& request,
                                      const v1::DocumentVersion& current, const std::string& actor,
                                      absl::Time now);

// The version `request` publishes after `current`: its number, the content's SHA-256 (computed
// for stored content, the reference's otherwise), who published it and when.
v1::DocumentVersion NextVersion(const v1::PublishDocumentRequest& request,
                                const std::optional<v1::DocumentVersion>& current,
                                const std::string& document_id, const std::string& actor,
                                absl::Time now);

// The digest that recognises a retried request (its deterministic serialization's SHA-256).
std::string RequestDigest(const google::protobuf::Message& request);

// Internal documents are the park's: its staff and its analysts read them; anybody else (a
// resident enterprise) reads public ones only, and an internal one is NOT_FOUND to it, exactly
// as one that does not exist.
bool MayRead(const Viewer& viewer, const v1::DocumentVersion& document);

// The version without its content, as lists and history show it.
v1::DocumentVersion WithoutContent(v1::DocumentVersion version);

std::string KindName(v1::DocumentKind kind);

// 64 lowercase hex digits.
bool IsSha256Hex(const std::string& text);
// "scheme://rest" with no whitespace or control characters: an address a reader can follow.
bool IsUri(const std::string& text);

// The date "YYYY-MM-DD" names, when it is one of the calendar.
std::optional<absl::CivilDay> ParseDate(const std::string& text);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_DOCUMENT_RULES_H_
