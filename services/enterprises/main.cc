// parkline-enterprises: the park's registry of resident enterprises, units, IP and talent.
#include "enterprises/access_policy.h"
#include "enterprises/enterprise_desk.h"
#include "enterprises/enterprise_service.h"
#include "enterprises/schema.h"
#include "host/service_host.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"enterprises", 50051, 9451};
  definition.usage =
      "parkline-enterprises: the park's registry of resident enterprises, units, IP and talent.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = enterprises::AccessPolicy;
  definition.migrate = enterprises::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto desk = std::make_shared<enterprises::EnterpriseDesk>(ctx.db, [relay] { relay->Notify(); });
    parts.grpc_services.push_back(
        std::make_unique<enterprises::EnterpriseService>(*desk, ctx.authorizer));
    parts.keep_alive.push_back(desk);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
