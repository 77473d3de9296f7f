// parkline-support: the services the park offers its resident enterprises: recruitment, team
// activities, training, founders' clubs, matchmaking and roadshows with attendance confirmed
// (GB/T 39678-2020 6.8, 6.9.2, 8.2.8).
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "residents/residents.h"
#include "support/access_policy.h"
#include "support/config.h"
#include "support/schema.h"
#include "support/support_desk.h"
#include "support/support_service.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"support", 50058, 9458};
  definition.usage =
      "parkline-support: the park's activities for resident enterprises (recruitment, training, "
      "founders' clubs, matchmaking, roadshows), registrations and confirmed attendance.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = support::AccessPolicy;
  definition.migrate = support::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    auto config = support::LoadConfig();
    if (!config.ok()) return config.status();
    auto keys = support::LoadPersonalDataKeys(*config);
    if (!keys.ok()) return keys.status();
    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto writer = host::NewGroupCommitter(ctx.db);
    auto desk = std::make_shared<support::SupportDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, std::move(*keys),
        [] { return absl::Now(); });
    parts.grpc_services.push_back(std::make_unique<support::SupportService>(*desk, ctx.authorizer));
    // Which enterprises are resident: a local projection of the registry's events.
    residents::Follow(host::AddConsumer(ctx, parts, "residents"));
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
