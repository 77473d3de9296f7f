// The records register's SQL, on one transaction. Thin: no rules here (document_desk.h decides);
// every method maps rows to protobufs and back.
#ifndef PARKLINE_QUALITY_DOCUMENT_REPOSITORY_H_
#define PARKLINE_QUALITY_DOCUMENT_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/quality/v1/quality.pb.h"
#include "store/database.h"

namespace parkline::quality {

struct StoredVersion {
  v1::DocumentVersion version;  // with its content when `with_content` was asked
  std::string request_digest;
};

class DocumentRepository {
 public:
  explicit DocumentRepository(store::Transaction& tx) : tx_(tx) {}

  // One version (0: the highest) of a document.
  absl::StatusOr<std::optional<StoredVersion>> Find(const std::string& document_id, int64_t version,
                                                    bool with_content);
  absl::StatusOr<std::optional<StoredVersion>> FindByRequest(const std::string& request_id);
  absl::Status Insert(const v1::DocumentVersion& version, const std::string& request_digest);
  // The highest version of each document, by kind then id (kind UNSPECIFIED: every kind).
  absl::StatusOr<std::vector<v1::DocumentVersion>> Current(v1::DocumentKind kind);
  // Every version of one document, oldest first.
  absl::StatusOr<std::vector<v1::DocumentVersion>> History(const std::string& document_id);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_DOCUMENT_REPOSITORY_H_
