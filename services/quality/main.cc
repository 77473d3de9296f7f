// parkline-quality: the park's quality management records (GB/T 39678-2020 5.1, 5.6, 7.1, 7.2,
// 8): the versioned register of its organisation, duties, rules, guides, specifications, manuals
// and safety plans.
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "quality/access_policy.h"
#include "quality/config.h"
#include "quality/quality_desk.h"
#include "quality/quality_service.h"
#include "quality/schema.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"quality", 50057, 9457};
  definition.usage =
      "parkline-quality: the park's versioned records register (organisation, duties, rules, "
      "service guides and specifications, manuals, safety plans).\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = quality::AccessPolicy;
  definition.migrate = quality::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    auto config = quality::LoadConfig();
    if (!config.ok()) return config.status();
    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto writer = host::NewGroupCommitter(ctx.db);
    quality::DeskLimits limits{config->max_document_bytes};
    auto desk = std::make_shared<quality::QualityDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, limits, [] { return absl::Now(); });
    parts.grpc_services.push_back(std::make_unique<quality::QualityService>(*desk, ctx.authorizer));
    // Destroyed in reverse order: the desk before the writer it writes through.
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
