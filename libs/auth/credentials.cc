#include "auth/credentials.h"

#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ids/ids.h"
#include "runtime/log.h"

namespace parkline::auth {
namespace {

bool IsHexHash(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::StatusOr<Principal> ParsePrincipal(const nlohmann::json& entry, const std::string& where) {
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
  };
  if (!entry.is_object()) return error("must be an object");
  Principal p;
  p.name = entry.value("principal", "");
  if (p.name.empty()) return error("\"principal\" is required");
  if (!entry.contains("roles") || !entry["roles"].is_array() || entry["roles"].empty()) {
    return error("\"roles\" must list at least one role");
  }
  for (const auto& r : entry["roles"]) {
    std::optional<Role> role = r.is_string() ? ParseRole(r.get<std::string>()) : std::nullopt;
    if (!role) {
      return error(absl::StrCat("unknown role ", r.dump(),
                                " (park-admin, park-staff, enterprise, customs-gateway, carrier, "
                                "analyst)"));
    }
    p.roles.insert(*role);
  }
  p.uscc = entry.value("uscc", "");
  p.customs_code = entry.value("customs_code", "");
  p.carrier_code = entry.value("carrier_code", "");
  if (p.roles.count(Role::kEnterprise) > 0) {
    std::string rule = ids::CheckUscc(p.uscc);
    if (!rule.empty()) return error(absl::StrCat("an enterprise needs its \"uscc\": ", rule));
  }
  if (p.roles.count(Role::kCarrier) > 0 && p.carrier_code.empty()) {
    return error("a carrier needs its \"carrier_code\"");
  }
  return p;
}

}  // namespace

absl::StatusOr<Credentials> ParseCredentials(absl::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError("credentials file: not a JSON object");
  }
  Credentials out;
  const auto& tokens = doc.contains("tokens") ? doc["tokens"] : nlohmann::json::array();
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string where = absl::StrCat("tokens[", i, "]");
    auto p = ParsePrincipal(tokens[i], where);
    if (!p.ok()) return p.status();
    std::string hash = tokens[i].value("sha256", "");
    if (!IsHexHash(hash)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": \"sha256\" must be 64 lowercase hex digits (parkctl token)"));
    }
    if (!out.by_token_hash.emplace(hash, *p).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": the same token is listed twice"));
    }
  }
  const auto& certs = doc.contains("certificates") ? doc["certificates"] : nlohmann::json::array();
  for (size_t i = 0; i < certs.size(); ++i) {
    std::string where = absl::StrCat("certificates[", i, "]");
    auto p = ParsePrincipal(certs[i], where);
    if (!p.ok()) return p.status();
    std::string subject = certs[i].value("subject", "");
    if (subject.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": \"subject\" is required"));
    }
    if (!out.by_subject.emplace(subject, *p).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": subject listed twice"));
    }
  }
  return out;
}

CredentialStore::CredentialStore(std::string path)
    : path_(std::move(path)), current_(std::make_shared<const Credentials>()) {}

absl::Status CredentialStore::Load() {
  if (path_.empty()) return absl::OkStatus();
  struct stat st {};
  if (stat(path_.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrCat("credentials file ", path_, ": cannot read"));
  }
  std::ifstream in(path_);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = ParseCredentials(text.str());
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        absl::StrCat(path_, ": ", parsed.status().message()));
  }
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::make_shared<const Credentials>(std::move(*parsed));
  stamp_ = absl::StrCat(st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec, ":", st.st_size);
  return absl::OkStatus();
}

void CredentialStore::ReloadIfChanged() {
  if (path_.empty()) return;
  struct stat st {};
  if (stat(path_.c_str(), &st) != 0) return;
  std::string stamp = absl::StrCat(st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec, ":", st.st_size);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stamp == stamp_) return;
  }
  absl::Status loaded = Load();
  if (loaded.ok()) {
    log::Info("credentials reloaded", {{"callers", static_cast<int64_t>(size())}});
  } else {
    log::Error("credentials not reloaded, keeping the previous ones",
               {{"error", std::string(loaded.message())}});
    std::lock_guard<std::mutex> lock(mu_);
    stamp_ = stamp;  // do not retry a broken file every poll; the next edit is read again
  }
}

std::shared_ptr<const Credentials> CredentialStore::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

std::optional<Principal> CredentialStore::ByToken(absl::string_view token) const {
  auto snapshot = Snapshot();
  auto it = snapshot->by_token_hash.find(Sha256Hex(token));
  if (it == snapshot->by_token_hash.end()) return std::nullopt;
  return it->second;
}

std::optional<Principal> CredentialStore::BySubject(absl::string_view subject) const {
  auto snapshot = Snapshot();
  auto it = snapshot->by_subject.find(std::string(subject));
  if (it == snapshot->by_subject.end()) return std::nullopt;
  return it->second;
}

size_t CredentialStore::size() const {
  auto snapshot = Snapshot();
  return snapshot->by_token_hash.size() + snapshot->by_subject.size();
}

}  // namespace parkline::auth
