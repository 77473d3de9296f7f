#include "quality/document_rules.h"

#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "calendar/date.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::quality {

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

// "scheme://rest" with no whitespace or control characters: an address a reader can follow.
bool IsUri(const std::string& s) {
  size_t sep = s.find("://");
  if (sep == std::string::npos || sep == 0 || sep + 3 == s.size()) return false;
  for (size_t i = 0; i < sep; ++i) {
    if (!absl::ascii_isalnum(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.') return false;
  }
  for (unsigned char c : s) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

void CheckText(errors::Violations& v, const char* field, const std::string& value, size_t max,
               bool required) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    v.Add(field, "REQUIRED", absl::StrCat(field, " is required"));
  } else if (value.size() > max) {
    v.Add(field, "TOO_LONG", absl::StrCat(field, " is at most ", max, " bytes"));
  }
}

void CheckReference(const v1::ContentReference& reference, const std::string& field,
                    errors::Violations& v) {
  if (!IsUri(reference.uri()) || reference.uri().size() > kMaxUri) {
    v.Add(field + ".uri", "NOT_A_URI",
          absl::StrCat("scheme://..., no spaces, at most ", kMaxUri, " bytes"));
  }
  if (!IsSha256Hex(reference.sha256())) {
    v.Add(field + ".sha256", "NOT_A_SHA256", "64 lowercase hex digits");
  }
  if (reference.size_bytes() < 0) {
    v.Add(field + ".size_bytes", "NEGATIVE", "0 (unknown) or the size in bytes");
  }
}

void CheckPublication(const v1::PublishDocumentRequest& r, int64_t max_content_bytes,
                      errors::Violations& v) {
  CheckText(v, "request_id", r.request_id(), kMaxRequestId, true);
  if (r.document_id().empty() && r.expected_version() != 0) {
    v.Add("expected_version", "NOT_FOR_NEW", "a new document has no version to expect: 0");
  } else if (!r.document_id().empty() && r.expected_version() < 1) {
    v.Add("expected_version", "REQUIRED",
          "a new version names the current version its publisher saw (1 or more)");
  }
  if (!v1::DocumentKind_IsValid(r.kind()) || r.kind() == v1::DOCUMENT_KIND_UNSPECIFIED) {
    v.Add("kind", "REQUIRED", "one of the register's document kinds");
  }
  CheckText(v, "title", r.title(), kMaxTitle, true);
  if (r.visibility() != v1::VISIBILITY_PUBLIC && r.visibility() != v1::VISIBILITY_INTERNAL) {
    v.Add("visibility", "REQUIRED", "PUBLIC or INTERNAL");
  }
  if (!ParseDate(r.effective_date())) {
    v.Add("effective_date", "NOT_A_DATE", "a date YYYY-MM-DD");
  }
  CheckText(v, "approved_by", r.approved_by(), kMaxName, true);
  CheckText(v, "media_type", r.media_type(), 100, true);
  CheckText(v, "change_note", r.change_note(), kMaxNote, false);
  switch (r.body_case()) {
    case v1::PublishDocumentRequest::kContent:
      if (r.content().empty()) {
        v.Add("content", "REQUIRED", "a document's content is not empty");
      } else if (static_cast<int64_t>(r.content().size()) > max_content_bytes) {
        v.Add("content", "TOO_LARGE",
              absl::StrCat("content stored here is at most ", max_content_bytes,
                           " bytes; reference a larger document by uri and sha256"));
      }
      break;
    case v1::PublishDocumentRequest::kReference:
      CheckReference(r.reference(), "reference", v);
      break;
    default:
      v.Add("content", "REQUIRED", "the content, or a reference (uri and sha256)");
  }
}

namespace {

absl::Status Withdrawn(const v1::DocumentVersion& current) {
  return absl::FailedPreconditionError(
      absl::StrCat("document_id: ", current.document_id(), " was withdrawn (version ",
                   current.version(), ", no longer in force from ", current.effective_date(),
                   ") and takes no further version; publish a new document"));
}

absl::Status NotCurrent(const std::string& document_id, int64_t expected, int64_t current) {
  return absl::FailedPreconditionError(absl::StrCat("expected_version: the current version of ",
                                                    document_id, " is ", current, ", not ",
                                                    expected, "; read it and decide again"));
}

}  // namespace

absl::Status CheckSuccession(const v1::PublishDocumentRequest& r,
                             const std::optional<v1::DocumentVersion>& current) {
  if (r.document_id().empty()) return absl::OkStatus();
  if (!current) {
    return absl::NotFoundError(absl::StrCat("document_id: no document ", r.document_id()));
  }
  if (current->withdrawn()) return Withdrawn(*current);
  if (r.expected_version() != current->version()) {
    return NotCurrent(r.document_id(), r.expected_version(), current->version());
  }
  if (r.kind() != current->kind()) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: a new version keeps its document's kind (", KindName(current->kind()),
                     "); publish another kind as a new document"));
  }
  if (r.effective_date() < current->effective_date()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "effective_date: a new version takes effect no earlier than the version before (",
        current->effective_date(), ")"));
  }
  return absl::OkStatus();
}

void CheckWithdrawal(const v1::WithdrawDocumentRequest& r, errors::Violations& v) {
  CheckText(v, "request_id", r.request_id(), kMaxRequestId, true);
  CheckText(v, "document_id", r.document_id(), kMaxRequestId, true);
  if (r.expected_version() < 1) {
    v.Add("expected_version", "REQUIRED", "the current version the withdrawer saw (1 or more)");
  }
  if (!ParseDate(r.effective_date())) {
    v.Add("effective_date", "NOT_A_DATE", "a date YYYY-MM-DD: the first day not in force");
  }
  CheckText(v, "approved_by", r.approved_by(), kMaxName, true);
  CheckText(v, "reason", r.reason(), kMaxNote, true);
}

absl::Status CheckWithdrawalOf(const v1::WithdrawDocumentRequest& r,
                               const std::optional<v1::DocumentVersion>& current) {
  if (!current) {
    return absl::NotFoundError(absl::StrCat("document_id: no document ", r.document_id()));
  }
  if (current->withdrawn()) return Withdrawn(*current);
  if (r.expected_version() != current->version()) {
    return NotCurrent(r.document_id(), r.expected_version(), current->version());
  }
  if (r.effective_date() < current->effective_date()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "effective_date: a withdrawal takes effect no earlier than the version it ends (",
        current->effective_date(), ")"));
  }
  return absl::OkStatus();
}

v1::DocumentVersion WithdrawalVersion(const v1::WithdrawDocumentRequest& r,
                                      const v1::DocumentVersion& current, const std::string& actor,
                                      absl::Time now) {
  v1::DocumentVersion d;
  d.set_document_id(current.document_id());
  d.set_version(current.version() + 1);
  d.set_kind(current.kind());
  d.set_title(current.title());
  d.set_visibility(current.visibility());
  d.set_effective_date(r.effective_date());
  d.set_approved_by(r.approved_by());
  d.set_change_note(r.reason());
  *d.mutable_published_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  d.set_published_by(actor);
  d.set_request_id(r.request_id());
  d.set_withdrawn(true);
  return d;
}

v1::DocumentVersion NextVersion(const v1::PublishDocumentRequest& r,
                                const std::optional<v1::DocumentVersion>& current,
                                const std::string& document_id, const std::string& actor,
                                absl::Time now) {
  v1::DocumentVersion d;
  d.set_document_id(document_id);
  d.set_version(current ? current->version() + 1 : 1);
  d.set_kind(r.kind());
  d.set_title(r.title());
  d.set_visibility(r.visibility());
  d.set_effective_date(r.effective_date());
  d.set_approved_by(r.approved_by());
  d.set_media_type(r.media_type());
  if (r.body_case() == v1::PublishDocumentRequest::kContent) {
    d.set_content(r.content());
    d.set_sha256(auth::Sha256Hex(r.content()));
    d.set_size_bytes(static_cast<int64_t>(r.content().size()));
  } else {
    d.set_content_uri(r.reference().uri());
    d.set_sha256(r.reference().sha256());
    d.set_size_bytes(r.reference().size_bytes());
  }
  d.set_change_note(r.change_note());
  *d.mutable_published_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  d.set_published_by(actor);
  d.set_request_id(r.request_id());
  return d;
}

std::string RequestDigest(const google::protobuf::Message& r) {
  // Deterministic serialization: one request, one digest, whatever the client's field order.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    r.SerializeToCodedStream(&coded);
  }
  return auth::Sha256Hex(bytes);
}

bool MayRead(const Viewer& viewer, const v1::DocumentVersion& document) {
  if (document.visibility() == v1::VISIBILITY_PUBLIC) return true;
  return viewer.park_staff || viewer.analyst;
}

v1::DocumentVersion WithoutContent(v1::DocumentVersion version) {
  version.clear_content();
  return version;
}

std::optional<absl::CivilDay> ParseDate(const std::string& s) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
    return std::nullopt;
  }
  if (!calendar::IsValidDate(y, m, d) || calendar::FormatDate(y, m, d) != s) return std::nullopt;
  return absl::CivilDay(y, m, d);
}

std::string KindName(v1::DocumentKind kind) {
  std::string name = v1::DocumentKind_Name(kind);
  return absl::StartsWith(name, "DOCUMENT_KIND_") ? name.substr(14) : name;
}

}  // namespace parkline::quality
