#include "enterprises/enterprise_repository.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "enterprises/enterprise_rules.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::enterprises {
namespace {

constexpr char kEnterpriseColumns[] =
    "SELECT uscc, customs_code, name, roles, status, move_in_date, move_out_date, version, "
    "updated_at FROM enterprises ";

std::string EncodeRoles(const v1::Enterprise& e) {
  std::string out = ",";
  for (int role : e.roles()) absl::StrAppend(&out, role, ",");
  return out;
}

constexpr char kUnitColumns[] =
    "SELECT u.unit_id, u.building, u.floor, u.area_centi_m2, u.purpose, o.uscc FROM units u "
    "LEFT JOIN occupancy o ON o.unit_id = u.unit_id ";

v1::Unit UnitFromRow(const store::Row& r) {
  v1::Unit unit;
  unit.set_unit_id(r.Text(0));
  unit.set_building(r.Text(1));
  unit.set_floor(static_cast<int32_t>(r.Int(2)));
  unit.set_leasable_area_m2(FormatArea(r.Int(3)));
  unit.set_purpose(static_cast<v1::UnitPurpose>(r.Int(4)));
  unit.set_occupant_uscc(r.Text(5));
  return unit;
}

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

}  // namespace

absl::StatusOr<std::optional<v1::Unit>> EnterpriseRepository::FindUnit(const std::string& id) {
  auto rows = tx_.Query(absl::StrCat(kUnitColumns, "WHERE u.unit_id = $1"), {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<v1::Unit>();
  return std::optional<v1::Unit>(UnitFromRow(rows->front()));
}

absl::Status EnterpriseRepository::SaveUnit(const v1::Unit& unit, int64_t area) {
  return tx_
      .Execute(
          "INSERT INTO units (unit_id, building, floor, area_centi_m2, purpose, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id) DO UPDATE SET "
          "building = excluded.building, floor = excluded.floor, "
          "area_centi_m2 = excluded.area_centi_m2, purpose = excluded.purpose, "
          "updated_at = excluded.updated_at",
          {unit.unit_id(), unit.building(), int64_t{unit.floor()}, area, int64_t{unit.purpose()},
           NowMicros()})
      .status();
}

absl::StatusOr<std::vector<v1::Unit>> EnterpriseRepository::ListUnits(const std::string& after,
                                                                      int limit) {
  auto rows =
      tx_.Query(absl::StrCat(kUnitColumns, "WHERE u.unit_id > $1 ORDER BY u.unit_id LIMIT $2"),
                {after, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<v1::Unit> out;
  for (const store::Row& r : *rows) out.push_back(UnitFromRow(r));
  return out;
}

absl::StatusOr<int64_t> EnterpriseRepository::TotalAreaCentiM2() {
  auto rows = tx_.Query("SELECT COALESCE(SUM(area_centi_m2), 0) FROM units");
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

absl::StatusOr<std::map<std::string, std::string>> EnterpriseRepository::Occupants(
    const google::protobuf::RepeatedPtrField<std::string>& unit_ids) {
  std::map<std::string, std::string> out;
  for (const std::string& id : unit_ids) {
    auto rows = tx_.Query(
        "SELECT o.uscc FROM units u LEFT JOIN occupancy o ON o.unit_id = u.unit_id "
        "WHERE u.unit_id = $1",
        {id});
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) out[id] = rows->front().Text(0);
  }
  return out;
}

absl::StatusOr<std::vector<v1::Enterprise>> EnterpriseRepository::ReadEnterprises(
    std::vector<store::Row> rows) {
  std::vector<v1::Enterprise> out;
  std::map<std::string, size_t> index;  // uscc -> position in out
  for (const store::Row& r : rows) {
    v1::Enterprise e;
    e.set_uscc(r.Text(0));
    e.set_customs_code(r.Text(1));
    e.set_name(r.Text(2));
    for (absl::string_view role : absl::StrSplit(r.Text(3), ',', absl::SkipEmpty())) {
      e.add_roles(static_cast<v1::EnterpriseRole>(std::stoi(std::string(role))));
    }
    e.set_status(static_cast<v1::EnterpriseStatus>(r.Int(4)));
    *e.mutable_move_in_date() = ParseDate(r.Text(5));
    if (!r.IsNull(6)) *e.mutable_move_out_date() = ParseDate(r.Text(6));
    e.set_version(r.Int(7));
    *e.mutable_update_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(r.Int(8));
    index[e.uscc()] = out.size();
    out.push_back(std::move(e));
  }
  if (out.empty()) return out;
  // The units of the whole page in one query rather than one per enterprise: every occupancy row
  // between the smallest and largest USCC read, skipping enterprises a filter left out.
  auto units = tx_.Query(
      "SELECT uscc, unit_id FROM occupancy WHERE uscc >= $1 AND uscc <= $2 ORDER BY uscc, unit_id",
      {index.begin()->first, index.rbegin()->first});
  if (!units.ok()) return units.status();
  for (const store::Row& r : *units) {
    auto it = index.find(r.Text(0));
    if (it != index.end()) out[it->second].add_unit_ids(r.Text(1));
  }
  // ORDER BY gave the database's collation; the record is in Normalize's order, the one requests
  // are compared in, whatever the collation.
  for (v1::Enterprise& e : out) Normalize(e);
  return out;
}

absl::StatusOr<std::optional<v1::Enterprise>> EnterpriseRepository::FindEnterprise(
    const std::string& uscc) {
  auto rows = tx_.Query(absl::StrCat(kEnterpriseColumns, "WHERE uscc = $1"), {uscc});
  if (!rows.ok()) return rows.status();
  auto list = ReadEnterprises(std::move(*rows));
  if (!list.ok()) return list.status();
  if (list->empty()) return std::optional<v1::Enterprise>();
  return std::optional<v1::Enterprise>(std::move(list->front()));
}

absl::StatusOr<std::string> EnterpriseRepository::CustomsCodeHolder(
    const std::string& customs_code, const std::string& except_uscc) {
  if (customs_code.empty()) return std::string();
  auto rows =
      tx_.Query("SELECT uscc FROM enterprises WHERE customs_code = $1 AND uscc <> $2 LIMIT 1",
                {customs_code, except_uscc});
  if (!rows.ok()) return rows.status();
  return rows->empty() ? std::string() : rows->front().Text(0);
}

absl::Status EnterpriseRepository::SaveEnterprise(const v1::Enterprise& e) {
  store::Value move_out;
  if (e.has_move_out_date()) move_out = FormatDate(e.move_out_date());
  auto saved = tx_.Execute(
      "INSERT INTO enterprises (uscc, customs_code, name, roles, status, move_in_date, "
      "move_out_date, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      "ON CONFLICT (uscc) DO UPDATE SET customs_code = excluded.customs_code, "
      "name = excluded.name, roles = excluded.roles, status = excluded.status, "
      "move_in_date = excluded.move_in_date, move_out_date = excluded.move_out_date, "
      "version = excluded.version, updated_at = excluded.updated_at",
      {e.uscc(), e.customs_code(), e.name(), EncodeRoles(e), int64_t{e.status()},
       FormatDate(e.move_in_date()), move_out, e.version(),
       google::protobuf::util::TimeUtil::TimestampToMicroseconds(e.update_time())});
  if (!saved.ok()) return saved.status();
  auto cleared = tx_.Execute("DELETE FROM occupancy WHERE uscc = $1", {e.uscc()});
  if (!cleared.ok()) return cleared.status();
  for (const std::string& unit : e.unit_ids()) {
    auto inserted =
        tx_.Execute("INSERT INTO occupancy (unit_id, uscc) VALUES ($1, $2)", {unit, e.uscc()});
    if (!inserted.ok()) return inserted.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Enterprise>> EnterpriseRepository::ListEnterprises(
    v1::EnterpriseRole role, v1::EnterpriseStatus status, const std::string& after, int limit) {
  std::string role_pattern = role == v1::ENTERPRISE_ROLE_UNSPECIFIED
                                 ? std::string("%")
                                 : absl::StrCat("%,", static_cast<int>(role), ",%");
  auto rows =
      tx_.Query(absl::StrCat(kEnterpriseColumns,
                             "WHERE uscc > $1 AND roles LIKE $2 AND ($3 = 0 OR status = $3) "
                             "ORDER BY uscc LIMIT $4"),
                {after, role_pattern, int64_t{status}, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  return ReadEnterprises(std::move(*rows));
}

absl::StatusOr<std::optional<v1::IpAsset>> EnterpriseRepository::FindIpAsset(
    v1::IpAssetKind kind, const std::string& registration_no) {
  auto rows = tx_.Query(
      "SELECT uscc, title, granted_date FROM ip_assets WHERE kind = $1 AND registration_no = $2",
      {int64_t{kind}, registration_no});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<v1::IpAsset>();
  v1::IpAsset a;
  a.set_kind(kind);
  a.set_registration_no(registration_no);
  a.set_uscc(rows->front().Text(0));
  a.set_title(rows->front().Text(1));
  *a.mutable_granted_date() = ParseDate(rows->front().Text(2));
  return std::optional<v1::IpAsset>(std::move(a));
}

absl::Status EnterpriseRepository::InsertIpAsset(const v1::IpAsset& a) {
  return tx_
      .Execute(
          "INSERT INTO ip_assets (kind, registration_no, uscc, title, granted_date) "
          "VALUES ($1, $2, $3, $4, $5)",
          {int64_t{a.kind()}, a.registration_no(), a.uscc(), a.title(),
           FormatDate(a.granted_date())})
      .status();
}

absl::StatusOr<std::vector<v1::IpAsset>> EnterpriseRepository::ListIpAssets(
    const std::string& uscc) {
  auto rows = tx_.Query(
      "SELECT kind, registration_no, title, granted_date FROM ip_assets WHERE uscc = $1 "
      "ORDER BY kind, registration_no",
      {uscc});
  if (!rows.ok()) return rows.status();
  std::vector<v1::IpAsset> out;
  for (const store::Row& r : *rows) {
    v1::IpAsset a;
    a.set_uscc(uscc);
    a.set_kind(static_cast<v1::IpAssetKind>(r.Int(0)));
    a.set_registration_no(r.Text(1));
    a.set_title(r.Text(2));
    *a.mutable_granted_date() = ParseDate(r.Text(3));
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<std::optional<v1::TalentFigures>> EnterpriseRepository::FindTalent(
    const std::string& uscc, int year) {
  auto rows = tx_.Query(
      "SELECT employees, cross_border_staff, trained_staff FROM talent WHERE uscc = $1 AND "
      "year = $2",
      {uscc, int64_t{year}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<v1::TalentFigures>();
  v1::TalentFigures t;
  t.set_uscc(uscc);
  t.set_year(year);
  t.set_employees(static_cast<int32_t>(rows->front().Int(0)));
  t.set_cross_border_staff(static_cast<int32_t>(rows->front().Int(1)));
  t.set_trained_staff(static_cast<int32_t>(rows->front().Int(2)));
  return std::optional<v1::TalentFigures>(std::move(t));
}

absl::Status EnterpriseRepository::SaveTalent(const v1::TalentFigures& t) {
  return tx_
      .Execute(
          "INSERT INTO talent (uscc, year, employees, cross_border_staff, trained_staff) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (uscc, year) DO UPDATE SET "
          "employees = excluded.employees, cross_border_staff = excluded.cross_border_staff, "
          "trained_staff = excluded.trained_staff",
          {t.uscc(), int64_t{t.year()}, int64_t{t.employees()}, int64_t{t.cross_border_staff()},
           int64_t{t.trained_staff()}})
      .status();
}

}  // namespace parkline::enterprises
