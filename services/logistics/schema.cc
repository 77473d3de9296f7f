#include "logistics/schema.h"

#include "store/migrations.h"

namespace parkline::logistics {

absl::Status ApplySchema(store::Database& db) {
  static const std::vector<store::Migration> kMigrations = {
      {1, "shipments, their timelines, customs milestones waiting for their shipment",
       R"sql(
-- One row per (carrier, waybill). Times are microseconds since the epoch, UTC; status_time 0
-- while no entry set a status. released_at is the first customs release (the coverage report
-- counts by it); ebp_code is the platform of order_key (enterprise callers list by it).
CREATE TABLE shipments (
  carrier_code TEXT NOT NULL,
  waybill_no TEXT NOT NULL,
  order_key TEXT NOT NULL,
  ebp_code TEXT NOT NULL,
  direction BIGINT NOT NULL,
  business_mode TEXT NOT NULL,
  status BIGINT NOT NULL,
  reason BIGINT NOT NULL,
  status_time BIGINT NOT NULL,
  stale BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_news_at BIGINT NOT NULL,
  unmapped BIGINT NOT NULL,
  released_at BIGINT,
  PRIMARY KEY (carrier_code, waybill_no)
);
CREATE INDEX shipments_order_key ON shipments (order_key);
CREATE INDEX shipments_ebp ON shipments (ebp_code);
CREATE INDEX shipments_status ON shipments (status);
CREATE INDEX shipments_released ON shipments (released_at);
CREATE INDEX shipments_news ON shipments (last_news_at);
-- Every entry as received (the raw event is kept in payload, a logistics.v1.TimelineEntry);
-- dedup_key makes the same event stored once.
CREATE TABLE timeline_entries (
  seq {{id}},
  carrier_code TEXT NOT NULL,
  waybill_no TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  status BIGINT NOT NULL,
  event_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  payload {{blob}} NOT NULL,
  UNIQUE (carrier_code, waybill_no, dedup_key)
);
CREATE INDEX timeline_entries_shipment ON timeline_entries (carrier_code, waybill_no, seq);
-- Customs milestones by declaration: clearance's events may come before the shipment (or its
-- order key) is known here, so each is kept and joins every shipment that carries the order.
CREATE TABLE customs_milestones (
  order_key TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  payload {{blob}} NOT NULL,
  PRIMARY KEY (order_key, dedup_key)
);
)sql"},
      {2, "the waybills declarations accepted: a carrier ties a shipment to an order through them",
       R"sql(
-- Which logistics enterprise's waybill (logistics_code, logistics_no) is for which order, as
-- declarations accepted it (a waybill's DocumentReceived, a DeclarationMatched's waybill); the
-- only proof RegisterShipment accepts that a carrier's shipment carries an order
-- (shipment_binding.h). Nothing a carrier sends writes here. order_key is "/<order_no>" for a
-- waybill that came before its order, under the events of before #18. received_at: micros.
CREATE TABLE waybills (
  logistics_code TEXT NOT NULL,
  logistics_no TEXT NOT NULL,
  order_key TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (logistics_code, logistics_no, order_key)
);
CREATE INDEX waybills_order ON waybills (logistics_code, order_key);
)sql"}};
  return store::ApplyMigrations(db, "logistics", kMigrations);
}

}  // namespace parkline::logistics
