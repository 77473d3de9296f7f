#include "secrets/key_ring.h"

#include <openssl/rand.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace parkline::secrets {
namespace {

bool IsHex(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

std::string RandomKeyBytes() {
  std::string bytes(kKeyBytes, '\0');
  // RAND_bytes fails only when the OS cannot seed it; a key of zeros must never be made then.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), kKeyBytes) != 1) std::abort();
  return bytes;
}

}  // namespace

bool IsValidKeyId(absl::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

absl::StatusOr<KeyRing> KeyRing::Parse(absl::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError("the key file is not a JSON object");
  }
  if (!json.contains("keys") || !json["keys"].is_array() || json["keys"].empty()) {
    return absl::InvalidArgumentError("the key file has no \"keys\" array of keys");
  }
  KeyRing ring;
  for (const auto& entry : json["keys"]) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string() ||
        !IsValidKeyId(entry["id"].get<std::string>())) {
      return absl::InvalidArgumentError(
          "each key needs an \"id\" of 1..32 characters [A-Za-z0-9._-]");
    }
    std::string id = entry["id"].get<std::string>();
    if (ring.Find(id) != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("key '", id, "' is listed twice"));
    }
    if (!entry.contains("hex") || !entry["hex"].is_string() ||
        entry["hex"].get<std::string>().size() != 2 * kKeyBytes ||
        !IsHex(entry["hex"].get<std::string>())) {
      return absl::InvalidArgumentError(
          absl::StrCat("key '", id, "' needs \"hex\": 64 hex digits (256 bits)"));
    }
    ring.keys_.push_back({id, absl::HexStringToBytes(entry["hex"].get<std::string>())});
  }
  if (!json.contains("active") || !json["active"].is_string()) {
    return absl::InvalidArgumentError("the key file names no \"active\" key id");
  }
  ring.active_id_ = json["active"].get<std::string>();
  if (ring.Find(ring.active_id_) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("the active key '", ring.active_id_, "' is not among the keys"));
  }
  return ring;
}

absl::StatusOr<KeyRing> KeyRing::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the key file ", path));
  std::stringstream text;
  text << in.rdbuf();
  auto ring = Parse(text.str());
  if (!ring.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", ring.status().message()));
  }
  return ring;
}

KeyRing KeyRing::Generate(absl::string_view id) {
  KeyRing ring;
  ring.keys_.push_back({std::string(id), RandomKeyBytes()});
  ring.active_id_ = std::string(id);
  return ring;
}

absl::StatusOr<KeyRing> KeyRing::WithNewActiveKey(absl::string_view id) const {
  if (!IsValidKeyId(id)) {
    return absl::InvalidArgumentError("a key id is 1..32 characters [A-Za-z0-9._-]");
  }
  if (Find(id) != nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("key '", id, "' is already in the ring"));
  }
  KeyRing ring = *this;
  ring.keys_.push_back({std::string(id), RandomKeyBytes()});
  ring.active_id_ = std::string(id);
  return ring;
}

std::string KeyRing::ToJson() const {
  nlohmann::json keys = nlohmann::json::array();
  for (const SecretKey& k : keys_) {
    keys.push_back({{"id", k.id}, {"hex", absl::BytesToHexString(k.bytes)}});
  }
  return nlohmann::json{{"active", active_id_}, {"keys", keys}}.dump(2) + "\n";
}

const SecretKey* KeyRing::active() const { return Find(active_id_); }

const SecretKey* KeyRing::Find(absl::string_view id) const {
  for (const SecretKey& k : keys_) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

}  // namespace parkline::secrets
