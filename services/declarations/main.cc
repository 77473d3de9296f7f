// parkline-declarations: orders, payments and waybills received once, checked, and matched into
// declarations (GB/T 39678-2020 6.1, 6.2.3).
#include "declarations/access_policy.h"
#include "declarations/config.h"
#include "declarations/declaration_desk.h"
#include "declarations/declaration_service.h"
#include "declarations/schema.h"
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "residents/residents.h"
#include "runtime/job_errors.h"
#include "runtime/log.h"
#include "runtime/ticker.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"declarations", 50052, 9452};
  definition.usage =
      "parkline-declarations: cross-border documents received once, checked and matched.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = declarations::AccessPolicy;
  definition.migrate = declarations::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    auto config = declarations::LoadConfig();
    if (!config.ok()) return config.status();
    // No key file, no service: personal data is never stored unsealed (config.h says why).
    auto keys = declarations::LoadPersonalDataKeys(*config);
    if (!keys.ok()) return keys.status();
    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto writer = host::NewGroupCommitter(ctx.db);
    const std::string active_key = keys->active()->id;
    auto desk = std::make_shared<declarations::DeclarationDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, std::move(*keys));
    // Before serving: everything under the active key (after a rotation, or migration 4).
    auto rotated = desk->RotatePersonalData();
    if (!rotated.ok()) return rotated.status();
    log::Info("personal data under the active key",
              {{"key_id", active_key},
               {"documents_resealed", int64_t{rotated->documents}},
               {"quota_rekeyed", int64_t{rotated->quota}},
               {"documents_left", int64_t{rotated->documents_left}},
               {"quota_left_under_older_keys", int64_t{rotated->quota_left}}});
    parts.grpc_services.push_back(std::make_unique<declarations::DeclarationService>(
        *desk, ctx.authorizer, config->max_message_documents));
    // Which enterprises are resident: a local projection of the registry's events.
    residents::Follow(host::AddConsumer(ctx, parts, "residents"));
    // A case customs rejected or returned gives the buyer's quota back.
    auto& from_clearance = host::AddConsumer(ctx, parts, "clearance");
    from_clearance.On<clearance::v1::ClearanceRejected>(
        declarations::DeclarationDesk::ApplyClearanceRejected);
    // Mandates are clearance's own business: read past, not counted as unknown types.
    from_clearance.Ignore<clearance::v1::MandateGranted>();
    from_clearance.Ignore<clearance::v1::MandateRevoked>();
    // Documents whose partners never came expire, and personal data past its retention is
    // erased (checked every minute).
    auto expiry = std::make_shared<runtime::Ticker>(
        absl::Minutes(1), [desk, waiting = absl::Hours(config->waiting_hours),
                           retention = absl::Hours(24) * config->personal_data_retention_days] {
          // A failure is retried at the next tick; it is logged and counted, never dropped.
          runtime::CheckJob("declarations_expiry",
                            desk->ExpireWaiting(waiting, absl::Now()).status());
          runtime::CheckJob("declarations_erasure",
                            desk->ErasePersonalData(retention, absl::Now()).status());
        });
    // Destroyed in reverse order: the ticker, then the desk, then the writer it uses.
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(expiry);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
