// parkline-logistics: full-process shipment tracking with one normalized status model
// (GB/T 39678-2020 6.5.4, 8.2.5.3).
#include "host/service_host.h"
#include "logistics/access_policy.h"
#include "logistics/config.h"
#include "logistics/logistics_service.h"
#include "logistics/schema.h"
#include "logistics/shipment_desk.h"
#include "runtime/log.h"
#include "runtime/ticker.h"

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
    auto config = logistics::LoadConfig();
    if (!config.ok()) return config.status();
    auto mapping = logistics::StatusMapping::Load(config->mapping_dir);
    if (!mapping.ok()) return mapping.status();
    auto tables = std::make_shared<logistics::StatusMapping>(std::move(*mapping));
    auto hub = std::make_shared<logistics::WatchHub>();
    logistics::TrackerOptions options;
    options.stale_after = absl::Hours(config->stale_hours);
    options.limits.max_batch = config->max_batch;
    events::OutboxRelay* relay = &ctx.relay;
    auto desk = std::make_shared<logistics::ShipmentDesk>(
        ctx.db, *tables, *hub, [relay] { relay->Notify(); }, options);

    host::ServiceParts parts;
    parts.grpc_services.push_back(std::make_unique<logistics::LogisticsService>(
        *desk, ctx.authorizer, absl::Milliseconds(config->watch_poll_ms),
        config->max_watch_streams_per_caller));
    // Watches end at SIGTERM rather than holding the drain: clients watch again elsewhere.
    parts.on_stopping.push_back([hub] { hub->Shutdown(); });

    // Waybills make shipments; matched declarations complete their order keys; customs
    // milestones join the timelines.
    logistics::FollowDeclarations(host::AddConsumer(ctx, parts, "waybills"), *desk);
    logistics::FollowClearance(host::AddConsumer(ctx, parts, "customs"), *desk);

    // Shipments without news become STALE (checked every minute).
    auto staleness = std::make_shared<runtime::Ticker>(absl::Minutes(1), [desk] {
      auto marked = desk->MarkStale(absl::Now());
      if (!marked.ok()) {
        log::Warn("marking stale shipments failed", {{"error", marked.status().ToString()}});
      }
    });
    // Destroyed in reverse order: the ticker, the desk, then what the desk uses.
    parts.keep_alive.push_back(tables);
    parts.keep_alive.push_back(hub);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(staleness);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
