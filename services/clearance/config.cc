#include "clearance/config.h"

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ceb/xml_signature.h"
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
ABSL_FLAG(std::string, signer, parkline::clearance::Config().signer,
          "the inventory messages' signature: 'none' (drafts, appStatus 1), 'pem' (key and "
          "certificate files) or 'pkcs11' (a signing device)");
ABSL_FLAG(std::string, signer_key_file, "", "signer=pem: the PEM private key (SM2 or RSA)");
ABSL_FLAG(std::string, signer_certificate_file, "",
          "the signer's certificate (PEM or DER); with pkcs11, empty reads it from the token");
ABSL_FLAG(std::string, signer_key_name, "",
          "the certificate's name at the data centre, written in <ds:KeyName>");
ABSL_FLAG(std::string, pkcs11_module, "", "signer=pkcs11: the vendor's PKCS#11 library");
ABSL_FLAG(int64_t, pkcs11_slot, parkline::clearance::Config().pkcs11_slot,
          "signer=pkcs11: the slot id; -1: find the token by --pkcs11_token_label");
ABSL_FLAG(std::string, pkcs11_token_label, "", "signer=pkcs11: the token's label");
ABSL_FLAG(std::string, pkcs11_pin_file, "", "signer=pkcs11: a file holding the user PIN");
ABSL_FLAG(std::string, pkcs11_key_label, "", "signer=pkcs11: the private key's label");
ABSL_FLAG(bool, allow_unsigned_drafts, false,
          "let --customs_gateway=external run with --signer=none (drafts only)");
ABSL_FLAG(std::string, customs_certificate_files, "",
          "customs' certificates (comma-separated files): signed receipts must verify with one");

namespace parkline::clearance {

namespace {

absl::Status Required(bool present, const char* flag, const char* signer) {
  if (present) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(flag, ": required with --signer=", signer));
}

absl::Status ValidateSigner(const Config& c) {
  if (c.signer != "none" && c.signer != "pem" && c.signer != "pkcs11") {
    return absl::InvalidArgumentError("signer: must be none, pem or pkcs11");
  }
  if (!c.simulated() && !c.signs() && !c.allow_unsigned_drafts) {
    return absl::InvalidArgumentError(
        "signer: --customs_gateway=external needs a signing key: customs only stores unsigned "
        "inventories as drafts (appStatus 1), never declares them. Set --signer=pem or "
        "--signer=pkcs11, or --allow_unsigned_drafts to send drafts on purpose");
  }
  if (c.signer == "pem") {
    return runtime::FirstError(
        {Required(!c.signer_key_file.empty(), "signer_key_file", "pem"),
         Required(!c.signer_certificate_file.empty(), "signer_certificate_file", "pem"),
         Required(!c.signer_key_name.empty(), "signer_key_name", "pem")});
  }
  if (c.signer == "pkcs11") {
    return runtime::FirstError({Required(!c.pkcs11_module.empty(), "pkcs11_module", "pkcs11"),
                                Required(c.pkcs11_slot >= 0 || !c.pkcs11_token_label.empty(),
                                         "pkcs11_slot or pkcs11_token_label", "pkcs11"),
                                Required(!c.pkcs11_pin_file.empty(), "pkcs11_pin_file", "pkcs11"),
                                Required(!c.pkcs11_key_label.empty(), "pkcs11_key_label", "pkcs11"),
                                Required(!c.signer_key_name.empty(), "signer_key_name", "pkcs11")});
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Config::Validate() const {
  return runtime::FirstError(
      {customs_gateway == "simulator" || customs_gateway == "external"
           ? absl::OkStatus()
           : absl::InvalidArgumentError("customs_gateway: must be simulator or external"),
       runtime::ValidateRange("simulator_step_ms", simulator_step_ms, 0, 600000),
       runtime::ValidateRange("simulator_inspection_percent", simulator_inspection_percent, 0, 100),
       runtime::ValidateRange("simulator_rejection_percent", simulator_rejection_percent, 0, 100),
       runtime::ValidateRange("personal_data_retention_days", personal_data_retention_days, 1,
                              3650),
       ValidateSigner(*this)});
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
  config.signer = absl::GetFlag(FLAGS_signer);
  config.signer_key_file = absl::GetFlag(FLAGS_signer_key_file);
  config.signer_certificate_file = absl::GetFlag(FLAGS_signer_certificate_file);
  config.signer_key_name = absl::GetFlag(FLAGS_signer_key_name);
  config.pkcs11_module = absl::GetFlag(FLAGS_pkcs11_module);
  config.pkcs11_slot = absl::GetFlag(FLAGS_pkcs11_slot);
  config.pkcs11_token_label = absl::GetFlag(FLAGS_pkcs11_token_label);
  config.pkcs11_pin_file = absl::GetFlag(FLAGS_pkcs11_pin_file);
  config.pkcs11_key_label = absl::GetFlag(FLAGS_pkcs11_key_label);
  config.allow_unsigned_drafts = absl::GetFlag(FLAGS_allow_unsigned_drafts);
  config.customs_certificate_files = absl::GetFlag(FLAGS_customs_certificate_files);
  return runtime::Validated(config);
}

absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config) {
  return secrets::LoadPersonalDataKeys(config.personal_data_keys, "clearance",
                                       "seals the buyer's identity on customs inventories");
}

}  // namespace parkline::clearance

namespace parkline::clearance {

absl::StatusOr<std::shared_ptr<const ceb::SigningKey>> LoadSigningKey(const Config& config) {
  absl::StatusOr<std::unique_ptr<ceb::SigningKey>> key;
  if (config.signer == "pem") {
    key = ceb::LoadPemSigningKey(config.signer_key_file, config.signer_certificate_file,
                                 config.signer_key_name);
  } else if (config.signer == "pkcs11") {
    ceb::Pkcs11Options o;
    o.module_path = config.pkcs11_module;
    o.slot_id = config.pkcs11_slot;
    o.token_label = config.pkcs11_token_label;
    o.pin_file = config.pkcs11_pin_file;
    o.key_label = config.pkcs11_key_label;
    o.certificate_path = config.signer_certificate_file;
    o.key_name = config.signer_key_name;
    key = ceb::OpenPkcs11SigningKey(o);
  } else {
    return std::shared_ptr<const ceb::SigningKey>();
  }
  if (!key.ok()) return key.status();
  return std::shared_ptr<const ceb::SigningKey>(std::move(*key));
}

absl::StatusOr<std::vector<std::string>> LoadCustomsCertificates(const Config& config) {
  std::vector<std::string> out;
  for (absl::string_view path :
       absl::StrSplit(config.customs_certificate_files, ',', absl::SkipWhitespace())) {
    auto der = ceb::LoadCertificateDer(std::string(absl::StripAsciiWhitespace(path)));
    if (!der.ok()) return der.status();
    out.push_back(std::move(*der));
  }
  return out;
}

}  // namespace parkline::clearance
