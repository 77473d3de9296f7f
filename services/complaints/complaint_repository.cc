#include "complaints/complaint_repository.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "runtime/job_errors.h"

namespace parkline::complaints {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

constexpr char kComplaintColumns[] =
    "complaint_id, payload, contact, request_digest, head_sequence, head_hash, status, "
    "acknowledgement_overdue, resolution_overdue";

absl::StatusOr<StoredComplaint> FromRow(const store::Row& r) {
  StoredComplaint s;
  if (!s.complaint.ParseFromString(r.Text(1)) || !s.contact.ParseFromString(r.Text(2))) {
    return runtime::UnreadableRow("complaints",
                                  absl::StrCat("stored complaint ", r.Text(0), " is unreadable"));
  }
  s.request_digest = r.Text(3);
  s.head = ChainHead{r.Int(4), r.Text(5)};
  return s;
}

constexpr char kStepColumns[] = "complaint_id, sequence, action, actor, request_id, request_digest";

absl::StatusOr<std::optional<AppliedStep>> OneStep(absl::StatusOr<std::vector<store::Row>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<AppliedStep>();
  const store::Row& r = rows->front();
  return std::optional<AppliedStep>(
      AppliedStep{r.Text(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
}

std::string DetailsJson(const v1::RecordEntry& e) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : e.details()) j[k] = v;
  return j.dump();
}

}  // namespace

absl::StatusOr<std::optional<StoredComplaint>> ComplaintRepository::Find(
    const std::string& complaint_id) {
  auto rows = tx_.Query(
      absl::StrCat("SELECT ", kComplaintColumns, " FROM complaints WHERE complaint_id = $1"),
      {complaint_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredComplaint>();
  auto s = FromRow(rows->front());
  if (!s.ok()) return s.status();
  return std::optional<StoredComplaint>(std::move(*s));
}

absl::StatusOr<std::optional<std::string>> ComplaintRepository::FindByRequest(
    const std::string& request_id) {
  auto rows = tx_.Query("SELECT complaint_id FROM complaints WHERE request_id = $1", {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().Text(0));
}

absl::Status ComplaintRepository::Insert(const StoredComplaint& s) {
  const v1::Complaint& c = s.complaint;
  return tx_
      .Execute(
          "INSERT INTO complaints (complaint_id, request_id, request_digest, status, category, "
          "complainant_uscc, forwarded_uscc, filed_at, acknowledge_by, resolve_by, "
          "acknowledgement_overdue, resolution_overdue, head_sequence, head_hash, payload, "
          "contact, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
          "$14, $15, $16, $17)",
          {c.complaint_id(), c.request_id(), s.request_digest, int64_t{c.status()},
           int64_t{c.category()}, c.complainant().uscc(), c.forwarded_to_uscc(),
           Micros(c.filed_time()), Micros(c.acknowledge_by()), Micros(c.resolve_by()),
           int64_t{c.acknowledgement_overdue()}, int64_t{c.resolution_overdue()}, s.head.sequence,
           s.head.hash, store::Blob{c.SerializeAsString()},
           store::Blob{s.contact.SerializeAsString()}, Micros(c.update_time())})
      .status();
}

absl::Status ComplaintRepository::Update(const v1::Complaint& c, const ChainHead& head) {
  auto changed = tx_.Execute(
      "UPDATE complaints SET status = $2, forwarded_uscc = $3, acknowledge_by = $4, "
      "resolve_by = $5, acknowledgement_overdue = $6, resolution_overdue = $7, "
      "head_sequence = $8, head_hash = $9, payload = $10, updated_at = $11 "
      "WHERE complaint_id = $1",
      {c.complaint_id(), int64_t{c.status()}, c.forwarded_to_uscc(), Micros(c.acknowledge_by()),
       Micros(c.resolve_by()), int64_t{c.acknowledgement_overdue()},
       int64_t{c.resolution_overdue()}, head.sequence, head.hash,
       store::Blob{c.SerializeAsString()}, Micros(c.update_time())});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) return absl::NotFoundError(absl::StrCat("no complaint ", c.complaint_id()));
  return absl::OkStatus();
}

absl::Status ComplaintRepository::Append(const std::string& complaint_id, const v1::RecordEntry& e,
                                         const std::string& request_id,
                                         const std::string& request_digest) {
  return tx_
      .Execute(
          "INSERT INTO complaint_record (complaint_id, sequence, action, from_status, to_status, "
          "actor, at_micros, note, details, previous_hash, hash, request_id, request_digest) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
          {complaint_id, e.sequence(), e.action(), int64_t{e.from_status()}, int64_t{e.to_status()},
           e.actor(), Micros(e.time()), e.note(), DetailsJson(e), e.previous_hash(), e.hash(),
           request_id, request_digest})
      .status();
}

absl::StatusOr<std::optional<AppliedStep>> ComplaintRepository::StepByRequest(
    const std::string& request_id) {
  // "request_id <> ''" repeats the partial index's condition: without it neither SQLite nor a
  // generic PostgreSQL plan may use complaint_record_request, and every keyed step would scan
  // the whole record.
  return OneStep(tx_.Query(absl::StrCat("SELECT ", kStepColumns,
                                        " FROM complaint_record WHERE request_id = $1 AND "
                                        "request_id <> ''"),
                           {request_id}));
}

absl::StatusOr<std::optional<AppliedStep>> ComplaintRepository::StepAt(
    const std::string& complaint_id, int64_t sequence) {
  return OneStep(tx_.Query(absl::StrCat("SELECT ", kStepColumns,
                                        " FROM complaint_record WHERE complaint_id = $1 AND "
                                        "sequence = $2"),
                           {complaint_id, sequence}));
}

absl::StatusOr<std::vector<v1::RecordEntry>> ComplaintRepository::Record(
    const std::string& complaint_id) {
  auto rows = tx_.Query(
      "SELECT sequence, action, from_status, to_status, actor, at_micros, note, details, "
      "previous_hash, hash FROM complaint_record WHERE complaint_id = $1 ORDER BY sequence",
      {complaint_id});
  if (!rows.ok()) return rows.status();
  std::vector<v1::RecordEntry> out;
  for (const store::Row& r : *rows) {
    v1::RecordEntry e;
    e.set_sequence(r.Int(0));
    e.set_action(r.Text(1));
    e.set_from_status(static_cast<v1::ComplaintStatus>(r.Int(2)));
    e.set_to_status(static_cast<v1::ComplaintStatus>(r.Int(3)));
    e.set_actor(r.Text(4));
    *e.mutable_time() = TimeUtil::MicrosecondsToTimestamp(r.Int(5));
    e.set_note(r.Text(6));
    // A details column that no longer parses is kept as one odd detail, so that verification
    // reports the entry as tampered rather than failing to read the record.
    nlohmann::json details = nlohmann::json::parse(r.Text(7), nullptr, false);
    if (details.is_object()) {
      for (const auto& [k, v] : details.items()) {
        (*e.mutable_details())[k] = v.is_string() ? v.get<std::string>() : v.dump();
      }
    } else {
      (*e.mutable_details())["unreadable"] = r.Text(7);
    }
    e.set_previous_hash(r.Text(8));
    e.set_hash(r.Text(9));
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<StoredComplaint>> ComplaintRepository::Page(const ComplaintFilter& f,
                                                                       int64_t after_micros,
                                                                       const std::string& after_id,
                                                                       int limit) {
  auto rows = tx_.Query(
      absl::StrCat(
          "SELECT ", kComplaintColumns,
          " FROM complaints WHERE (filed_at > $1 OR (filed_at = $1 AND complaint_id > $2)) "
          "AND ($3 = '' OR complainant_uscc = $3 OR forwarded_uscc = $3) "
          "AND ($4 = 0 OR status = $4) AND ($5 = 0 OR category = $5) "
          "AND filed_at >= $6 AND filed_at < $7 ORDER BY filed_at, complaint_id LIMIT $8"),
      {after_micros, after_id, f.party_uscc, int64_t{f.status}, int64_t{f.category},
       f.filed_from_micros, f.filed_to_micros, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<StoredComplaint> out;
  for (const store::Row& r : *rows) {
    auto s = FromRow(r);
    if (!s.ok()) return s.status();
    out.push_back(std::move(*s));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, DeadlineWatch>>> ComplaintRepository::Due(
    int64_t now_micros, int limit) {
  auto rows = tx_.Query(
      "SELECT complaint_id, status, acknowledge_by, resolve_by, acknowledgement_overdue, "
      "resolution_overdue FROM complaints WHERE status NOT IN ($1, $2) AND "
      "((acknowledgement_overdue = 0 AND status = $3 AND acknowledge_by < $4) OR "
      "(resolution_overdue = 0 AND resolve_by < $4)) ORDER BY complaint_id LIMIT $5",
      {int64_t{v1::COMPLAINT_STATUS_RESPONDED}, int64_t{v1::COMPLAINT_STATUS_CLOSED},
       int64_t{v1::COMPLAINT_STATUS_RECEIVED}, now_micros, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::string, DeadlineWatch>> out;
  for (const store::Row& r : *rows) {
    DeadlineWatch w;
    w.status = static_cast<v1::ComplaintStatus>(r.Int(1));
    w.acknowledge_by = absl::FromUnixMicros(r.Int(2));
    w.resolve_by = absl::FromUnixMicros(r.Int(3));
    w.acknowledgement_overdue = r.Int(4) != 0;
    w.resolution_overdue = r.Int(5) != 0;
    out.emplace_back(r.Text(0), w);
  }
  return out;
}

absl::StatusOr<std::optional<std::pair<v1::Feedback, std::string>>>
ComplaintRepository::FindFeedbackByRequest(const std::string& request_id) {
  auto rows =
      tx_.Query("SELECT payload, request_digest FROM feedback WHERE request_id = $1", {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::pair<v1::Feedback, std::string>>();
  v1::Feedback f;
  if (!f.ParseFromString(rows->front().Text(0))) {
    return runtime::UnreadableRow(
        "feedback", absl::StrCat("stored feedback of ", request_id, " is unreadable"));
  }
  return std::optional<std::pair<v1::Feedback, std::string>>({f, rows->front().Text(1)});
}

absl::Status ComplaintRepository::InsertFeedback(const v1::Feedback& f, const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO feedback (feedback_id, request_id, request_digest, recorded_at, payload) "
          "VALUES ($1, $2, $3, $4, $5)",
          {f.feedback_id(), f.request_id(), digest, Micros(f.recorded_time()),
           store::Blob{f.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<v1::Feedback>> ComplaintRepository::FeedbackPage(
    int64_t after_micros, const std::string& after_id, int limit) {
  auto rows = tx_.Query(
      "SELECT payload FROM feedback WHERE recorded_at > $1 OR (recorded_at = $1 AND "
      "feedback_id > $2) ORDER BY recorded_at, feedback_id LIMIT $3",
      {after_micros, after_id, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<v1::Feedback> out;
  for (const store::Row& r : *rows) {
    v1::Feedback f;
    if (!f.ParseFromString(r.Text(0)))
      return runtime::UnreadableRow("feedback", "stored feedback is unreadable");
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace parkline::complaints
