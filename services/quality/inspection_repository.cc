#include "quality/inspection_repository.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "runtime/job_errors.h"

namespace parkline::quality {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kColumns[] = "inspection_id, payload, request_digest, head_sequence, head_hash";

absl::StatusOr<std::optional<StoredInspection>> One(absl::StatusOr<std::vector<store::Row>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredInspection>();
  const store::Row& r = rows->front();
  StoredInspection s;
  if (!s.inspection.ParseFromString(r.Text(1))) {
    return runtime::UnreadableRow("quality_inspections",
                                  absl::StrCat("stored inspection ", r.Text(0), " is unreadable"));
  }
  s.request_digest = r.Text(2);
  s.head = hashchain::Head{r.Int(3), r.Text(4)};
  return std::optional<StoredInspection>(std::move(s));
}

}  // namespace

absl::StatusOr<std::optional<StoredInspection>> InspectionRepository::Find(
    const std::string& inspection_id) {
  return One(tx_.Query(
      absl::StrCat("SELECT ", kColumns, " FROM quality_inspections WHERE inspection_id = $1"),
      {inspection_id}));
}

absl::StatusOr<std::optional<StoredInspection>> InspectionRepository::FindByRequest(
    const std::string& request_id) {
  return One(tx_.Query(
      absl::StrCat("SELECT ", kColumns, " FROM quality_inspections WHERE request_id = $1"),
      {request_id}));
}

absl::StatusOr<std::optional<std::string>> InspectionRepository::InspectionOf(
    const std::string& action_id) {
  auto rows =
      tx_.Query("SELECT inspection_id FROM quality_actions WHERE action_id = $1", {action_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().Text(0));
}

absl::Status InspectionRepository::Insert(const StoredInspection& s) {
  const v1::Inspection& in = s.inspection;
  auto inserted = tx_.Execute(
      "INSERT INTO quality_inspections (inspection_id, request_id, request_digest, kind, "
      "filer_uscc, recorded_at, head_sequence, head_hash, payload) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, $9)",
      {in.inspection_id(), in.request_id(), s.request_digest, int64_t{in.kind()}, in.filer_uscc(),
       TimeUtil::TimestampToMicroseconds(in.recorded_time()), s.head.sequence, s.head.hash,
       store::Blob{in.SerializeAsString()}});
  if (!inserted.ok()) return inserted.status();
  for (const v1::CorrectiveAction& a : in.actions()) {
    auto row = tx_.Execute(
        "INSERT INTO quality_actions (action_id, inspection_id, status, due_at, department) "
        "VALUES ($1, $2, $3, $4, $5)",
        {a.action_id(), a.inspection_id(), int64_t{a.status()},
         TimeUtil::TimestampToMicroseconds(a.due_by()), a.owner_department()});
    if (!row.ok()) return row.status();
  }
  return absl::OkStatus();
}

absl::Status InspectionRepository::Update(const v1::Inspection& in, const hashchain::Head& head) {
  auto updated = tx_.Execute(
      "UPDATE quality_inspections SET payload = $2, head_sequence = $3, head_hash = $4 WHERE "
      "inspection_id = $1",
      {in.inspection_id(), store::Blob{in.SerializeAsString()}, head.sequence, head.hash});
  if (!updated.ok()) return updated.status();
  for (const v1::CorrectiveAction& a : in.actions()) {
    auto row = tx_.Execute("UPDATE quality_actions SET status = $2 WHERE action_id = $1",
                           {a.action_id(), int64_t{a.status()}});
    if (!row.ok()) return row.status();
  }
  return absl::OkStatus();
}

absl::Status InspectionRepository::Append(const std::string& inspection_id,
                                          const v1::InspectionRecordEntry& e) {
  return tx_
      .Execute(
          "INSERT INTO quality_inspection_record (inspection_id, sequence, request_id, "
          "previous_hash, hash, payload) VALUES ($1, $2, $3, $4, $5, $6)",
          {inspection_id, e.sequence(), e.request_id(), e.previous_hash(), e.hash(),
           store::Blob{e.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<v1::InspectionRecordEntry>> InspectionRepository::Record(
    const std::string& inspection_id) {
  auto rows = tx_.Query(
      "SELECT sequence, payload FROM quality_inspection_record WHERE inspection_id = $1 ORDER BY "
      "sequence",
      {inspection_id});
  if (!rows.ok()) return rows.status();
  std::vector<v1::InspectionRecordEntry> out;
  for (const store::Row& r : *rows) {
    v1::InspectionRecordEntry e;
    if (!e.ParseFromString(r.Text(1))) {
      return runtime::UnreadableRow(
          "quality_inspection_record",
          absl::StrCat("entry ", r.Int(0), " of inspection ", inspection_id, " is unreadable"));
    }
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::optional<v1::InspectionRecordEntry>> InspectionRepository::EntryByRequest(
    const std::string& request_id) {
  auto rows = tx_.Query("SELECT payload FROM quality_inspection_record WHERE request_id = $1",
                        {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<v1::InspectionRecordEntry>();
  v1::InspectionRecordEntry e;
  if (!e.ParseFromString(rows->front().Text(0))) {
    return runtime::UnreadableRow("quality_inspection_record",
                                  absl::StrCat("entry of request ", request_id, " is unreadable"));
  }
  return std::optional<v1::InspectionRecordEntry>(std::move(e));
}

absl::StatusOr<std::vector<v1::Inspection>> InspectionRepository::List(v1::InspectionKind kind,
                                                                       const std::string& filer,
                                                                       int limit) {
  std::string sql = "SELECT inspection_id, payload FROM quality_inspections WHERE 1 = 1";
  store::Params params;
  if (kind != v1::INSPECTION_KIND_UNSPECIFIED) {
    params.push_back(int64_t{kind});
    absl::StrAppend(&sql, " AND kind = $", params.size());
  }
  if (!filer.empty()) {
    params.push_back(filer);
    absl::StrAppend(&sql, " AND filer_uscc = $", params.size());
  }
  absl::StrAppend(&sql, " ORDER BY recorded_at DESC, inspection_id DESC LIMIT ", limit);
  auto rows = tx_.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<v1::Inspection> out;
  for (const store::Row& r : *rows) {
    v1::Inspection in;
    if (!in.ParseFromString(r.Text(1))) {
      return runtime::UnreadableRow(
          "quality_inspections", absl::StrCat("stored inspection ", r.Text(0), " is unreadable"));
    }
    out.push_back(std::move(in));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> InspectionRepository::AllIds() {
  auto rows = tx_.Query("SELECT inspection_id FROM quality_inspections ORDER BY inspection_id");
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  for (const store::Row& r : *rows) out.push_back(r.Text(0));
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> InspectionRepository::Due(
    int64_t now_micros, int limit) {
  auto rows = tx_.Query(
      absl::StrCat("SELECT action_id, inspection_id FROM quality_actions WHERE status = $1 AND "
                   "due_at <= $2 ORDER BY due_at LIMIT ",
                   limit),
      {int64_t{v1::ACTION_STATUS_OPEN}, now_micros});
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::string, std::string>> out;
  for (const store::Row& r : *rows) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

absl::StatusOr<int64_t> InspectionRepository::CountOverdue() {
  auto rows = tx_.Query("SELECT COUNT(*) FROM quality_actions WHERE status = $1",
                        {int64_t{v1::ACTION_STATUS_OVERDUE}});
  if (!rows.ok()) return rows.status();
  return rows->empty() ? 0 : rows->front().Int(0);
}

}  // namespace parkline::quality
