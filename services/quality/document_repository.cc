#include "quality/document_repository.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "runtime/job_errors.h"

namespace parkline::quality {
namespace {

constexpr char kColumns[] = "d.document_id, d.version, d.payload, d.request_digest";

absl::StatusOr<StoredVersion> FromRow(const store::Row& r, bool with_content) {
  StoredVersion s;
  if (!s.version.ParseFromString(r.Text(2))) {
    return runtime::UnreadableRow(
        "quality_documents",
        absl::StrCat("stored document ", r.Text(0), " version ", r.Int(1), " is unreadable"));
  }
  s.request_digest = r.Text(3);
  if (with_content) s.version.set_content(r.Text(4));
  return s;
}

absl::StatusOr<std::optional<StoredVersion>> One(absl::StatusOr<std::vector<store::Row>> rows,
                                                 bool with_content) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredVersion>();
  auto s = FromRow(rows->front(), with_content);
  if (!s.ok()) return s.status();
  return std::optional<StoredVersion>(std::move(*s));
}

absl::StatusOr<std::vector<v1::DocumentVersion>> Many(
    absl::StatusOr<std::vector<store::Row>> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<v1::DocumentVersion> out;
  out.reserve(rows->size());
  for (const store::Row& r : *rows) {
    auto s = FromRow(r, false);
    if (!s.ok()) return s.status();
    out.push_back(std::move(s->version));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::optional<StoredVersion>> DocumentRepository::Find(
    const std::string& document_id, int64_t version, bool with_content) {
  std::string select = absl::StrCat("SELECT ", kColumns, with_content ? ", d.content" : "",
                                    " FROM quality_documents d WHERE d.document_id = $1");
  if (version > 0) {
    return One(tx_.Query(absl::StrCat(select, " AND d.version = $2"), {document_id, version}),
               with_content);
  }
  return One(tx_.Query(absl::StrCat(select, " ORDER BY d.version DESC LIMIT 1"), {document_id}),
             with_content);
}

absl::StatusOr<std::optional<StoredVersion>> DocumentRepository::FindByRequest(
    const std::string& request_id) {
  return One(tx_.Query(absl::StrCat("SELECT ", kColumns,
                                    ", d.content FROM quality_documents d WHERE d.request_id = $1"),
                       {request_id}),
             true);
}

absl::Status DocumentRepository::Insert(const v1::DocumentVersion& version,
                                        const std::string& request_digest) {
  v1::DocumentVersion payload = version;
  payload.clear_content();
  return tx_
      .Execute(
          "INSERT INTO quality_documents (document_id, version, kind, visibility, "
          "effective_date, sha256, request_id, request_digest, published_at, payload, content) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          {version.document_id(), version.version(), int64_t{version.kind()},
           int64_t{version.visibility()}, version.effective_date(), version.sha256(),
           version.request_id(), request_digest,
           google::protobuf::util::TimeUtil::TimestampToMicroseconds(version.published_time()),
           store::Blob{payload.SerializeAsString()}, store::Blob{version.content()}})
      .status();
}

absl::StatusOr<std::vector<v1::DocumentVersion>> DocumentRepository::Current(
    v1::DocumentKind kind) {
  std::string sql =
      absl::StrCat("SELECT ", kColumns,
                   " FROM quality_documents d JOIN (SELECT document_id, MAX(version) AS v FROM "
                   "quality_documents GROUP BY document_id) m ON d.document_id = m.document_id AND "
                   "d.version = m.v");
  if (kind == v1::DOCUMENT_KIND_UNSPECIFIED) {
    return Many(tx_.Query(absl::StrCat(sql, " ORDER BY d.kind, d.document_id"), {}));
  }
  return Many(
      tx_.Query(absl::StrCat(sql, " WHERE d.kind = $1 ORDER BY d.document_id"), {int64_t{kind}}));
}

absl::StatusOr<std::vector<v1::DocumentVersion>> DocumentRepository::History(
    const std::string& document_id) {
  return Many(tx_.Query(absl::StrCat("SELECT ", kColumns,
                                     " FROM quality_documents d WHERE d.document_id = $1 "
                                     "ORDER BY d.version"),
                        {document_id}));
}

}  // namespace parkline::quality
