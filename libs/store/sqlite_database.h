// The SQLite backend of the store (see database.h). One file, WAL journal so that readers never
// wait for the writer, synchronous=FULL so that a commit survives a power cut, a busy timeout so
// that writers from several threads queue instead of failing. Write transactions start with
// BEGIN IMMEDIATE: a writer takes the lock up front, so two writers never deadlock on upgrade.
#ifndef PARKLINE_STORE_SQLITE_DATABASE_H_
#define PARKLINE_STORE_SQLITE_DATABASE_H_

#include <memory>
#include <string>

#include "store/database.h"

namespace parkline::store {

// `path` is a file path ("/var/lib/parkline/x.db", "data/x.db"); its folder is created.
absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path);

// `sql` with each "$N" parameter (PostgreSQL's, which every statement here uses) written "?N",
// outside quotes and comments: SQLite binds "?N" as parameter N, as PostgreSQL does "$N", and
// compiles it without looking the name up among the statement's others.
std::string NumberedParameters(absl::string_view sql);

}  // namespace parkline::store

#endif  // PARKLINE_STORE_SQLITE_DATABASE_H_
