#include "clearance/mandate_repository.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "runtime/job_errors.h"

namespace parkline::clearance {
namespace {

using google::protobuf::util::TimeUtil;

absl::StatusOr<std::vector<v1::Mandate>> All(absl::StatusOr<std::vector<store::Row>> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<v1::Mandate> out;
  for (const auto& row : *rows) {
    v1::Mandate m;
    if (!m.ParseFromString(row.Text(0))) {
      return runtime::UnreadableRow("mandates", "a stored mandate is unreadable");
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::optional<v1::Mandate>> MandateRepository::Find(const std::string& id) {
  auto all = All(tx_.Query("SELECT payload FROM clearance_mandates WHERE mandate_id = $1", {id}));
  if (!all.ok()) return all.status();
  if (all->empty()) return std::optional<v1::Mandate>();
  return std::optional<v1::Mandate>(std::move(all->front()));
}

absl::StatusOr<std::vector<v1::Mandate>> MandateRepository::ForPair(const std::string& ebc_code,
                                                                    const std::string& agent_code) {
  return All(
      tx_.Query("SELECT payload FROM clearance_mandates WHERE ebc_code = $1 AND agent_code = $2 "
                "ORDER BY mandate_id",
                {ebc_code, agent_code}));
}

absl::Status MandateRepository::Insert(const v1::Mandate& m, const std::string& granted_by) {
  return tx_
      .Execute(
          "INSERT INTO clearance_mandates (mandate_id, ebc_code, agent_code, valid_from, "
          "valid_until, granted_by, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {m.mandate_id(), m.ebc_code(), m.agent_code(),
           int64_t{TimeUtil::TimestampToMicroseconds(m.valid_from())},
           int64_t{TimeUtil::TimestampToMicroseconds(m.valid_until())}, granted_by,
           store::Blob{m.SerializeAsString()}})
      .status();
}

absl::Status MandateRepository::Revoke(const v1::Mandate& m, const std::string& revoked_by) {
  auto changed = tx_.Execute(
      "UPDATE clearance_mandates SET revoked_at = $2, revoked_by = $3, payload = $4 "
      "WHERE mandate_id = $1",
      {m.mandate_id(), int64_t{TimeUtil::TimestampToMicroseconds(m.revoke_time())}, revoked_by,
       store::Blob{m.SerializeAsString()}});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) return absl::NotFoundError(absl::StrCat("no mandate ", m.mandate_id()));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Mandate>> MandateRepository::List(const std::string& code,
                                                                 const std::string& after,
                                                                 int limit) {
  if (code.empty()) {
    return All(tx_.Query(
        "SELECT payload FROM clearance_mandates WHERE mandate_id > $1 ORDER BY mandate_id "
        "LIMIT $2",
        {after, int64_t{limit}}));
  }
  return All(
      tx_.Query("SELECT payload FROM clearance_mandates WHERE mandate_id > $1 AND "
                "(ebc_code = $2 OR agent_code = $2) ORDER BY mandate_id LIMIT $3",
                {after, code, int64_t{limit}}));
}

}  // namespace parkline::clearance
