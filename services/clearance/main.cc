// parkline-clearance: customs clearance cases per business mode, the official inventory message,
// customs' receipts, operating guidance and tax (GB/T 39678-2020 6.2, 6.3).
#include "clearance/access_policy.h"
#include "clearance/clearance_desk.h"
#include "clearance/clearance_service.h"
#include "clearance/config.h"
#include "clearance/customs_simulator.h"
#include "clearance/guidance.h"
#include "clearance/schema.h"
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "runtime/job_errors.h"
#include "runtime/log.h"
#include "runtime/ticker.h"
#include "store/group_commit.h"

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
    auto config = clearance::LoadConfig();
    if (!config.ok()) return config.status();
    // No key file, no service: the buyer's identity is never stored unsealed.
    auto keys = clearance::LoadPersonalDataKeys(*config);
    if (!keys.ok()) return keys.status();
    const std::string active_key = keys->active()->id;
    clearance::SimulatorOptions sim;
    sim.step = absl::Milliseconds(config->simulator_step_ms);
    sim.inspection_percent = config->simulator_inspection_percent;
    sim.rejection_percent = config->simulator_rejection_percent;
    sim.seed = config->simulator_seed;
    clearance::DeskOptions options;
    options.defaults.customs_code = config->customs_code;
    options.defaults.port_code = config->port_code;
    options.defaults.agent_code = config->agent_code;
    options.defaults.agent_name = config->agent_name;
    options.dxp_id = config->dxp_id;
    auto book = clearance::LoadGuidanceBook();
    if (!book.ok()) return book.status();

    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto guidance = std::make_shared<clearance::v1::GuidanceBook>(std::move(*book));
    auto key = clearance::LoadSigningKey(*config);
    if (!key.ok()) return key.status();
    std::shared_ptr<clearance::MessageSigner> signer;
    if (*key != nullptr) {
      signer = std::make_shared<clearance::XmlDsigSigner>(*key);
      log::Info("inventories are signed", {{"signer", config->signer},
                                           {"algorithm", signer->algorithm()},
                                           {"key_name", (*key)->key_name()}});
    } else {
      signer = std::make_shared<clearance::UnsignedSigner>();
      log::Warn(
          "no signer: inventories are written as unsigned drafts (appStatus 1), which "
          "customs stores but never declares; set --signer=pem or --signer=pkcs11",
          {{"customs_gateway", config->customs_gateway}});
    }
    auto customs_certificates = clearance::LoadCustomsCertificates(*config);
    if (!customs_certificates.ok()) return customs_certificates.status();
    auto writer = host::NewGroupCommitter(ctx.db);
    auto desk = std::make_shared<clearance::ClearanceDesk>(
        ctx.db, *writer, *signer, options, [relay] { relay->Notify(); }, std::move(*keys));
    // Before serving: every case under the active key (after a rotation, or migration 3).
    auto rotated = desk->RotatePersonalData();
    if (!rotated.ok()) return rotated.status();
    log::Info("personal data under the active key",
              {{"key_id", active_key},
               {"cases_resealed", int64_t{rotated->cases}},
               {"cases_left_under_older_keys", int64_t{rotated->cases_left}}});
    std::shared_ptr<clearance::CustomsGateway> customs;
    if (config->simulated()) {
      log::Info(
          "customs is SIMULATED: receipts are made up by this process, nothing reaches "
          "customs (--customs_gateway=external for production)",
          {{"inspection_percent", int64_t{config->simulator_inspection_percent}},
           {"rejection_percent", int64_t{config->simulator_rejection_percent}}});
      customs = std::make_shared<clearance::CustomsSimulator>(
          sim, [desk](const clearance::v1::CustomsReceipt& r) {
            return desk->RecordReceipt(r).status();
          });
    } else {
      customs = std::make_shared<clearance::ExternalGateway>();
    }
    desk->set_gateway(customs.get());
    parts.grpc_services.push_back(std::make_unique<clearance::ClearanceService>(
        *desk, *guidance, ctx.authorizer, std::move(*customs_certificates)));
    // A matched declaration opens a case; a withdrawn one withdraws it.
    clearance::FollowDeclarations(host::AddConsumer(ctx, parts, "declarations"), *desk);
    // Destroyed in reverse order: the gateway (its thread delivers to the desk), then the desk,
    // then the writer it uses.
    parts.keep_alive.push_back(guidance);
    parts.keep_alive.push_back(signer);
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(customs);
    // Personal data past its retention is erased (checked every minute).
    auto retention = std::make_shared<runtime::Ticker>(
        absl::Minutes(1), [desk, period = absl::Hours(24) * config->personal_data_retention_days] {
          auto erased = desk->ErasePersonalData(period, absl::Now());
          if (!erased.ok()) {
            runtime::ReportJobError("clearance_erasure", erased.status()).IgnoreError();
          } else if (*erased > 0) {
            log::Info("personal data erased after retention", {{"cases", int64_t{*erased}}});
          }
        });
    parts.keep_alive.push_back(retention);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
