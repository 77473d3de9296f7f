// The registry's rules, as plain functions over the API's messages: no database, no gRPC. Each
// Check* adds every rule the input breaks to `violations` under the field path given, so that a
// caller learns all of them at once.
#ifndef PARKLINE_ENTERPRISES_ENTERPRISE_RULES_H_
#define PARKLINE_ENTERPRISES_ENTERPRISE_RULES_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "errors/violations.h"
#include "google/protobuf/field_mask.pb.h"
#include "parkline/enterprises/v1/enterprises.pb.h"

namespace parkline::enterprises {

namespace v1 = ::parkline::enterprises::v1;

// Leasable area in hundredths of a square metre.
absl::StatusOr<int64_t> ParseArea(absl::string_view text);
std::string FormatArea(int64_t centi_m2);

std::string FormatDate(const common::v1::Date& date);
// Parses "YYYY-MM-DD" (as stored); an empty Date for anything else.
common::v1::Date ParseDate(absl::string_view text);

void CheckDate(const common::v1::Date& date, absl::string_view field, bool required,
               errors::Violations& violations);
void CheckUscc(absl::string_view uscc, absl::string_view field, errors::Violations& violations);

// unit_id, building, floor, area (> 0, at most 2 decimals), purpose.
void CheckUnit(const v1::Unit& unit, absl::string_view field, errors::Violations& violations);

// The enterprise's own fields: uscc, customs_code (optional), name, roles (at least one, known,
// no repeats), unit ids (well-formed, no repeats), move_in_date.
void CheckEnterprise(const v1::Enterprise& enterprise, absl::string_view field,
                     errors::Violations& violations);

// Who occupies a unit: std::nullopt when no such unit is defined, "" when it is vacant,
// otherwise the occupant's USCC.
using OccupantOf = std::function<std::optional<std::string>(const std::string& unit_id)>;

// Each unit claimed by `uscc` must be defined and not occupied by another enterprise.
void CheckUnitClaims(const v1::Enterprise& enterprise, const OccupantOf& occupant_of,
                     absl::string_view field, errors::Violations& violations);

// Roles and unit ids in a canonical order (byte-wise for unit ids), so that equal registrations
// compare equal. The repository puts what it reads in this order too: a database sorts text in
// its own collation ("a1-01" before "B1-01" under en_US.UTF-8, after it under C).
void Normalize(v1::Enterprise& enterprise);

// True when `requested` registers the same data as `existing`, whatever order either lists its
// roles and unit ids in: an idempotent retry.
bool SameRegistration(const v1::Enterprise& existing, const v1::Enterprise& requested);

// The paths UpdateEnterprise accepts; the mask must name at least one of them.
void CheckUpdateMask(const google::protobuf::FieldMask& mask, errors::Violations& violations);

// `current` with the fields named in `mask` taken from `patch`.
v1::Enterprise ApplyUpdate(const v1::Enterprise& current, const v1::Enterprise& patch,
                           const google::protobuf::FieldMask& mask);

void CheckIpAsset(const v1::IpAsset& asset, absl::string_view field,
                  errors::Violations& violations);

// The ALREADY_EXISTS refusing an IP asset whose kind and registration number `recorded` holds
// with other data. Numbers are unique park-wide, so the refusal names the holder only when
// `may_see_holder` (park staff, who keep the registry, or the holder itself): to another
// enterprise it names none, or trying numbers would tell it who holds any patent or trademark.
absl::Status IpAssetTaken(const v1::IpAsset& recorded, bool may_see_holder);

// Figures non-negative, cross-border staff and trained staff not above employees, a sane year.
void CheckTalent(const v1::TalentFigures& talent, absl::string_view field,
                 errors::Violations& violations);

}  // namespace parkline::enterprises

#endif  // PARKLINE_ENTERPRISES_ENTERPRISE_RULES_H_
