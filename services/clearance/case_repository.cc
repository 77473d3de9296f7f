#include "clearance/case_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace parkline::clearance {
namespace {

absl::StatusOr<std::optional<v1::ClearanceCase>> One(absl::StatusOr<std::vector<store::Row>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<v1::ClearanceCase>();
  v1::ClearanceCase c;
  if (!c.ParseFromString(rows->front().Text(0))) {
    return absl::DataLossError("a stored clearance case is unreadable");
  }
  return std::optional<v1::ClearanceCase>(std::move(c));
}

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

}  // namespace

absl::StatusOr<std::optional<v1::ClearanceCase>> CaseRepository::Find(const std::string& id) {
  return One(tx_.Query("SELECT payload FROM clearance_cases WHERE case_id = $1", {id}));
}

absl::StatusOr<std::optional<v1::ClearanceCase>> CaseRepository::FindByOpenKey(
    const std::string& key) {
  return One(tx_.Query("SELECT payload FROM clearance_cases WHERE open_key = $1", {key}));
}

absl::Status CaseRepository::Insert(const std::string& open_key, const v1::ClearanceCase& c) {
  const v1::Inventory& i = c.inventory();
  return tx_
      .Execute(
          "INSERT INTO clearance_cases (case_id, open_key, status, business_mode, direction, "
          "ebp_code, ebc_code, agent_code, logistics_code, payload, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          {c.case_id(), open_key, int64_t{c.status()}, c.business_mode(), int64_t{c.direction()},
           i.ebp_code(), i.ebc_code(), i.agent_code(), i.logistics_code(),
           store::Blob{c.SerializeAsString()}, NowMicros()})
      .status();
}

absl::Status CaseRepository::Update(const v1::ClearanceCase& c) {
  const v1::Inventory& i = c.inventory();
  auto changed = tx_.Execute(
      "UPDATE clearance_cases SET status = $2, agent_code = $3, logistics_code = $4, "
      "payload = $5, updated_at = $6 WHERE case_id = $1",
      {c.case_id(), int64_t{c.status()}, i.agent_code(), i.logistics_code(),
       store::Blob{c.SerializeAsString()}, NowMicros()});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) return absl::NotFoundError(absl::StrCat("no case ", c.case_id()));
  return absl::OkStatus();
}

absl::Status CaseRepository::SaveMessage(const std::string& case_id, const std::string& xml) {
  return tx_.Execute("UPDATE clearance_cases SET message = $2 WHERE case_id = $1", {case_id, xml})
      .status();
}

absl::StatusOr<std::optional<std::string>> CaseRepository::FindMessage(const std::string& id) {
  auto rows = tx_.Query("SELECT message FROM clearance_cases WHERE case_id = $1", {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty() || rows->front().IsNull(0)) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().Text(0));
}

absl::StatusOr<std::vector<v1::ClearanceCase>> CaseRepository::List(const CaseFilter& f,
                                                                    const std::string& after,
                                                                    int limit) {
  std::string sql = "SELECT payload FROM clearance_cases WHERE case_id > $1";
  store::Params params = {after};
  auto bind = [&](store::Value v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  };
  if (!f.enterprise_code.empty()) {
    std::string p = bind(f.enterprise_code);
    absl::StrAppend(&sql, " AND (ebp_code = ", p, " OR ebc_code = ", p, " OR agent_code = ", p,
                    " OR logistics_code = ", p, ")");
  }
  if (f.status != v1::CASE_STATUS_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND status = ", bind(int64_t{f.status}));
  }
  if (!f.statuses.empty()) {
    absl::StrAppend(&sql, " AND status IN (");
    for (size_t i = 0; i < f.statuses.size(); ++i) {
      absl::StrAppend(&sql, i > 0 ? ", " : "", bind(int64_t{f.statuses[i]}));
    }
    absl::StrAppend(&sql, ")");
  }
  if (!f.business_mode.empty())
    absl::StrAppend(&sql, " AND business_mode = ", bind(f.business_mode));
  if (f.direction != 0) absl::StrAppend(&sql, " AND direction = ", bind(int64_t{f.direction}));
  absl::StrAppend(&sql, " ORDER BY case_id LIMIT ", bind(int64_t{limit}));
  auto rows = tx_.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<v1::ClearanceCase> out;
  for (const auto& row : *rows) {
    v1::ClearanceCase c;
    if (!c.ParseFromString(row.Text(0))) return absl::DataLossError("unreadable case");
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace parkline::clearance
