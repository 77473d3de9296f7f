// Numbered schema migrations, applied at start-up. Each component (a service, or a library with
// tables of its own such as the outbox) keeps its list; each migration runs in its own
// transaction together with its row in `schema_migrations`, so a crash leaves the schema at a
// whole version. Migrations never change once released: a change is a new number. A migration
// whose rows cannot be rewritten in SQL alone (a key read from a serialized payload) adds a C++
// `step`, run after its SQL in the same transaction: it fails or commits with it.
#ifndef PARKLINE_STORE_MIGRATIONS_H_
#define PARKLINE_STORE_MIGRATIONS_H_

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "store/database.h"

namespace parkline::store {

struct Migration {
  int version;             // 1, 2, 3 ... in order, no gaps
  absl::string_view name;  // what it does, for the log and the table
  absl::string_view sql;   // one or more statements; may use the dialect tokens of database.h
  // Optional: what SQL cannot do, after `sql`, in the migration's transaction. Its error fails
  // the migration (nothing of it stays).
  std::function<absl::Status(Transaction&)> step = nullptr;
};

// Applies the migrations of `component` whose version is above the recorded one.
//
// A database already at a version above the last of `migrations` (an older release started after
// a newer one migrated it: a rollback, or the old pods of a rolling upgrade restarting) is refused
// with FAILED_PRECONDITION naming both versions, before anything is written: the older code does
// not know what the newer migrations changed. IsSchemaNewerThanBinary() tells that refusal apart.
absl::Status ApplyMigrations(Database& db, absl::string_view component,
                             const std::vector<Migration>& migrations);

// Whether `status` is ApplyMigrations' refusal of a schema newer than the binary's migrations.
bool IsSchemaNewerThanBinary(const absl::Status& status);

}  // namespace parkline::store

#endif  // PARKLINE_STORE_MIGRATIONS_H_
