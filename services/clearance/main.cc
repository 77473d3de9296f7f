// parkline-clearance: customs clearance cases per business mode, the official inventory message,
// customs' receipts, operating guidance and tax (GB/T 39678-2020 6.2, 6.3).
#include "absl/flags/flag.h"
#include "clearance/access_policy.h"
#include "clearance/clearance_desk.h"
#include "clearance/clearance_service.h"
#include "clearance/customs_simulator.h"
#include "clearance/guidance.h"
#include "clearance/schema.h"
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "store/group_commit.h"

ABSL_FLAG(std::string, customs_gateway, "simulator",
          "how inventories reach customs: 'simulator' (answers by itself, for development) or "
          "'external' (a customs-gateway caller fetches messages and posts receipts)");
ABSL_FLAG(int, simulator_step_ms, 2000, "simulator: milliseconds between two receipts (0..600000)");
ABSL_FLAG(int, simulator_inspection_percent, 10, "simulator: percent of cases inspected (0..100)");
ABSL_FLAG(int, simulator_rejection_percent, 5, "simulator: percent of cases rejected (0..100)");
ABSL_FLAG(uint64_t, simulator_seed, 1, "simulator: seed; the same seed gives the same outcomes");
ABSL_FLAG(std::string, customs_code, "2991", "the customs office the park declares at (4 digits)");
ABSL_FLAG(std::string, port_code, "2991", "the port code written in inventories (4 digits)");
ABSL_FLAG(std::string, agent_code, "",
          "the declaring agent's customs code for cases opened from declarations; empty: the "
          "e-commerce enterprise declares for itself");
ABSL_FLAG(std::string, agent_name, "", "the declaring agent's name");
ABSL_FLAG(std::string, dxp_id, "DXPENT0000000001", "the park's DXP node id (BaseTransfer)");

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"clearance", 50053, 9453};
  definition.usage =
      "parkline-clearance: customs clearance cases, inventories, receipts, guidance and tax.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = clearance::AccessPolicy;
  definition.migrate = clearance::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    std::string gateway = absl::GetFlag(FLAGS_customs_gateway);
    if (gateway != "simulator" && gateway != "external") {
      return absl::InvalidArgumentError("customs_gateway: must be simulator or external");
    }
    clearance::SimulatorOptions sim;
    int step = absl::GetFlag(FLAGS_simulator_step_ms);
    sim.inspection_percent = absl::GetFlag(FLAGS_simulator_inspection_percent);
    sim.rejection_percent = absl::GetFlag(FLAGS_simulator_rejection_percent);
    sim.seed = absl::GetFlag(FLAGS_simulator_seed);
    if (step < 0 || step > 600000) {
      return absl::InvalidArgumentError("simulator_step_ms: must be 0..600000");
    }
    for (int percent : {sim.inspection_percent, sim.rejection_percent}) {
      if (percent < 0 || percent > 100) {
        return absl::InvalidArgumentError("simulator percentages: must be 0..100");
      }
    }
    sim.step = absl::Milliseconds(step);
    clearance::DeskOptions options;
    options.defaults.customs_code = absl::GetFlag(FLAGS_customs_code);
    options.defaults.port_code = absl::GetFlag(FLAGS_port_code);
    options.defaults.agent_code = absl::GetFlag(FLAGS_agent_code);
    options.defaults.agent_name = absl::GetFlag(FLAGS_agent_name);
    options.dxp_id = absl::GetFlag(FLAGS_dxp_id);
    auto book = clearance::LoadGuidanceBook();
    if (!book.ok()) return book.status();

    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto guidance = std::make_shared<clearance::v1::GuidanceBook>(std::move(*book));
    auto signer = std::make_shared<clearance::UnsignedSigner>();
    auto writer = host::NewGroupCommitter(ctx.db);
    auto desk = std::make_shared<clearance::ClearanceDesk>(ctx.db, *writer, *signer, options,
                                                           [relay] { relay->Notify(); });
    std::shared_ptr<clearance::CustomsGateway> customs;
    if (gateway == "simulator") {
      customs = std::make_shared<clearance::CustomsSimulator>(
          sim, [desk](const clearance::v1::CustomsReceipt& r) {
            return desk->RecordReceipt(r).status();
          });
    } else {
      customs = std::make_shared<clearance::ExternalGateway>();
    }
    desk->set_gateway(customs.get());
    parts.grpc_services.push_back(
        std::make_unique<clearance::ClearanceService>(*desk, *guidance, ctx.authorizer));
    // A matched declaration opens a case; a withdrawn one withdraws it.
    clearance::FollowDeclarations(host::AddConsumer(ctx, parts, "declarations"), *desk);
    // Destroyed in reverse order: the gateway (its thread delivers to the desk), then the desk,
    // then the writer it uses.
    parts.keep_alive.push_back(guidance);
    parts.keep_alive.push_back(signer);
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(customs);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
