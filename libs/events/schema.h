// The tables of the events library, applied into each service's own database beside its
// domain tables: `outbox` (events waiting to be published, written in the same transaction as
// the state change) and `consumed_events` (ids of events a consumer has applied, written in
// the same transaction as the effect).
#ifndef PARKLINE_EVENTS_SCHEMA_H_
#define PARKLINE_EVENTS_SCHEMA_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/database.h"

namespace parkline::events {

absl::Status ApplyEventsSchema(store::Database& db);

// A random id given to the database the first time the schema is applied, the same for every
// process that shares it. Consumer groups are named with it: a group's committed Kafka offsets
// only make sense for the database that holds the effects, so two databases (a developer's park
// and a test's, two parks on one broker) must never share a group, and the replicas of one
// service on one database always do.
absl::StatusOr<std::string> DatabaseInstanceId(store::Database& db);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_SCHEMA_H_
