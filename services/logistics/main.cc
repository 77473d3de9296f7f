// parkline-logistics: full-process shipment tracking with one normalized status model
// (GB/T 39678-2020 6.5.4, 8.2.5.3).
#include "absl/flags/flag.h"
#include "host/service_host.h"
#include "logistics/access_policy.h"
#include "logistics/logistics_service.h"
#include "logistics/schema.h"
#include "logistics/shipment_tracker.h"
#include "runtime/log.h"
#include "runtime/ticker.h"

ABSL_FLAG(int, stale_hours, 72,
          "hours without news after which a shipment not at its end becomes STALE (1..2160)");
ABSL_FLAG(std::string, mapping_dir, "",
          "a folder of more mapping tables (*.csv) and carriers.csv lines, replacing built-in "
          "ones of the same name; empty for the built-in tables only");
ABSL_FLAG(int, watch_poll_ms, 1000,
          "how often a watch looks at the database for entries other replicas stored "
          "(100..60000)");
ABSL_FLAG(int, max_batch, 500, "tracking events in one ReportTrackingEvents call (1..5000)");

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"logistics", 50054, 9454};
  definition.usage =
      "parkline-logistics: shipments tracked from waybill to delivery on one status model.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = logistics::AccessPolicy;
  definition.migrate = logistics::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    int stale_hours = absl::GetFlag(FLAGS_stale_hours);
    if (stale_hours < 1 || stale_hours > 2160) {
      return absl::InvalidArgumentError("stale_hours: must be 1..2160");
    }
    int watch_poll_ms = absl::GetFlag(FLAGS_watch_poll_ms);
    if (watch_poll_ms < 100 || watch_poll_ms > 60000) {
      return absl::InvalidArgumentError("watch_poll_ms: must be 100..60000");
    }
    int max_batch = absl::GetFlag(FLAGS_max_batch);
    if (max_batch < 1 || max_batch > 5000) {
      return absl::InvalidArgumentError("max_batch: must be 1..5000");
    }
    auto mapping = logistics::StatusMapping::Load(absl::GetFlag(FLAGS_mapping_dir));
    if (!mapping.ok()) return mapping.status();
    auto tables = std::make_shared<logistics::StatusMapping>(std::move(*mapping));
    auto hub = std::make_shared<logistics::WatchHub>();
    logistics::TrackerOptions options;
    options.stale_after = absl::Hours(stale_hours);
    options.limits.max_batch = max_batch;
    events::OutboxRelay* relay = &ctx.relay;
    auto tracker = std::make_shared<logistics::ShipmentTracker>(
        ctx.db, *tables, *hub, [relay] { relay->Notify(); }, options);

    host::ServiceParts parts;
    parts.grpc_services.push_back(std::make_unique<logistics::LogisticsService>(
        *tracker, ctx.authorizer, absl::Milliseconds(watch_poll_ms)));
    // Watches end at SIGTERM rather than holding the drain: clients watch again elsewhere.
    parts.on_stopping.push_back([hub] { hub->Shutdown(); });

    // Waybills make shipments; matched declarations complete their order keys; customs
    // milestones join the timelines.
    logistics::FollowDeclarations(host::AddConsumer(ctx, parts, "waybills"), *tracker);
    logistics::FollowClearance(host::AddConsumer(ctx, parts, "customs"), *tracker);

    // Shipments without news become STALE (checked every minute).
    auto staleness = std::make_shared<runtime::Ticker>(absl::Minutes(1), [tracker] {
      auto marked = tracker->MarkStale(absl::Now());
      if (!marked.ok()) {
        log::Warn("marking stale shipments failed", {{"error", marked.status().ToString()}});
      }
    });
    // Destroyed in reverse order: the ticker, the tracker, then what the tracker uses.
    parts.keep_alive.push_back(tables);
    parts.keep_alive.push_back(hub);
    parts.keep_alive.push_back(tracker);
    parts.keep_alive.push_back(staleness);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
