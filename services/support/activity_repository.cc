#include "support/activity_repository.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "secrets/sealed_box.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kActivityColumns[] =
    "SELECT payload, request_digest, seats_taken, seats_waiting FROM activities ";
constexpr char kRegistrationColumns[] =
    "SELECT payload, request_digest, status, attended, names_key_id, names_box "
    "FROM registrations ";

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

// The box is bound to its row: a box copied to another registration does not open.
std::string NamesAad(const std::string& registration_id) {
  return absl::StrCat("support/registrations/", registration_id);
}

absl::StatusOr<StoredActivity> ActivityOf(const store::Row& row) {
  StoredActivity out;
  if (!out.activity.ParseFromString(row.Text(0))) {
    return absl::DataLossError("an activity's payload does not parse");
  }
  out.request_digest = row.Text(1);
  out.activity.set_seats_taken(static_cast<int32_t>(row.Int(2)));
  out.activity.set_seats_waiting(static_cast<int32_t>(row.Int(3)));
  // Stored before activities had a status (migration 3): scheduled.
  if (out.activity.status() == v1::ACTIVITY_STATUS_UNSPECIFIED) {
    out.activity.set_status(v1::ACTIVITY_STATUS_SCHEDULED);
  }
  return out;
}

}  // namespace

absl::Status ActivityRepository::InsertActivity(const v1::Activity& a,
                                                const std::string& request_id,
                                                const std::string& digest) {
  v1::Activity payload = a;
  payload.clear_seats_taken();
  payload.clear_seats_waiting();
  return tx_
      .Execute(
          "INSERT INTO activities (activity_id, request_id, request_digest, kind, starts_at, "
          "ends_at, capacity, seats_taken, seats_waiting, payload, status) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $9)",
          {a.activity_id(), request_id, digest, int64_t{a.kind()}, Micros(a.starts_time()),
           Micros(a.ends_time()), int64_t{a.capacity()}, store::Blob{payload.SerializeAsString()},
           int64_t{a.status()}})
      .status();
}

absl::Status ActivityRepository::MarkCancelled(const v1::Activity& a) {
  v1::Activity payload = a;
  payload.clear_seats_taken();
  payload.clear_seats_waiting();
  auto changed = tx_.Execute(
      "UPDATE activities SET status = $2, seats_taken = 0, seats_waiting = 0, payload = $3 "
      "WHERE activity_id = $1",
      {a.activity_id(), int64_t{v1::ACTIVITY_STATUS_CANCELLED},
       store::Blob{payload.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) {
    return absl::NotFoundError(absl::StrCat("activity_id: no activity ", a.activity_id()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StoredActivity>> ActivityRepository::FindActivity(
    const std::string& activity_id) {
  auto rows = tx_.Query(absl::StrCat(kActivityColumns, "WHERE activity_id = $1"), {activity_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredActivity>();
  auto a = ActivityOf(rows->front());
  if (!a.ok()) return a.status();
  return std::optional<StoredActivity>(std::move(*a));
}

absl::StatusOr<std::optional<StoredActivity>> ActivityRepository::FindActivityByRequest(
    const std::string& request_id) {
  auto rows = tx_.Query(absl::StrCat(kActivityColumns, "WHERE request_id = $1"), {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredActivity>();
  auto a = ActivityOf(rows->front());
  if (!a.ok()) return a.status();
  return std::optional<StoredActivity>(std::move(*a));
}

absl::StatusOr<std::vector<v1::Activity>> ActivityRepository::ListActivities(absl::Time from,
                                                                             int limit) {
  auto rows = tx_.Query(absl::StrCat(kActivityColumns,
                                     "WHERE starts_at >= $1 ORDER BY starts_at, activity_id "
                                     "LIMIT $2"),
                        {absl::ToUnixMicros(from), int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<v1::Activity> out;
  for (const store::Row& row : *rows) {
    auto a = ActivityOf(row);
    if (!a.ok()) return a.status();
    out.push_back(std::move(a->activity));
  }
  return out;
}

absl::Status ActivityRepository::SetSeats(const std::string& activity_id, int taken, int waiting) {
  auto changed = tx_.Execute(
      "UPDATE activities SET seats_taken = $2, seats_waiting = $3 WHERE activity_id = $1",
      {activity_id, int64_t{taken}, int64_t{waiting}});
  if (!changed.ok()) return changed.status();
  if (*changed != 1)
    return absl::NotFoundError(absl::StrCat("activity_id: no activity ", activity_id));
  return absl::OkStatus();
}

absl::Status ActivityRepository::InsertRegistration(const v1::Registration& r,
                                                    const std::string& request_id,
                                                    const std::string& digest) {
  secrets::Sealed sealed;
  if (r.attendees_size() > 0) {
    v1::Registration names;
    *names.mutable_attendees() = r.attendees();
    auto s = secrets::Seal(keys_, names.SerializeAsString(), NamesAad(r.registration_id()));
    if (!s.ok()) return s.status();
    sealed = std::move(*s);
  }
  v1::Registration payload = r;
  payload.clear_attendees();
  payload.clear_waiting_position();
  return tx_
      .Execute(
          "INSERT INTO registrations (registration_id, request_id, request_digest, activity_id, "
          "enterprise_uscc, seats, status, attended, registered_at, names_key_id, names_box, "
          "payload, queue_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
          "(SELECT COALESCE(MAX(queue_order), 0) + 1 FROM registrations WHERE activity_id = $4))",
          {r.registration_id(), request_id, digest, r.activity_id(), r.enterprise_uscc(),
           int64_t{r.seats()}, int64_t{r.status()}, int64_t{r.attended()},
           Micros(r.registered_time()), sealed.key_id, store::Blob{sealed.box},
           store::Blob{payload.SerializeAsString()}})
      .status();
}

absl::Status ActivityRepository::UpdateRegistration(const v1::Registration& r) {
  v1::Registration payload = r;
  payload.clear_attendees();
  payload.clear_waiting_position();
  auto changed = tx_.Execute(
      "UPDATE registrations SET status = $2, attended = $3, payload = $4 "
      "WHERE registration_id = $1",
      {r.registration_id(), int64_t{r.status()}, int64_t{r.attended()},
       store::Blob{payload.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) {
    return absl::NotFoundError(
        absl::StrCat("registration_id: no registration ", r.registration_id()));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredRegistration> ActivityRepository::RegistrationOf(const store::Row& row) {
  StoredRegistration out;
  v1::Registration& r = out.registration;
  if (!r.ParseFromString(row.Text(0))) {
    return absl::DataLossError("a registration's payload does not parse");
  }
  out.request_digest = row.Text(1);
  r.set_status(static_cast<v1::RegistrationStatus>(row.Int(2)));
  r.set_attended(static_cast<int32_t>(row.Int(3)));
  if (!row.Text(4).empty()) {
    auto opened = secrets::Open(keys_, secrets::Sealed{row.Text(4), row.Text(5)},
                                NamesAad(r.registration_id()));
    if (!opened.ok()) return opened.status();
    v1::Registration names;
    if (!names.ParseFromString(*opened)) {
      return absl::DataLossError("a registration's sealed names do not parse");
    }
    *r.mutable_attendees() = names.attendees();
  }
  return out;
}

absl::StatusOr<std::optional<StoredRegistration>> ActivityRepository::FindRegistration(
    const std::string& id) {
  auto rows = tx_.Query(absl::StrCat(kRegistrationColumns, "WHERE registration_id = $1"), {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredRegistration>();
  auto r = RegistrationOf(rows->front());
  if (!r.ok()) return r.status();
  return std::optional<StoredRegistration>(std::move(*r));
}

absl::StatusOr<std::optional<StoredRegistration>> ActivityRepository::FindRegistrationByRequest(
    const std::string& request_id) {
  auto rows = tx_.Query(absl::StrCat(kRegistrationColumns, "WHERE request_id = $1"), {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredRegistration>();
  auto r = RegistrationOf(rows->front());
  if (!r.ok()) return r.status();
  return std::optional<StoredRegistration>(std::move(*r));
}

absl::StatusOr<std::vector<v1::Registration>> ActivityRepository::ListRegistrations(
    const std::string& uscc, const std::string& activity_id) {
  auto rows = tx_.Query(
      absl::StrCat(kRegistrationColumns,
                   "WHERE ($1 = '' OR enterprise_uscc = $1) AND ($2 = '' OR activity_id = $2) "
                   "ORDER BY registered_at, activity_id, queue_order LIMIT 1000"),
      {uscc, activity_id});
  if (!rows.ok()) return rows.status();
  return RegistrationsOf(*rows);
}

absl::StatusOr<std::vector<v1::Registration>> ActivityRepository::RegistrationsOf(
    const std::vector<store::Row>& rows) {
  std::vector<v1::Registration> out;
  for (const store::Row& row : rows) {
    auto r = RegistrationOf(row);
    if (!r.ok()) return r.status();
    out.push_back(std::move(r->registration));
  }
  return out;
}

absl::StatusOr<std::vector<v1::Registration>> ActivityRepository::HoldingOrWaiting(
    const std::string& activity_id) {
  auto rows = tx_.Query(absl::StrCat(kRegistrationColumns,
                                     "WHERE activity_id = $1 AND status IN ($2, $3) "
                                     "ORDER BY queue_order"),
                        {activity_id, int64_t{v1::REGISTRATION_STATUS_CONFIRMED},
                         int64_t{v1::REGISTRATION_STATUS_WAITING}});
  if (!rows.ok()) return rows.status();
  return RegistrationsOf(*rows);
}

absl::StatusOr<std::vector<Waiting>> ActivityRepository::WaitingList(
    const std::string& activity_id) {
  auto rows = tx_.Query(
      "SELECT registration_id, seats FROM registrations WHERE activity_id = $1 AND status = $2 "
      "ORDER BY queue_order",
      {activity_id, int64_t{v1::REGISTRATION_STATUS_WAITING}});
  if (!rows.ok()) return rows.status();
  std::vector<Waiting> out;
  for (const store::Row& row : *rows) {
    out.push_back(Waiting{row.Text(0), static_cast<int>(row.Int(1))});
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<v1::ActivityKind, ActivityRepository::KindTotals>>>
ActivityRepository::Figures(absl::Time from, absl::Time to, absl::Time now) {
  std::vector<store::Statement> statements = {
      // A cancelled activity was not held (its registrations are all CANCELLED, so it adds no
      // attendance either).
      {"SELECT kind, COUNT(*) FROM activities WHERE starts_at >= $1 AND starts_at < $2 "
       "AND ends_at <= $3 AND status <> $4 GROUP BY kind",
       {absl::ToUnixMicros(from), absl::ToUnixMicros(to), absl::ToUnixMicros(now),
        int64_t{v1::ACTIVITY_STATUS_CANCELLED}}},
      {"SELECT a.kind, CAST(SUM(r.attended) AS BIGINT), COUNT(DISTINCT r.enterprise_uscc) FROM "
       "registrations r "
       "JOIN activities a ON a.activity_id = r.activity_id WHERE a.starts_at >= $1 AND "
       "a.starts_at < $2 AND a.ends_at <= $3 AND r.status = $4 AND r.attended > 0 "
       "GROUP BY a.kind",
       {absl::ToUnixMicros(from), absl::ToUnixMicros(to), absl::ToUnixMicros(now),
        int64_t{v1::REGISTRATION_STATUS_ATTENDED}}}};
  auto results = tx_.QueryAll(statements);
  if (!results.ok()) return results.status();
  std::map<int64_t, KindTotals> totals;
  for (const store::Row& row : (*results)[0]) {
    totals[row.Int(0)].activities_held = static_cast<int>(row.Int(1));
  }
  for (const store::Row& row : (*results)[1]) {
    totals[row.Int(0)].attendees_confirmed = static_cast<int>(row.Int(1));
    totals[row.Int(0)].enterprises_attending = static_cast<int>(row.Int(2));
  }
  std::vector<std::pair<v1::ActivityKind, KindTotals>> out;
  for (const auto& [kind, t] : totals) out.emplace_back(static_cast<v1::ActivityKind>(kind), t);
  return out;
}

}  // namespace parkline::support
