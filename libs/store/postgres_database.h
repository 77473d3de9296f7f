// The PostgreSQL backend of the store (see database.h), for production: several replicas of a
// service share one database. Write transactions run SERIALIZABLE, so the services' read-check-
// write use cases keep the meaning they have on SQLite (where writers are serialized); a
// serialization failure or deadlock is UNAVAILABLE and Database::Transact runs the function
// again. Reads run REPEATABLE READ READ ONLY: one consistent snapshot.
//
// Connections come from a small pool and are re-opened when they break. Results are read in
// text format and typed by column: integers (and integral numerics) as int64, bytea as Blob,
// booleans as 0/1, everything else as text.
#ifndef PARKLINE_STORE_POSTGRES_DATABASE_H_
#define PARKLINE_STORE_POSTGRES_DATABASE_H_

#include <memory>
#include <string>

#include "store/database.h"

namespace parkline::store {

// `url` is a libpq connection URI, "postgresql://user:password@host:port/dbname?...".
absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const std::string& url);

}  // namespace parkline::store

#endif  // PARKLINE_STORE_POSTGRES_DATABASE_H_
