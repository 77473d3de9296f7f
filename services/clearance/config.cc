#include "clearance/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(std::string, customs_gateway, parkline::clearance::Config().customs_gateway,
          "how inventories reach customs: 'simulator' (answers by itself, for development) or "
          "'external' (a customs-gateway caller fetches messages and posts receipts)");
ABSL_FLAG(int, simulator_step_ms, parkline::clearance::Config().simulator_step_ms,
          "simulator: milliseconds between two receipts (0..600000)");
ABSL_FLAG(int, simulator_inspection_percent,
          parkline::clearance::Config().simulator_inspection_percent,
          "simulator: percent of cases inspected (0..100)");
ABSL_FLAG(int, simulator_rejection_percent,
          parkline::clearance::Config().simulator_rejection_percent,
          "simulator: percent of cases rejected (0..100)");
ABSL_FLAG(uint64_t, simulator_seed, parkline::clearance::Config().simulator_seed,
          "simulator: seed; the same seed gives the same outcomes");
ABSL_FLAG(std::string, customs_code, parkline::clearance::Config().customs_code,
          "the customs office the park declares at (4 digits)");
ABSL_FLAG(std::string, port_code, parkline::clearance::Config().port_code,
          "the port code written in inventories (4 digits)");
ABSL_FLAG(std::string, agent_code, parkline::clearance::Config().agent_code,
          "the declaring agent's customs code for cases opened from declarations; empty: the "
          "e-commerce enterprise declares for itself");
ABSL_FLAG(std::string, agent_name, parkline::clearance::Config().agent_name,
          "the declaring agent's name");
ABSL_FLAG(std::string, dxp_id, parkline::clearance::Config().dxp_id,
          "the park's DXP node id (BaseTransfer)");
ABSL_FLAG(std::string, personal_data_keys, "",
          "the key file sealing the buyer's identity and the inventory messages (required)");
ABSL_FLAG(int, personal_data_retention_days,
          parkline::clearance::Config().personal_data_retention_days,
          "days a case's personal data is kept once customs is done with it (1..3650)");

namespace parkline::clearance {

absl::Status Config::Validate() const {
  return runtime::FirstError(
      {customs_gateway == "simulator" || customs_gateway == "external"
           ? absl::OkStatus()
           : absl::InvalidArgumentError("customs_gateway: must be simulator or external"),
       runtime::ValidateRange("simulator_step_ms", simulator_step_ms, 0, 600000),
       runtime::ValidateRange("simulator_inspection_percent", simulator_inspection_percent, 0, 100),
       runtime::ValidateRange("simulator_rejection_percent", simulator_rejection_percent, 0, 100),
       runtime::ValidateRange("personal_data_retention_days", personal_data_retention_days, 1,
                              3650)});
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.customs_gateway = absl::GetFlag(FLAGS_customs_gateway);
  config.simulator_step_ms = absl::GetFlag(FLAGS_simulator_step_ms);
  config.simulator_inspection_percent = absl::GetFlag(FLAGS_simulator_inspection_percent);
  config.simulator_rejection_percent = absl::GetFlag(FLAGS_simulator_rejection_percent);
  config.simulator_seed = absl::GetFlag(FLAGS_simulator_seed);
  config.customs_code = absl::GetFlag(FLAGS_customs_code);
  config.port_code = absl::GetFlag(FLAGS_port_code);
  config.agent_code = absl::GetFlag(FLAGS_agent_code);
  config.agent_name = absl::GetFlag(FLAGS_agent_name);
  config.dxp_id = absl::GetFlag(FLAGS_dxp_id);
  config.personal_data_keys = absl::GetFlag(FLAGS_personal_data_keys);
  config.personal_data_retention_days = absl::GetFlag(FLAGS_personal_data_retention_days);
  return runtime::Validated(config);
}

absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config) {
  return secrets::LoadPersonalDataKeys(config.personal_data_keys, "clearance",
                                       "seals the buyer's identity on customs inventories");
}

}  // namespace parkline::clearance
