#include "residents/residents.h"

#include "absl/strings/str_cat.h"
#include "store/migrations.h"

namespace parkline::residents {
namespace {

namespace ev = ::parkline::enterprises::v1;

// Replaces the codes of `uscc` by `codes` (none: no longer resident).
absl::Status SetCodes(store::Transaction& tx, const std::string& uscc,
                      const std::vector<std::string>& codes) {
  auto cleared = tx.Execute("DELETE FROM resident_codes WHERE uscc = $1", {uscc});
  if (!cleared.ok()) return cleared.status();
  for (const std::string& code : codes) {
    if (code.empty()) continue;
    // A customs code moves with a registry update from one enterprise to another.
    auto added = tx.Execute(
        "INSERT INTO resident_codes (code, uscc) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET "
        "uscc = excluded.uscc",
        {code, uscc});
    if (!added.ok()) return added.status();
  }
  return absl::OkStatus();
}

// Replaces the business roles of `uscc` by `roles` (none: no longer resident).
absl::Status SetRoles(store::Transaction& tx, const std::string& uscc,
                      const google::protobuf::RepeatedField<int>& roles) {
  auto cleared = tx.Execute("DELETE FROM resident_roles WHERE uscc = $1", {uscc});
  if (!cleared.ok()) return cleared.status();
  for (int role : roles) {
    auto added =
        tx.Execute("INSERT INTO resident_roles (uscc, role) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   {uscc, int64_t{role}});
    if (!added.ok()) return added.status();
  }
  return absl::OkStatus();
}

absl::Status Resident(store::Transaction& tx, const ev::Enterprise& e) {
  if (e.status() == ev::ENTERPRISE_STATUS_DEPARTED) {
    if (auto s = SetRoles(tx, e.uscc(), {}); !s.ok()) return s;
    return SetCodes(tx, e.uscc(), {});
  }
  if (auto s = SetRoles(tx, e.uscc(), e.roles()); !s.ok()) return s;
  return SetCodes(tx, e.uscc(), {e.uscc(), e.customs_code()});
}

}  // namespace

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "the codes of resident enterprises, projected from parkline.enterprises.v1",
       R"sql(
CREATE TABLE IF NOT EXISTS resident_codes (
  code TEXT PRIMARY KEY,
  uscc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resident_codes_uscc ON resident_codes (uscc);
)sql"},
      {2, "the business roles of resident enterprises (the support service's providers)",
       R"sql(
-- Filled by the registry's next event about each enterprise: a projection older than this
-- migration knows no roles until then.
CREATE TABLE IF NOT EXISTS resident_roles (
  uscc TEXT NOT NULL,
  role BIGINT NOT NULL,
  PRIMARY KEY (uscc, role)
);
)sql"}};
  return store::ApplyMigrations(db, "residents", kMigrations);
}

void Follow(events::EventConsumer& consumer) {
  consumer.On<ev::EnterpriseAdmitted>(OnAdmitted);
  consumer.On<ev::EnterpriseUpdated>(OnUpdated);
  consumer.On<ev::EnterpriseDeparted>(OnDeparted);
}

absl::Status OnAdmitted(store::Transaction& tx, const ev::EnterpriseAdmitted& event) {
  return Resident(tx, event.enterprise());
}

absl::Status OnUpdated(store::Transaction& tx, const ev::EnterpriseUpdated& event) {
  return Resident(tx, event.enterprise());
}

absl::Status OnDeparted(store::Transaction& tx, const ev::EnterpriseDeparted& event) {
  if (auto s = SetRoles(tx, event.enterprise().uscc(), {}); !s.ok()) return s;
  return SetCodes(tx, event.enterprise().uscc(), {});
}

store::Statement SelectResident(const std::vector<std::string>& codes) {
  store::Statement read{"SELECT code FROM resident_codes WHERE code IN (", {}};
  for (const std::string& code : codes) {
    absl::StrAppend(&read.sql, read.params.empty() ? "" : ", ", "$", read.params.size() + 1);
    read.params.push_back(code);
  }
  read.sql += ")";
  return read;
}

absl::StatusOr<std::set<std::string>> ResidentAmong(store::Transaction& tx,
                                                    const std::set<std::string>& codes) {
  std::set<std::string> out;
  if (codes.empty()) return out;
  store::Statement read = SelectResident({codes.begin(), codes.end()});
  auto rows = tx.Query(read.sql, read.params);
  if (!rows.ok()) return rows.status();
  for (const store::Row& r : *rows) out.insert(r.Text(0));
  return out;
}

absl::StatusOr<bool> IsResident(store::Transaction& tx, const std::string& code) {
  auto rows = tx.Query("SELECT 1 FROM resident_codes WHERE code = $1", {code});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

absl::StatusOr<std::set<enterprises::v1::EnterpriseRole>> RolesOf(store::Transaction& tx,
                                                                  const std::string& uscc) {
  auto rows = tx.Query("SELECT role FROM resident_roles WHERE uscc = $1", {uscc});
  if (!rows.ok()) return rows.status();
  std::set<enterprises::v1::EnterpriseRole> out;
  for (const store::Row& r : *rows)
    out.insert(static_cast<enterprises::v1::EnterpriseRole>(r.Int(0)));
  return out;
}

}  // namespace parkline::residents
