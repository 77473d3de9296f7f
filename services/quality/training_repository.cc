#include "quality/training_repository.h"

#include "absl/strings/str_cat.h"
#include "runtime/job_errors.h"
#include "runtime/proto_time.h"

namespace parkline::quality {
namespace {

// Rows of (id, payload[, digest]) as messages; an unreadable payload names its table and id.
template <typename M>
absl::StatusOr<std::vector<Stored<M>>> Parse(absl::StatusOr<std::vector<store::Row>> rows,
                                             const char* table) {
  if (!rows.ok()) return rows.status();
  std::vector<Stored<M>> out;
  for (const store::Row& r : *rows) {
    Stored<M> s;
    if (!s.message.ParseFromString(r.Text(1))) {
      return runtime::UnreadableRow(table, absl::StrCat("row ", r.Text(0), " is unreadable"));
    }
    if (r.size() > 2) s.request_digest = r.Text(2);
    out.push_back(std::move(s));
  }
  return out;
}

template <typename M>
absl::StatusOr<std::optional<Stored<M>>> One(absl::StatusOr<std::vector<store::Row>> rows,
                                             const char* table) {
  auto parsed = Parse<M>(std::move(rows), table);
  if (!parsed.ok()) return parsed.status();
  if (parsed->empty()) return std::optional<Stored<M>>();
  return std::optional<Stored<M>>(std::move(parsed->front()));
}

template <typename M>
std::vector<M> Messages(std::vector<Stored<M>> stored) {
  std::vector<M> out;
  out.reserve(stored.size());
  for (auto& s : stored) out.push_back(std::move(s.message));
  return out;
}

}  // namespace

absl::StatusOr<std::optional<Stored<v1::TrainingSession>>> TrainingRepository::SessionByRequest(
    const std::string& request_id) {
  return One<v1::TrainingSession>(
      tx_.Query("SELECT session_id, payload, request_digest FROM quality_trainings WHERE "
                "request_id = $1",
                {request_id}),
      "quality_trainings");
}

absl::Status TrainingRepository::InsertSession(const v1::TrainingSession& s,
                                               const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO quality_trainings (session_id, request_id, request_digest, kind, "
          "held_date, recorded_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {s.session_id(), s.request_id(), digest, int64_t{s.kind()}, s.held_date(),
           absl::ToUnixMicros(runtime::FromTimestamp(s.recorded_time())),
           store::Blob{s.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<v1::TrainingSession>> TrainingRepository::Sessions(
    const std::string& from, const std::string& to, v1::TrainingKind kind, int limit) {
  std::string sql = absl::StrCat(
      "SELECT session_id, payload FROM quality_trainings WHERE held_date >= $1 AND held_date <= "
      "$2 AND ($3 = 0 OR kind = $3) ORDER BY held_date, session_id LIMIT ",
      limit);
  auto stored =
      Parse<v1::TrainingSession>(tx_.Query(sql, {from, to, int64_t{kind}}), "quality_trainings");
  if (!stored.ok()) return stored.status();
  return Messages(std::move(*stored));
}

absl::StatusOr<std::optional<Stored<v1::Certification>>> TrainingRepository::Certification(
    const std::string& certification_id) {
  return One<v1::Certification>(
      tx_.Query("SELECT certification_id, payload, request_digest FROM quality_certifications "
                "WHERE certification_id = $1",
                {certification_id}),
      "quality_certifications");
}

absl::StatusOr<std::optional<Stored<v1::Certification>>> TrainingRepository::CertificationByRequest(
    const std::string& request_id) {
  return One<v1::Certification>(
      tx_.Query("SELECT certification_id, payload, request_digest FROM quality_certifications "
                "WHERE request_id = $1",
                {request_id}),
      "quality_certifications");
}

absl::Status TrainingRepository::InsertCertification(const v1::Certification& c,
                                                     const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO quality_certifications (certification_id, request_id, request_digest, "
          "expires_date, replaced_by, recorded_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {c.certification_id(), c.request_id(), digest, c.expires_date(),
           c.replaced_by_certification_id(),
           absl::ToUnixMicros(runtime::FromTimestamp(c.recorded_time())),
           store::Blob{c.SerializeAsString()}})
      .status();
}

absl::StatusOr<bool> TrainingRepository::MarkReplaced(const v1::Certification& c,
                                                      const std::string& successor) {
  v1::Certification replaced = c;
  replaced.set_replaced_by_certification_id(successor);
  auto updated = tx_.Execute(
      "UPDATE quality_certifications SET replaced_by = $2, payload = $3 WHERE certification_id "
      "= $1 AND replaced_by = ''",
      {c.certification_id(), successor, store::Blob{replaced.SerializeAsString()}});
  if (!updated.ok()) return updated.status();
  return *updated == 1;
}

absl::StatusOr<std::vector<v1::Certification>> TrainingRepository::ExpiringBy(const std::string& by,
                                                                              int limit) {
  auto stored = Parse<v1::Certification>(
      tx_.Query(absl::StrCat("SELECT certification_id, payload FROM quality_certifications WHERE "
                             "replaced_by = '' AND expires_date <= $1 ORDER BY expires_date, "
                             "certification_id LIMIT ",
                             limit),
                {by}),
      "quality_certifications");
  if (!stored.ok()) return stored.status();
  return Messages(std::move(*stored));
}

absl::StatusOr<std::vector<v1::Certification>> TrainingRepository::AllCertifications() {
  auto stored = Parse<v1::Certification>(
      tx_.Query("SELECT certification_id, payload FROM quality_certifications ORDER BY "
                "expires_date, certification_id"),
      "quality_certifications");
  if (!stored.ok()) return stored.status();
  return Messages(std::move(*stored));
}

absl::StatusOr<int64_t> TrainingRepository::CountExpiringBy(const std::string& by) {
  auto rows = tx_.Query(
      "SELECT COUNT(*) FROM quality_certifications WHERE replaced_by = '' AND expires_date <= $1",
      {by});
  if (!rows.ok()) return rows.status();
  return rows->empty() ? 0 : rows->front().Int(0);
}

}  // namespace parkline::quality
