// The tables of the events library, applied into each service's own database beside its
// domain tables: `outbox` (events waiting to be published, written in the same transaction as
// the state change) and `processed_events` (ids of events a consumer has applied, written in
// the same transaction as the effect).
#ifndef PARKLINE_EVENTS_SCHEMA_H_
#define PARKLINE_EVENTS_SCHEMA_H_

#include "absl/status/status.h"
#include "store/database.h"

namespace parkline::events {

absl::Status ApplyEventsSchema(store::Database& db);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_SCHEMA_H_
