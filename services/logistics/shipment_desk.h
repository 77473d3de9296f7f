// The logistics use cases (6.5.4): shipments created from waybills or registered, carriers'
// tracking events normalized onto one timeline with customs' milestones, the current status kept
// by the rules of status_model.h, shipments without news marked STALE, and the coverage report
// of 8.2.5.3. Each write validates first, then changes state and appends its events to the outbox
// in one transaction, then wakes the relay and the shipment's watchers.
//
// Thread-safe: every method runs in its own database transaction.
#ifndef PARKLINE_LOGISTICS_SHIPMENT_DESK_H_
#define PARKLINE_LOGISTICS_SHIPMENT_DESK_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "events/consumer.h"
#include "logistics/customs_milestones.h"
#include "logistics/shipment_repository.h"
#include "logistics/status_mapping.h"
#include "logistics/tracking_rules.h"
#include "logistics/watch_hub.h"
#include "parkline/declarations/v1/events.pb.h"
#include "parkline/logistics/v1/logistics.pb.h"
#include "store/database.h"

namespace parkline::logistics {

inline constexpr char kTopic[] = "parkline.logistics.v1";
inline constexpr char kSource[] = "/parkline/logistics";

struct TrackerOptions {
  TrackingLimits limits;
  // A shipment not at an end without news for this long becomes STALE.
  absl::Duration stale_after = absl::Hours(72);
};

class ShipmentDesk {
 public:
  // `events_committed` runs after a transaction that appended events (wakes the relay).
  ShipmentDesk(store::Database& db, const StatusMapping& mapping, WatchHub& hub,
               std::function<void()> events_committed, TrackerOptions options = {});

  // A carrier's own shipment, tied to an order only through the carrier's own stored waybill for
  // it (MayBindShipment, shipment_binding.h): a refusal is PERMISSION_DENIED and stores nothing.
  absl::StatusOr<v1::Shipment> Register(const auth::Viewer& viewer,
                                        const v1::RegisterShipmentRequest& request, absl::Time now);
  // All or nothing: one bad event (or unknown waybill) rejects the batch.
  absl::StatusOr<v1::ReportTrackingEventsResponse> Report(
      const v1::ReportTrackingEventsRequest& request, absl::Time now);

  absl::StatusOr<v1::Shipment> Get(const v1::GetShipmentRequest& request);
  // The whole timeline in event-time order.
  absl::StatusOr<v1::GetTimelineResponse> Timeline(const v1::GetShipmentRequest& request);
  // For a watch: the shipment and its entries stored after `after_seq`, in storage order.
  absl::StatusOr<v1::WatchShipmentResponse> Since(const v1::GetShipmentRequest& request,
                                                  int64_t after_seq);
  absl::StatusOr<v1::ListShipmentsResponse> List(const v1::ListShipmentsRequest& request);
  absl::StatusOr<v1::CoverageReport> Coverage(const v1::CoverageReportRequest& request);

  // Marks the shipments without news for stale_after as STALE; returns how many.
  absl::StatusOr<int> MarkStale(absl::Time now);

  // Consumer handlers, run inside the consumer's transaction (FollowDeclarations and
  // FollowClearance register them). A waybill's DocumentReceived (or a DeclarationMatched)
  // creates the shipment or completes its order key; `at` is the event's time. A customs
  // milestone joins the timeline of the shipments carrying its order. Both declarations events
  // also store the waybill they carry: the proof a carrier's registration is checked against.
  absl::Status ApplyDocumentReceived(store::Transaction& tx,
                                     const declarations::v1::DocumentReceived& received,
                                     absl::Time at);
  absl::Status ApplyDeclarationMatched(store::Transaction& tx,
                                       const declarations::v1::DeclarationMatched& matched,
                                       absl::Time at);
  absl::Status ApplyMilestone(store::Transaction& tx,
                              const std::optional<CustomsMilestone>& milestone);

  WatchHub& hub() { return hub_; }

 private:
  struct Counts {
    int stored = 0;
    int duplicates = 0;
    int unmapped = 0;
    bool published = false;
    std::vector<std::string> touched;  // shipment keys with new entries
  };

  // EnsureShipment for a declarations event, in its own counts.
  // Stores the waybill, then ensures its shipment.
  absl::Status Ensure(store::Transaction& tx, const v1::ShipmentKey& key,
                      const std::string& order_key, declarations::v1::Direction direction,
                      const std::string& business_mode, absl::Time at);
  absl::Status EnsureShipment(store::Transaction& tx, const v1::ShipmentKey& key,
                              const std::string& order_key,
                              parkline::declarations::v1::Direction direction,
                              const std::string& business_mode, absl::Time created, absl::Time now,
                              Counts& counts);
  absl::Status AddEntries(store::Transaction& tx, ShipmentRow& row,
                          std::vector<v1::TimelineEntry> entries, absl::Time now, Counts& counts);
  // Once the shipment's direction is known: maps again the carrier entries whose status goes by
  // direction (RemapForDirection) and, when one changed, folds the timeline again.
  absl::Status RemapByDirection(store::Transaction& tx, ShipmentRow& row, absl::Time now,
                                Counts& counts);
  // Folds the timeline again, saves the row and publishes what changed.
  absl::Status Recompute(store::Transaction& tx, ShipmentRow& row, absl::Time now, Counts& counts);
  absl::StatusOr<ShipmentRow> Visible(store::Transaction& tx,
                                      const v1::GetShipmentRequest& request);
  void AfterCommit(const Counts& counts);

  store::Database& db_;
  const StatusMapping& mapping_;
  WatchHub& hub_;
  std::function<void()> events_committed_;
  TrackerOptions options_;
};

// "<carrier_code>/<waybill_no>": the events' key and subject.
std::string ShipmentKeyText(const v1::ShipmentKey& key);

// Registers the desk's handlers of parkline.declarations.v1 on `consumer`: waybills make
// shipments, matched declarations complete their order keys; the other declarations events are
// read past.
void FollowDeclarations(events::EventConsumer& consumer, ShipmentDesk& desk);
// Registers the desk's handlers of parkline.clearance.v1: customs milestones.
void FollowClearance(events::EventConsumer& consumer, ShipmentDesk& desk);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_SHIPMENT_DESK_H_
