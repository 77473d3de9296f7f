#include "clearance/mandate_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "errors/violations.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::clearance {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

}  // namespace

std::string MandateIdFor(const std::string& ebc_code, const std::string& agent_code,
                         absl::Time valid_from, absl::Time valid_until) {
  std::string h = absl::AsciiStrToUpper(auth::Sha256Hex(
      absl::StrCat("mandate:", ebc_code, "/", agent_code, "/", absl::ToUnixMicros(valid_from), "/",
                   absl::ToUnixMicros(valid_until))));
  return absl::StrCat(h.substr(0, 8), "-", h.substr(8, 4), "-", h.substr(12, 4), "-",
                      h.substr(16, 4), "-", h.substr(20, 12));
}

absl::Time MandateEnd(const v1::Mandate& mandate) {
  absl::Time end = TimeOf(mandate.valid_until());
  if (mandate.has_revoke_time()) end = std::min(end, TimeOf(mandate.revoke_time()));
  return end;
}

bool MandateInForce(const v1::Mandate& mandate, absl::Time now) {
  return TimeOf(mandate.valid_from()) <= now && now < MandateEnd(mandate);
}

bool AnyMandateInForce(const std::vector<v1::Mandate>& mandates, const std::string& ebc_code,
                       const std::string& agent_code, absl::Time now) {
  if (ebc_code.empty() || agent_code.empty()) return false;
  return std::any_of(mandates.begin(), mandates.end(), [&](const v1::Mandate& m) {
    return m.ebc_code() == ebc_code && m.agent_code() == agent_code && MandateInForce(m, now);
  });
}

absl::Status CheckGrant(const v1::GrantMandateRequest& request, absl::Time now) {
  errors::Violations v;
  for (auto [value, name] :
       {std::pair{&request.ebc_code(), "ebc_code"}, {&request.agent_code(), "agent_code"}}) {
    if (value->empty()) {
      v.Add(name, "REQUIRED", "is required");
    } else if (value->size() > 18) {
      v.Add(name, "TOO_LONG", "at most 18 characters (a customs code or USCC)");
    }
  }
  if (!request.agent_code().empty() && request.agent_code() == request.ebc_code()) {
    v.Add("agent_code", "SELF",
          "an e-commerce enterprise declares for itself without a mandate: name another broker");
  }
  if (!request.has_valid_from()) v.Add("valid_from", "REQUIRED", "is required");
  if (!request.has_valid_until()) v.Add("valid_until", "REQUIRED", "is required");
  if (request.has_valid_from() && request.has_valid_until()) {
    absl::Time from = TimeOf(request.valid_from()), until = TimeOf(request.valid_until());
    if (until <= from) {
      v.Add("valid_until", "ORDER", "must be after valid_from");
    } else if (until <= now) {
      v.Add("valid_until", "ENDED", "must be in the future: a mandate that has ended is no use");
    }
  }
  return v.ToStatus();
}

absl::Status MayGrantMandate(const auth::Viewer& viewer, const std::string& ebc_code) {
  if (viewer.admin || viewer.SpeaksFor(ebc_code)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "ebc_code: only the e-commerce enterprise itself (or the park admin) grants a mandate in "
      "its name");
}

std::optional<v1::Mandate> OverlappingMandate(const std::vector<v1::Mandate>& same_pair,
                                              const std::string& mandate_id, absl::Time from,
                                              absl::Time until, absl::Time now) {
  for (const v1::Mandate& m : same_pair) {
    if (m.mandate_id() == mandate_id) continue;
    absl::Time end = MandateEnd(m);
    if (end <= now) continue;  // ended: it authorises nothing any more
    if (TimeOf(m.valid_from()) < until && from < end) return m;
  }
  return std::nullopt;
}

bool MaySeeMandate(const auth::Viewer& viewer, const v1::Mandate& mandate) {
  return viewer.park_staff || viewer.admin || viewer.customs ||
         viewer.SpeaksFor(mandate.ebc_code()) || viewer.SpeaksFor(mandate.agent_code());
}

absl::Status MayRevokeMandate(const auth::Viewer& viewer, const v1::Mandate& mandate) {
  if (viewer.admin || viewer.SpeaksFor(mandate.ebc_code())) return absl::OkStatus();
  if (MaySeeMandate(viewer, mandate)) {
    return absl::PermissionDeniedError(
        "mandate_id: only the e-commerce enterprise that granted it (or the park admin) revokes "
        "a mandate");
  }
  return absl::NotFoundError(absl::StrCat("mandate_id: no mandate ", mandate.mandate_id()));
}

}  // namespace parkline::clearance
