// The quality service's use cases: the records register (publish a version, read one, list the
// current ones, a document's history).
//
// A publication validates first (document_rules.h; nothing is stored when a rule breaks), then in
// ONE transaction recognises a retry by its request_id, reads the document's current version,
// checks the succession, stores the version and appends DocumentPublished to the outbox. Two
// publishers racing on one document cannot both win: the version is part of the key.
//
// Reads answer what the caller may see: an internal document is NOT_FOUND to a resident
// enterprise, exactly as one that does not exist.
//
// Thread-safe (all state is in the database); `clock` gives "now", so tests can move time.
#ifndef PARKLINE_QUALITY_QUALITY_DESK_H_
#define PARKLINE_QUALITY_QUALITY_DESK_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "parkline/quality/v1/quality.pb.h"
#include "quality/document_rules.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::quality {

inline constexpr char kTopic[] = "parkline.quality.v1";
inline constexpr char kSource[] = "/parkline/quality";

struct DeskLimits {
  int64_t max_document_bytes = 1 << 20;
};

class QualityDesk {
 public:
  using Clock = std::function<absl::Time()>;

  // Writes go through `writer`; `events_committed` wakes the outbox relay.
  QualityDesk(store::Database& db, store::GroupCommitter& writer,
              std::function<void()> events_committed, DeskLimits limits, Clock clock);

  absl::StatusOr<v1::DocumentVersion> Publish(const v1::PublishDocumentRequest& request,
                                              const Viewer& viewer);
  absl::StatusOr<v1::DocumentVersion> Get(const v1::GetDocumentRequest& request,
                                          const Viewer& viewer);
  absl::StatusOr<v1::ListDocumentsResponse> List(const v1::ListDocumentsRequest& request,
                                                 const Viewer& viewer);
  absl::StatusOr<v1::GetDocumentHistoryResponse> History(
      const v1::GetDocumentHistoryRequest& request, const Viewer& viewer);

 private:
  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  DeskLimits limits_;
  Clock clock_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_QUALITY_DESK_H_
