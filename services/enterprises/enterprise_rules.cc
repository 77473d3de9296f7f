#include "enterprises/enterprise_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "calendar/date.h"
#include "decimal/fixed_point.h"
#include "google/protobuf/util/message_differencer.h"
#include "ids/ids.h"

namespace parkline::enterprises {
namespace {

constexpr size_t kMaxNameLength = 200;

std::string Path(absl::string_view parent, absl::string_view child) {
  return parent.empty() ? std::string(child) : absl::StrCat(parent, ".", child);
}

bool IsUnitIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
         c == '_' || c == '.';
}

void CheckUnitId(absl::string_view id, absl::string_view field, errors::Violations& v) {
  if (id.empty() || id.size() > 32 || !std::all_of(id.begin(), id.end(), IsUnitIdChar)) {
    v.Add(field, "UNIT_ID_FORMAT", "must be 1..32 characters of A-Z a-z 0-9 - _ .");
  }
}

}  // namespace

absl::StatusOr<int64_t> ParseArea(absl::string_view text) { return decimal::ParseFixed(text, 2); }
std::string FormatArea(int64_t centi_m2) { return decimal::FormatFixed(centi_m2, 2); }

std::string FormatDate(const common::v1::Date& d) {
  return calendar::FormatDate(d.year(), d.month(), d.day());
}

common::v1::Date ParseDate(absl::string_view text) {
  common::v1::Date d;
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  int y, m, day;
  if (parts.size() == 3 && absl::SimpleAtoi(parts[0], &y) && absl::SimpleAtoi(parts[1], &m) &&
      absl::SimpleAtoi(parts[2], &day)) {
    d.set_year(y);
    d.set_month(m);
    d.set_day(day);
  }
  return d;
}

void CheckDate(const common::v1::Date& d, absl::string_view field, bool required,
               errors::Violations& v) {
  bool empty = d.year() == 0 && d.month() == 0 && d.day() == 0;
  if (empty) {
    if (required) v.Add(field, "REQUIRED", "is required");
    return;
  }
  if (!calendar::IsValidDate(d.year(), d.month(), d.day())) {
    v.Add(field, "DATE",
          absl::StrCat(d.year(), "-", d.month(), "-", d.day(), " is not a calendar date"));
  }
}

void CheckUscc(absl::string_view uscc, absl::string_view field, errors::Violations& v) {
  if (uscc.empty()) {
    v.Add(field, "REQUIRED", "is required");
    return;
  }
  v.AddIf(field, "USCC", ids::CheckUscc(uscc));
}

void CheckUnit(const v1::Unit& unit, absl::string_view field, errors::Violations& v) {
  CheckUnitId(unit.unit_id(), Path(field, "unit_id"), v);
  if (unit.building().empty() || unit.building().size() > 64) {
    v.Add(Path(field, "building"), "REQUIRED", "must be 1..64 characters");
  }
  if (unit.floor() < -10 || unit.floor() > 200) {
    v.Add(Path(field, "floor"), "RANGE", "must be -10..200");
  }
  auto area = ParseArea(unit.leasable_area_m2());
  if (!area.ok()) {
    v.Add(Path(field, "leasable_area_m2"), "DECIMAL",
          absl::StrCat(area.status().message(), " (at most 2 fraction digits)"));
  } else if (*area <= 0) {
    v.Add(Path(field, "leasable_area_m2"), "POSITIVE", "must be greater than 0");
  }
  if (unit.purpose() == v1::UNIT_PURPOSE_UNSPECIFIED || !v1::UnitPurpose_IsValid(unit.purpose())) {
    v.Add(Path(field, "purpose"), "ENUM",
          "must be one of OFFICE, WAREHOUSE, BONDED_WAREHOUSE, "
          "SHOWROOM, PUBLIC");
  }
}

void CheckEnterprise(const v1::Enterprise& e, absl::string_view field, errors::Violations& v) {
  CheckUscc(e.uscc(), Path(field, "uscc"), v);
  if (!e.customs_code().empty()) {
    v.AddIf(Path(field, "customs_code"), "CUSTOMS_CODE", ids::CheckCustomsCode(e.customs_code()));
  }
  if (e.name().empty() || e.name().size() > kMaxNameLength) {
    v.Add(Path(field, "name"), "REQUIRED", "must be 1..200 bytes");
  }
  if (e.roles_size() == 0) v.Add(Path(field, "roles"), "REQUIRED", "at least one role");
  std::set<int> roles;
  for (int i = 0; i < e.roles_size(); ++i) {
    std::string path = absl::StrCat(Path(field, "roles"), "[", i, "]");
    int role = e.roles(i);
    if (role == v1::ENTERPRISE_ROLE_UNSPECIFIED || !v1::EnterpriseRole_IsValid(role)) {
      v.Add(path, "UNKNOWN_ROLE", absl::StrCat(role, " is not a known role"));
    } else if (!roles.insert(role).second) {
      v.Add(path, "DUPLICATE", absl::StrCat(v1::EnterpriseRole_Name(e.roles(i)), " is repeated"));
    }
  }
  std::set<std::string> units;
  for (int i = 0; i < e.unit_ids_size(); ++i) {
    std::string path = absl::StrCat(Path(field, "unit_ids"), "[", i, "]");
    CheckUnitId(e.unit_ids(i), path, v);
    if (!units.insert(e.unit_ids(i)).second) {
      v.Add(path, "DUPLICATE", absl::StrCat("unit '", e.unit_ids(i), "' is repeated"));
    }
  }
  CheckDate(e.move_in_date(), Path(field, "move_in_date"), true, v);
}

void CheckUnitClaims(const v1::Enterprise& e, const OccupantOf& occupant_of,
                     absl::string_view field, errors::Violations& v) {
  for (int i = 0; i < e.unit_ids_size(); ++i) {
    std::string path = absl::StrCat(Path(field, "unit_ids"), "[", i, "]");
    std::optional<std::string> occupant = occupant_of(e.unit_ids(i));
    if (!occupant) {
      v.Add(path, "UNKNOWN_UNIT", absl::StrCat("unit '", e.unit_ids(i), "' is not defined"));
    } else if (!occupant->empty() && *occupant != e.uscc()) {
      v.Add(path, "UNIT_OCCUPIED",
            absl::StrCat("unit '", e.unit_ids(i), "' is occupied by ", *occupant));
    }
  }
}

void Normalize(v1::Enterprise& e) {
  std::sort(e.mutable_roles()->begin(), e.mutable_roles()->end());
  std::sort(e.mutable_unit_ids()->begin(), e.mutable_unit_ids()->end());
}

bool SameRegistration(const v1::Enterprise& existing, const v1::Enterprise& requested) {
  v1::Enterprise a = existing;
  v1::Enterprise b = requested;
  Normalize(a);
  Normalize(b);
  google::protobuf::util::MessageDifferencer same;
  return a.uscc() == b.uscc() && a.customs_code() == b.customs_code() && a.name() == b.name() &&
         std::equal(a.roles().begin(), a.roles().end(), b.roles().begin(), b.roles().end()) &&
         std::equal(a.unit_ids().begin(), a.unit_ids().end(), b.unit_ids().begin(),
                    b.unit_ids().end()) &&
         same.Compare(a.move_in_date(), b.move_in_date());
}

void CheckUpdateMask(const google::protobuf::FieldMask& mask, errors::Violations& v) {
  static const std::set<std::string> kUpdatable = {"name", "customs_code", "roles", "unit_ids"};
  if (mask.paths_size() == 0) {
    v.Add("update_mask", "REQUIRED", "name at least one of name, customs_code, roles, unit_ids");
  }
  for (int i = 0; i < mask.paths_size(); ++i) {
    if (kUpdatable.count(mask.paths(i)) == 0) {
      v.Add(absl::StrCat("update_mask.paths[", i, "]"), "NOT_UPDATABLE",
            absl::StrCat("'", mask.paths(i),
                         "' cannot be updated; updatable: name, customs_code, "
                         "roles, unit_ids"));
    }
  }
}

v1::Enterprise ApplyUpdate(const v1::Enterprise& current, const v1::Enterprise& patch,
                           const google::protobuf::FieldMask& mask) {
  v1::Enterprise next = current;
  for (const std::string& path : mask.paths()) {
    if (path == "name") next.set_name(patch.name());
    if (path == "customs_code") next.set_customs_code(patch.customs_code());
    if (path == "roles") *next.mutable_roles() = patch.roles();
    if (path == "unit_ids") *next.mutable_unit_ids() = patch.unit_ids();
  }
  Normalize(next);
  return next;
}

void CheckIpAsset(const v1::IpAsset& a, absl::string_view field, errors::Violations& v) {
  CheckUscc(a.uscc(), Path(field, "uscc"), v);
  if (a.kind() == v1::IP_ASSET_KIND_UNSPECIFIED || !v1::IpAssetKind_IsValid(a.kind())) {
    v.Add(Path(field, "kind"), "ENUM",
          "must be one of PATENT, TRADEMARK, COPYRIGHT, SOFTWARE_COPYRIGHT");
  }
  if (a.registration_no().empty() || a.registration_no().size() > 64) {
    v.Add(Path(field, "registration_no"), "REQUIRED", "must be 1..64 characters");
  }
  if (a.title().empty() || a.title().size() > 500) {
    v.Add(Path(field, "title"), "REQUIRED", "must be 1..500 bytes");
  }
  CheckDate(a.granted_date(), Path(field, "granted_date"), true, v);
}

absl::Status IpAssetTaken(const v1::IpAsset& recorded, bool may_see_holder) {
  std::string what =
      absl::StrCat(v1::IpAssetKind_Name(recorded.kind()), " ", recorded.registration_no());
  if (!may_see_holder) {
    return absl::AlreadyExistsError(
        absl::StrCat(what, " is already recorded by another enterprise"));
  }
  return absl::AlreadyExistsError(absl::StrCat(
      what, " is already recorded with different data (holder ", recorded.uscc(), ")"));
}

void CheckTalent(const v1::TalentFigures& t, absl::string_view field, errors::Violations& v) {
  CheckUscc(t.uscc(), Path(field, "uscc"), v);
  if (t.year() < 2000 || t.year() > 2100) v.Add(Path(field, "year"), "RANGE", "must be 2000..2100");
  for (auto [name, value] : {std::pair{"employees", t.employees()},
                             std::pair{"cross_border_staff", t.cross_border_staff()},
                             std::pair{"trained_staff", t.trained_staff()}}) {
    if (value < 0) v.Add(Path(field, name), "NON_NEGATIVE", "must not be negative");
  }
  if (t.cross_border_staff() > t.employees()) {
    v.Add(Path(field, "cross_border_staff"), "NOT_ABOVE_EMPLOYEES",
          absl::StrCat(t.cross_border_staff(), " > employees (", t.employees(), ")"));
  }
  if (t.trained_staff() > t.employees()) {
    v.Add(Path(field, "trained_staff"), "NOT_ABOVE_EMPLOYEES",
          absl::StrCat(t.trained_staff(), " > employees (", t.employees(), ")"));
  }
}

}  // namespace parkline::enterprises
