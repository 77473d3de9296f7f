#include "support/incubation_repository.h"

#include "absl/strings/str_cat.h"
#include "runtime/proto_time.h"

namespace parkline::support {

absl::Status IncubationRepository::Insert(const v1::Incubatee& i, const std::string& request_id,
                                          const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO incubatees (incubatee_id, request_id, request_digest, cohort, "
          "enterprise_uscc, state, admitted_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {i.incubatee_id(), request_id, digest, i.cohort(), i.enterprise_uscc(),
           int64_t{i.state()}, absl::ToUnixMicros(runtime::FromTimestamp(i.admitted_time())),
           store::Blob{i.SerializeAsString()}})
      .status();
}

absl::Status IncubationRepository::Lock(const std::string& incubatee_id) {
  auto changed =
      tx_.Execute("UPDATE incubatees SET state = state WHERE incubatee_id = $1", {incubatee_id});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) {
    return absl::NotFoundError(absl::StrCat("incubatee_id: no incubatee ", incubatee_id));
  }
  return absl::OkStatus();
}

absl::Status IncubationRepository::Update(const v1::Incubatee& i) {
  auto changed =
      tx_.Execute("UPDATE incubatees SET state = $2, payload = $3 WHERE incubatee_id = $1",
                  {i.incubatee_id(), int64_t{i.state()}, store::Blob{i.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) {
    return absl::NotFoundError(absl::StrCat("incubatee_id: no incubatee ", i.incubatee_id()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Stored<v1::Incubatee>>> IncubationRepository::Find(
    const std::string& column, const std::string& key) {
  return FindStored<v1::Incubatee>(tx_, "incubatees", column, key);
}

absl::StatusOr<bool> IncubationRepository::InIncubator(const std::string& uscc) {
  auto rows =
      tx_.Query("SELECT COUNT(*) FROM incubatees WHERE enterprise_uscc = $1 AND state IN ($2, $3)",
                {uscc, int64_t{v1::INCUBATEE_STATE_ADMITTED}, int64_t{v1::INCUBATEE_STATE_ACTIVE}});
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0) > 0;
}

absl::StatusOr<std::vector<v1::Incubatee>> IncubationRepository::List(const std::string& cohort,
                                                                      v1::IncubateeState state,
                                                                      int limit) {
  auto rows = tx_.Query(
      "SELECT payload FROM incubatees WHERE ($1 = '' OR cohort = $1) AND ($2 = 0 OR state = $2) "
      "ORDER BY admitted_at, incubatee_id LIMIT $3",
      {cohort, int64_t{state}, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  return ParseRows<v1::Incubatee>(*rows);
}

absl::StatusOr<std::optional<MilestoneRequest>> IncubationRepository::FindMilestoneRequest(
    const std::string& request_id) {
  auto rows = tx_.Query(
      "SELECT request_digest, incubatee_id FROM incubation_milestones WHERE request_id = $1",
      {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<MilestoneRequest>();
  return std::optional<MilestoneRequest>(
      MilestoneRequest{rows->front().Text(0), rows->front().Text(1)});
}

absl::Status IncubationRepository::InsertMilestoneRequest(const std::string& request_id,
                                                          const std::string& digest,
                                                          const std::string& incubatee_id,
                                                          const std::string& milestone_id) {
  return tx_
      .Execute(
          "INSERT INTO incubation_milestones (request_id, request_digest, incubatee_id, "
          "milestone_id) VALUES ($1, $2, $3, $4)",
          {request_id, digest, incubatee_id, milestone_id})
      .status();
}

}  // namespace parkline::support
