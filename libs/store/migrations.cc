#include "store/migrations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace parkline::store {
namespace {

// Marks the refusal so that callers (the service host: exit code 2) need not parse the message.
constexpr absl::string_view kSchemaNewerPayload = "type.parkline.dev/store.SchemaNewerThanBinary";

}  // namespace

bool IsSchemaNewerThanBinary(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) && status.GetPayload(kSchemaNewerPayload).has_value();
}

absl::Status ApplyMigrations(Database& db, absl::string_view component,
                             const std::vector<Migration>& migrations) {
  // Every step runs under the database's exclusive lock: replicas starting at once apply each
  // migration exactly once, one after the other.
  const std::string lock = db.ExclusiveLockSql();
  auto exclusive = [&lock](Transaction& tx) {
    return lock.empty() ? absl::OkStatus() : tx.Query(lock).status();
  };
  absl::Status created = db.Transact([&](Transaction& tx) -> absl::Status {
    if (auto s = exclusive(tx); !s.ok()) return s;
    if (auto s = tx.ExecuteScript(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " component TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL,"
            " applied_at BIGINT NOT NULL, PRIMARY KEY (component, version))");
        !s.ok()) {
      return s;
    }
    auto newest = tx.Query(
        "SELECT version, name FROM schema_migrations WHERE component = $1 "
        "ORDER BY version DESC LIMIT 1",
        {std::string(component)});
    if (!newest.ok()) return newest.status();
    if (newest->empty()) return absl::OkStatus();
    const int64_t at = newest->front().Int(0);
    const int64_t known = static_cast<int64_t>(migrations.size());
    if (at <= known) return absl::OkStatus();
    absl::Status refused = absl::FailedPreconditionError(absl::StrCat(
        "the ", component, " schema is at version ", at, " (", newest->front().Text(1),
        "), newer than this binary knows (version ", known,
        "): run the release that migrated it or a later one; to go back, restore the backup "
        "taken before the upgrade (deploy/README.md, \"Upgrades and rollbacks\")"));
    refused.SetPayload(kSchemaNewerPayload, absl::Cord(component));
    return refused;
  });
  if (!created.ok()) return created;
  for (size_t i = 0; i < migrations.size(); ++i) {
    const Migration& m = migrations[i];
    if (m.version != static_cast<int>(i) + 1) {
      return absl::InternalError(absl::StrCat(component, " migration #", i, " has version ",
                                              m.version, ", expected ", i + 1));
    }
    absl::Status applied = db.Transact([&](Transaction& tx) -> absl::Status {
      // Checked inside the transaction, so that two processes starting at once apply it once.
      if (auto s = exclusive(tx); !s.ok()) return s;
      auto done = tx.Query("SELECT 1 FROM schema_migrations WHERE component = $1 AND version = $2",
                           {std::string(component), int64_t{m.version}});
      if (!done.ok()) return done.status();
      if (!done->empty()) return absl::OkStatus();
      absl::Status s = m.sql.empty() ? absl::OkStatus() : tx.ExecuteScript(m.sql);
      if (s.ok() && m.step) s = m.step(tx);
      if (!s.ok()) {
        // The payloads go along: a busy file or a conflict keeps its cause (TransientCause), so
        // that it is retried and counted as what it is, not as the function's own "other".
        absl::Status named(s.code(), absl::StrCat(component, " migration ", m.version, " (", m.name,
                                                  "): ", s.message()));
        s.ForEachPayload([&named](absl::string_view type_url, const absl::Cord& payload) {
          named.SetPayload(type_url, payload);
        });
        return named;
      }
      return tx
          .Execute(
              "INSERT INTO schema_migrations (component, version, name, applied_at) "
              "VALUES ($1, $2, $3, $4)",
              {std::string(component), int64_t{m.version}, std::string(m.name),
               absl::ToUnixMicros(absl::Now())})
          .status();
    });
    if (!applied.ok()) return applied;
  }
  return absl::OkStatus();
}

}  // namespace parkline::store
