// The clearance service's own settings, beside the common ones (runtime::CommonConfig): the way
// inventories reach customs (and the simulator's behaviour), the codes written into them, the
// personal-data keys and retention, and the key that signs the messages.
// Read and checked as runtime/config.h describes.
#ifndef PARKLINE_CLEARANCE_CONFIG_H_
#define PARKLINE_CLEARANCE_CONFIG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ceb/signing_key.h"
#include "secrets/key_ring.h"

namespace parkline::clearance {

struct Config {
  // --customs_gateway / PARKLINE_CUSTOMS_GATEWAY: how inventories reach customs, "simulator"
  // (answers by itself, for development) or "external" (a customs-gateway caller fetches the
  // messages and posts the receipts). Default "simulator".
  std::string customs_gateway = "simulator";
  // --simulator_step_ms / PARKLINE_SIMULATOR_STEP_MS: with the simulator, milliseconds between
  // two receipts of a case. 0..600000, default 2000.
  int simulator_step_ms = 2000;
  // --simulator_inspection_percent / PARKLINE_SIMULATOR_INSPECTION_PERCENT: with the simulator,
  // percent of cases inspected. 0..100, default 10.
  int simulator_inspection_percent = 10;
  // --simulator_rejection_percent / PARKLINE_SIMULATOR_REJECTION_PERCENT: with the simulator,
  // percent of cases rejected. 0..100, default 5.
  int simulator_rejection_percent = 5;
  // --simulator_seed / PARKLINE_SIMULATOR_SEED: with the simulator, the seed of its outcomes; the
  // same seed and case id give the same receipts. Default 1.
  uint64_t simulator_seed = 1;
  // --customs_code / PARKLINE_CUSTOMS_CODE: the customs office the park declares at (4 digits).
  // Default "2991".
  std::string customs_code = "2991";
  // --port_code / PARKLINE_PORT_CODE: the port code written in inventories (4 digits). Default
  // "2991".
  std::string port_code = "2991";
  // --agent_code / PARKLINE_AGENT_CODE: the declaring agent's customs code for cases opened from
  // declarations. Default empty: the e-commerce enterprise declares for itself.
  std::string agent_code;
  // --agent_name / PARKLINE_AGENT_NAME: the declaring agent's name. Default empty.
  std::string agent_name;
  // --dxp_id / PARKLINE_DXP_ID: the park's DXP node id, written in BaseTransfer. Default
  // "DXPENT0000000001".
  std::string dxp_id = "DXPENT0000000001";
  // --personal_data_keys / PARKLINE_PERSONAL_DATA_KEYS: the key file (secrets/key_ring.h) that
  // seals the buyer's identity on cases and the inventory messages; the park's one file, shared
  // with declarations. Required: the service refuses to start without it (declarations' config.h
  // says why none is generated).
  std::string personal_data_keys;
  // --personal_data_retention_days / PARKLINE_PERSONAL_DATA_RETENTION_DAYS: days the buyer's
  // identity and the inventory message of a case are kept once the case is done with customs
  // (released, closed, rejected, returned, failed, withdrawn: case_personal_data.h) and has not
  // changed since; then they are erased. 1..3650, default 180.
  int personal_data_retention_days = 180;

  // The business signature of the inventory messages (specification 202205, clause 6).
  // --signer / PARKLINE_SIGNER: "none" (drafts, appStatus 1, with a warning at start), "pem" (a
  // key and certificate file, e.g. a mounted Secret) or "pkcs11" (a signing device). Default
  // "none".
  std::string signer = "none";
  // --signer_key_file / PARKLINE_SIGNER_KEY_FILE: with pem, the unencrypted PEM private key (SM2
  // or RSA; the suite follows the key).
  std::string signer_key_file;
  // --signer_certificate_file / PARKLINE_SIGNER_CERTIFICATE_FILE: the signer's certificate, PEM or
  // DER, as the data centre issued it. Required with pem; with pkcs11, empty reads the
  // certificate object with the key's label from the token.
  std::string signer_certificate_file;
  // --signer_key_name / PARKLINE_SIGNER_KEY_NAME: written in <ds:KeyName>: the certificate's name
  // at the data centre. Required with pem and pkcs11.
  std::string signer_key_name;
  // --pkcs11_module / PARKLINE_PKCS11_MODULE: the device vendor's PKCS#11 library (.so).
  std::string pkcs11_module;
  // --pkcs11_slot / PARKLINE_PKCS11_SLOT: the slot id; -1 (default): find the token by label.
  int64_t pkcs11_slot = -1;
  // --pkcs11_token_label / PARKLINE_PKCS11_TOKEN_LABEL: the token's label, when no slot is given.
  std::string pkcs11_token_label;
  // --pkcs11_pin_file / PARKLINE_PKCS11_PIN_FILE: a file holding the user PIN (never a flag: it
  // would show in the process list).
  std::string pkcs11_pin_file;
  // --pkcs11_key_label / PARKLINE_PKCS11_KEY_LABEL: CKA_LABEL of the private key on the token.
  std::string pkcs11_key_label;
  // --allow_unsigned_drafts / PARKLINE_ALLOW_UNSIGNED_DRAFTS: lets --customs_gateway=external run
  // with --signer=none (drafts only, on purpose). Default false: that pair refuses to start.
  bool allow_unsigned_drafts = false;
  // --customs_certificate_files / PARKLINE_CUSTOMS_CERTIFICATE_FILES: customs' certificates (PEM
  // or DER files, comma-separated, several during a renewal). A receipt message that carries a
  // signature must verify with one of them. Empty (default): receipts' signatures are not
  // checked.
  std::string customs_certificate_files;

  // INVALID_ARGUMENT naming the flag and its rule when a setting is wrong.
  absl::Status Validate() const;
  bool simulated() const { return customs_gateway == "simulator"; }
  bool signs() const { return signer != "none"; }
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

// The key ring of `config.personal_data_keys`; FAILED_PRECONDITION saying what to do when no
// file is named, the key file's error when it cannot be read.
absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config);

// The signing key `config.signer` names, null for "none". The key's load error (file, device,
// key and certificate not a pair) otherwise.
absl::StatusOr<std::shared_ptr<const ceb::SigningKey>> LoadSigningKey(const Config& config);

// Customs' certificates (DER) from `config.customs_certificate_files`; empty when none is named.
absl::StatusOr<std::vector<std::string>> LoadCustomsCertificates(const Config& config);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CONFIG_H_
