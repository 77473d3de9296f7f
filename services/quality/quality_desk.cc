#include "quality/quality_desk.h"

#include "absl/strings/str_cat.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "parkline/quality/v1/events.pb.h"
#include "quality/document_repository.h"
#include "quality/quality_metrics.h"
#include "runtime/log.h"

namespace parkline::quality {
namespace {

// The date, then 12 random hex digits: a UUID's last 12 (its first ones are its time).
std::string NewId(absl::string_view prefix, absl::Time now) {
  return absl::StrCat(prefix, absl::FormatTime("%Y%m%d", now, absl::FixedTimeZone(8 * 3600)), "-",
                      events::NewUuid().substr(24));
}

v1::DocumentPublished PublishedEvent(const v1::DocumentVersion& d) {
  v1::DocumentPublished e;
  e.set_document_id(d.document_id());
  e.set_version(d.version());
  e.set_kind(d.kind());
  e.set_visibility(d.visibility());
  e.set_effective_date(d.effective_date());
  e.set_sha256(d.sha256());
  *e.mutable_published_time() = d.published_time();
  return e;
}

absl::Status NotFound(const std::string& document_id) {
  return absl::NotFoundError(absl::StrCat("document_id: no document ", document_id));
}

}  // namespace

QualityDesk::QualityDesk(store::Database& db, store::GroupCommitter& writer,
                         std::function<void()> events_committed, DeskLimits limits, Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      limits_(limits),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

absl::StatusOr<v1::DocumentVersion> QualityDesk::Publish(const v1::PublishDocumentRequest& request,
                                                         const Viewer& viewer) {
  errors::Violations v;
  CheckPublication(request, limits_.max_document_bytes, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = PublicationDigest(request);
  std::string new_id = request.document_id().empty() ? NewId("DOC-", now) : request.document_id();

  v1::DocumentVersion result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    DocumentRepository repo(tx);
    auto before = repo.FindByRequest(request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->request_digest != digest) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id: ", request.request_id(),
                         " already published another document version; use a new request_id"));
      }
      result = std::move((*before)->version);
      return absl::OkStatus();
    }
    std::optional<v1::DocumentVersion> current;
    if (!request.document_id().empty()) {
      auto found = repo.Find(request.document_id(), 0, false);
      if (!found.ok()) return found.status();
      if (*found) current = std::move((*found)->version);
    }
    if (auto s = CheckSuccession(request, current); !s.ok()) return s;
    result = NextVersion(request, current, new_id, viewer.name, now);
    if (auto s = repo.Insert(result, digest); !s.ok()) return s;
    created = true;
    return events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, result.document_id(), PublishedEvent(result), now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    CountPublication(KindName(result.kind()), v1::Visibility_Name(result.visibility()));
    log::Info("document published", {{"document_id", result.document_id()},
                                     {"version", absl::StrCat(result.version())},
                                     {"kind", KindName(result.kind())},
                                     {"actor", viewer.name}});
  }
  return result;
}

absl::StatusOr<v1::DocumentVersion> QualityDesk::Get(const v1::GetDocumentRequest& request,
                                                     const Viewer& viewer) {
  errors::Violations v;
  if (request.document_id().empty()) v.Add("document_id", "REQUIRED", "which document");
  if (request.version() < 0) v.Add("version", "NEGATIVE", "0 (current) or a version number");
  if (!v.empty()) return v.ToStatus();
  std::optional<StoredVersion> found;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto f = DocumentRepository(tx).Find(request.document_id(), request.version(), true);
    if (!f.ok()) return f.status();
    found = std::move(*f);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // Each version carries its visibility: an internal draft of a later-public document stays the
  // park's, and is NOT_FOUND to an enterprise as if it did not exist.
  if (!found || !MayRead(viewer, found->version)) return NotFound(request.document_id());
  return std::move(found->version);
}

absl::StatusOr<v1::ListDocumentsResponse> QualityDesk::List(const v1::ListDocumentsRequest& request,
                                                            const Viewer& viewer) {
  if (!v1::DocumentKind_IsValid(request.kind())) {
    errors::Violations v;
    v.Add("kind", "UNKNOWN", "one of the register's document kinds, or UNSPECIFIED for all");
    return v.ToStatus();
  }
  v1::ListDocumentsResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto current = DocumentRepository(tx).Current(request.kind());
    if (!current.ok()) return current.status();
    for (auto& d : *current) {
      if (MayRead(viewer, d)) *out.add_documents() = WithoutContent(std::move(d));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::GetDocumentHistoryResponse> QualityDesk::History(
    const v1::GetDocumentHistoryRequest& request, const Viewer& viewer) {
  if (request.document_id().empty()) {
    errors::Violations v;
    v.Add("document_id", "REQUIRED", "which document");
    return v.ToStatus();
  }
  v1::GetDocumentHistoryResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto history = DocumentRepository(tx).History(request.document_id());
    if (!history.ok()) return history.status();
    for (auto& d : *history) *out.add_versions() = WithoutContent(std::move(d));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // Whole or nothing: a document whose current version is internal shows no history to an
  // enterprise (the current version decides, as GetDocument's version 0 does).
  if (out.versions().empty() || !MayRead(viewer, out.versions(out.versions_size() - 1))) {
    return NotFound(request.document_id());
  }
  if (!viewer.park_staff && !viewer.analyst) {
    // Earlier internal versions of a now-public document stay the park's.
    v1::GetDocumentHistoryResponse visible;
    for (auto& d : *out.mutable_versions()) {
      if (MayRead(viewer, d)) *visible.add_versions() = std::move(d);
    }
    return visible;
  }
  return out;
}

}  // namespace parkline::quality
