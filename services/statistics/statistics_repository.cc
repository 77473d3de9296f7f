#include "statistics/statistics_repository.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace parkline::statistics {
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  if (text.empty()) return {};
  return absl::StrSplit(text, ',');
}

// Both bounds or none: "every day" is spelled as the widest range.
std::pair<std::string, std::string> Range(const std::string& from, const std::string& to) {
  return {from.empty() ? "0000-00-00" : from, to.empty() ? "9999-99-99" : to};
}

// Many rows per statement: one round trip per hundred rows, not one per row.
constexpr size_t kRows = 100;

// The rows of `table` (day, indicator, labels, value) in a range of days, of one indicator or
// of all (empty), in the order an archive lists them.
absl::StatusOr<std::vector<DailyValue>> LoadDayRows(store::Transaction& tx, absl::string_view table,
                                                    const std::string& indicator,
                                                    const std::string& from_day,
                                                    const std::string& to_day) {
  auto [from, to] = Range(from_day, to_day);
  std::string sql = absl::StrCat("SELECT day, indicator, labels, value FROM ", table,
                                 " WHERE day >= $1 AND day <= $2");
  store::Params params = {from, to};
  if (!indicator.empty()) {
    sql += " AND indicator = $3";
    params.push_back(indicator);
  }
  auto rows = tx.Query(sql + " ORDER BY day, indicator, labels", params);
  if (!rows.ok()) return rows.status();
  std::vector<DailyValue> out;
  for (const store::Row& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
  return out;
}

// The day of record `i`; "0000-00-00" (before every day) for effects built without days.
std::string DayAt(const std::vector<std::string>& days, size_t i) {
  return i < days.size() ? days[i] : "0000-00-00";
}

absl::Status ApplyCounters(store::Transaction& tx, const CounterDeltas& counters) {
  // AddEffects merged the deltas already: one row per (enterprise, indicator, labels, day).
  // Every statement goes in one call: on PostgreSQL one round trip for the batch's counters,
  // not one per hundred rows.
  std::vector<store::Statement> statements;
  std::vector<CounterDelta> park, enterprise;
  for (const CounterDelta& row : counters.Rows()) {
    (row.enterprise.empty() ? park : enterprise).push_back(row);
  }
  for (size_t begin = 0; begin < park.size(); begin += kRows) {
    std::string sql = "INSERT INTO stat_counter (indicator, labels, day, value) VALUES ";
    store::Params params;
    for (size_t i = begin; i < std::min(park.size(), begin + kRows); ++i) {
      const CounterDelta& row = park[i];
      size_t n = params.size();
      absl::StrAppend(&sql, i == begin ? "" : ", ", "($", n + 1, ", $", n + 2, ", $", n + 3, ", $",
                      n + 4, ")");
      params.insert(params.end(), {std::string(row.indicator), std::string(row.labels),
                                   std::string(row.day), row.delta});
    }
    sql +=
        " ON CONFLICT (indicator, labels, day) DO UPDATE SET value = stat_counter.value + "
        "excluded.value";
    statements.push_back({std::move(sql), std::move(params)});
  }
  for (size_t begin = 0; begin < enterprise.size(); begin += kRows) {
    std::string sql =
        "INSERT INTO stat_enterprise_counter (enterprise, indicator, labels, day, value) VALUES ";
    store::Params params;
    for (size_t i = begin; i < std::min(enterprise.size(), begin + kRows); ++i) {
      const CounterDelta& row = enterprise[i];
      size_t n = params.size();
      absl::StrAppend(&sql, i == begin ? "" : ", ", "($", n + 1, ", $", n + 2, ", $", n + 3, ", $",
                      n + 4, ", $", n + 5, ")");
      params.insert(params.end(), {std::string(row.enterprise), std::string(row.indicator),
                                   std::string(row.labels), std::string(row.day), row.delta});
    }
    sql +=
        " ON CONFLICT (enterprise, indicator, labels, day) DO UPDATE SET value = "
        "stat_enterprise_counter.value + excluded.value";
    statements.push_back({std::move(sql), std::move(params)});
  }
  if (statements.empty()) return absl::OkStatus();
  return tx.QueryAll(statements).status();
}

// Records the facts of `once` that are new and adds their deltas to `counters`: the first of a
// fact's events in the batch, and only when no earlier batch counted it.
absl::Status CountOnce(store::Transaction& tx, const std::vector<OnceFact>& once,
                       CounterDeltas* counters) {
  std::map<std::pair<std::string, std::string>, const OnceFact*> first;
  std::vector<const OnceFact*> facts;
  for (const OnceFact& f : once) {
    if (first.emplace(std::make_pair(f.fact, f.key), &f).second) facts.push_back(&f);
  }
  // Every statement in one call, as the counters (ApplyCounters).
  std::vector<store::Statement> statements;
  for (size_t begin = 0; begin < facts.size(); begin += kRows) {
    std::string sql = "INSERT INTO stat_once (fact, fact_key, day) VALUES ";
    store::Params params;
    for (size_t i = begin; i < std::min(facts.size(), begin + kRows); ++i) {
      const OnceFact& f = *facts[i];
      size_t n = params.size();
      absl::StrAppend(&sql, i == begin ? "" : ", ", "($", n + 1, ", $", n + 2, ", $", n + 3, ")");
      params.insert(params.end(),
                    {f.fact, f.key, f.deltas.empty() ? std::string() : f.deltas.front().day});
    }
    sql += " ON CONFLICT (fact, fact_key) DO NOTHING RETURNING fact, fact_key";
    statements.push_back({std::move(sql), std::move(params)});
  }
  if (statements.empty()) return absl::OkStatus();
  auto inserted = tx.QueryAll(statements);
  if (!inserted.ok()) return inserted.status();
  for (const std::vector<store::Row>& rows : *inserted) {
    for (const store::Row& r : rows) {
      const OnceFact& f = *first.at(std::make_pair(r.Text(0), r.Text(1)));
      for (const OnceFact::Delta& d : f.deltas) {
        counters->Add(d.indicator, d.labels, d.day, d.delta, d.enterprise);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyEffects(store::Transaction& tx, const Effects& effects) {
  if (effects.once.empty()) {
    if (auto s = ApplyCounters(tx, effects.counters); !s.ok()) return s;
  } else {
    // The batch's counters with the new facts' added, written together so that each counter
    // row is still written once, in the order Rows() gives.
    CounterDeltas counters = effects.counters;
    if (auto s = CountOnce(tx, effects.once, &counters); !s.ok()) return s;
    if (auto s = ApplyCounters(tx, counters); !s.ok()) return s;
  }
  return ApplyProjections(tx, effects);
}

absl::Status ApplyProjections(store::Transaction& tx, const Effects& effects) {
  for (const EnterpriseRecord& e : effects.enterprises) {
    auto s = tx.Execute(
        "INSERT INTO stat_enterprise (uscc, customs_code, name, roles, unit_ids, resident) VALUES "
        "($1, $2, $3, $4, $5, $6) ON CONFLICT (uscc) DO UPDATE SET customs_code = "
        "excluded.customs_code, name = excluded.name, roles = excluded.roles, unit_ids = "
        "excluded.unit_ids, resident = excluded.resident",
        {e.uscc, e.customs_code, e.name, absl::StrJoin(e.roles, ","),
         absl::StrJoin(e.unit_ids, ","), int64_t{e.resident ? 1 : 0}});
    if (!s.ok()) return s.status();
  }
  const Effects::Days& days = effects.record_days;
  for (size_t i = 0; i < effects.enterprises.size(); ++i) {
    const EnterpriseRecord& e = effects.enterprises[i];
    auto s = tx.Execute(
        "INSERT INTO stat_enterprise_day (uscc, day, customs_code, name, roles, unit_ids, "
        "resident) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (uscc, day) DO UPDATE SET "
        "customs_code = excluded.customs_code, name = excluded.name, roles = excluded.roles, "
        "unit_ids = excluded.unit_ids, resident = excluded.resident",
        {e.uscc, DayAt(days.enterprises, i), e.customs_code, e.name, absl::StrJoin(e.roles, ","),
         absl::StrJoin(e.unit_ids, ","), int64_t{e.resident ? 1 : 0}});
    if (!s.ok()) return s.status();
  }
  for (size_t i = 0; i < effects.units.size(); ++i) {
    const UnitRecord& u = effects.units[i];
    auto s = tx.Execute(
        "INSERT INTO stat_unit_day (unit_id, day, area_centi_m2) VALUES ($1, $2, $3) ON CONFLICT "
        "(unit_id, day) DO UPDATE SET area_centi_m2 = excluded.area_centi_m2",
        {u.unit_id, DayAt(days.units, i), u.area_centi_m2});
    if (!s.ok()) return s.status();
  }
  for (size_t i = 0; i < effects.ip_assets.size(); ++i) {
    const IpAssetRecord& a = effects.ip_assets[i];
    auto s = tx.Execute(
        "INSERT INTO stat_ip_asset_day (kind, registration_no, day, uscc) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (kind, registration_no, day) DO UPDATE SET uscc = excluded.uscc",
        {a.kind, a.registration_no, DayAt(days.ip_assets, i), a.uscc});
    if (!s.ok()) return s.status();
  }
  for (size_t i = 0; i < effects.talent.size(); ++i) {
    const TalentRecord& t = effects.talent[i];
    auto s = tx.Execute(
        "INSERT INTO stat_talent_day (uscc, year, day, employees, cross_border_staff, "
        "trained_staff) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (uscc, year, day) DO UPDATE "
        "SET employees = excluded.employees, cross_border_staff = excluded.cross_border_staff, "
        "trained_staff = excluded.trained_staff",
        {t.uscc, int64_t{t.year}, DayAt(days.talent, i), t.employees, t.cross_border_staff,
         t.trained_staff});
    if (!s.ok()) return s.status();
  }
  for (const UnitRecord& u : effects.units) {
    auto s = tx.Execute(
        "INSERT INTO stat_unit (unit_id, area_centi_m2) VALUES ($1, $2) ON CONFLICT (unit_id) DO "
        "UPDATE SET area_centi_m2 = excluded.area_centi_m2",
        {u.unit_id, u.area_centi_m2});
    if (!s.ok()) return s.status();
  }
  for (const IpAssetRecord& a : effects.ip_assets) {
    auto s = tx.Execute(
        "INSERT INTO stat_ip_asset (kind, registration_no, uscc) VALUES ($1, $2, $3) ON CONFLICT "
        "(kind, registration_no) DO UPDATE SET uscc = excluded.uscc",
        {a.kind, a.registration_no, a.uscc});
    if (!s.ok()) return s.status();
  }
  for (const TalentRecord& t : effects.talent) {
    auto s = tx.Execute(
        "INSERT INTO stat_talent (uscc, year, employees, cross_border_staff, trained_staff) VALUES "
        "($1, $2, $3, $4, $5) ON CONFLICT (uscc, year) DO UPDATE SET employees = "
        "excluded.employees, cross_border_staff = excluded.cross_border_staff, trained_staff = "
        "excluded.trained_staff",
        {t.uscc, int64_t{t.year}, t.employees, t.cross_border_staff, t.trained_staff});
    if (!s.ok()) return s.status();
  }
  // A shipment's events arrive in order (one key, one partition): the last one wins. The counts
  // by status move with each change, so that reading them never scans every shipment.
  std::map<std::string, std::string> shipments;
  for (const ShipmentRecord& s : effects.shipments) shipments[s.shipment] = s.status;
  std::map<std::string, std::string> previous;
  std::vector<std::string> keys;
  for (const auto& [shipment, status] : shipments) keys.push_back(shipment);
  for (size_t begin = 0; begin < keys.size(); begin += kRows) {
    std::string sql = "SELECT shipment, status FROM stat_shipment WHERE shipment IN (";
    store::Params params;
    for (size_t i = begin; i < std::min(keys.size(), begin + kRows); ++i) {
      absl::StrAppend(&sql, i == begin ? "" : ", ", "$", params.size() + 1);
      params.push_back(keys[i]);
    }
    auto rows = tx.Query(sql + ")", params);
    if (!rows.ok()) return rows.status();
    for (const store::Row& r : *rows) previous[r.Text(0)] = r.Text(1);
  }
  std::map<std::string, int64_t> moved;  // status -> change of its count
  for (const auto& [shipment, status] : shipments) {
    auto was = previous.find(shipment);
    if (was != previous.end() && was->second == status) continue;
    if (was != previous.end()) moved[was->second]--;
    moved[status]++;
    auto s = tx.Execute(
        "INSERT INTO stat_shipment (shipment, status) VALUES ($1, $2) ON CONFLICT (shipment) DO "
        "UPDATE SET status = excluded.status",
        {shipment, status});
    if (!s.ok()) return s.status();
  }
  // The same moves, on the day each change happened: a shipment changed twice in the batch
  // moves twice.
  std::map<std::pair<std::string, std::string>, int64_t> moved_on;  // (status, day) -> change
  {
    std::map<std::string, std::string> status_now = previous;
    for (size_t i = 0; i < effects.shipments.size(); ++i) {
      const ShipmentRecord& r = effects.shipments[i];
      auto was = status_now.find(r.shipment);
      if (was != status_now.end() && was->second == r.status) continue;
      std::string day = DayAt(days.shipments, i);
      if (was != status_now.end()) moved_on[{was->second, day}]--;
      moved_on[{r.status, day}]++;
      status_now[r.shipment] = r.status;
    }
  }
  for (const auto& [key, n] : moved_on) {
    if (n == 0) continue;
    auto s = tx.Execute(
        "INSERT INTO stat_shipment_count_day (status, day, n) VALUES ($1, $2, $3) ON CONFLICT "
        "(status, day) DO UPDATE SET n = stat_shipment_count_day.n + excluded.n",
        {key.first, key.second, n});
    if (!s.ok()) return s.status();
  }
  for (const auto& [status, n] : moved) {
    if (n == 0) continue;
    auto s = tx.Execute(
        "INSERT INTO stat_shipment_count (status, n) VALUES ($1, $2) ON CONFLICT (status) DO "
        "UPDATE SET n = stat_shipment_count.n + excluded.n",
        {status, n});
    if (!s.ok()) return s.status();
  }
  return absl::OkStatus();
}

namespace {

// The counters the snapshots sum over every day up to their own, one list per loader below.
// IsSummedIntoSnapshots answers from these same lists, so that a late change to any of them
// revises the closed days after its own as well (aggregator.cc).
constexpr absl::string_view kTrainedCounters[] = {"support_staff_trained"};
// The first adds to the incubator, the others take from it.
constexpr absl::string_view kIncubationCounters[] = {"incubation_admitted", "incubation_graduated",
                                                     "incubation_left"};
// The first adds a document in force, the second takes it away.
constexpr absl::string_view kDocumentCounters[] = {"quality_documents_registered",
                                                   "quality_documents_withdrawn"};
constexpr absl::Span<const absl::string_view> kSummedIntoSnapshots[] = {
    kTrainedCounters, kIncubationCounters, kDocumentCounters};

// "($2, $3 ...)": `indicators` as parameters, appended to `params`.
std::string InList(absl::Span<const absl::string_view> indicators, store::Params* params) {
  std::string sql = "(";
  for (size_t i = 0; i < indicators.size(); ++i) {
    params->push_back(std::string(indicators[i]));
    absl::StrAppend(&sql, i == 0 ? "" : ", ", "$", params->size());
  }
  return sql + ")";
}

// The park-wide counters `indicators` summed over every day up to `day`: rows of indicator,
// labels and sum.
absl::StatusOr<std::vector<store::Row>> SumsUpTo(store::Transaction& tx,
                                                 absl::Span<const absl::string_view> indicators,
                                                 const std::string& day) {
  store::Params params = {day};
  std::string in = InList(indicators, &params);
  return tx.Query(absl::StrCat("SELECT indicator, labels, CAST(SUM(value) AS BIGINT) FROM "
                               "stat_counter WHERE indicator IN ",
                               in, " AND day <= $1 GROUP BY indicator, labels"),
                  params);
}

// The register documents in force at the end of `day`, by kind: the first publications counted
// up to it less the withdrawals (its versions replace one another).
absl::Status LoadDocumentsInForce(store::Transaction& tx, const std::string& day, Snapshot* s) {
  auto rows = SumsUpTo(tx, kDocumentCounters, day);
  if (!rows.ok()) return rows.status();
  for (const store::Row& r : *rows) {
    Labels labels = ParseLabels(r.Text(1));
    auto kind = labels.find("kind");
    int64_t sign = r.Text(0) == kDocumentCounters[0] ? 1 : -1;
    // A kind whose documents were all withdrawn reads 0, not nothing.
    if (kind != labels.end()) s->documents_by_kind[kind->second] += sign * r.Int(2);
  }
  return absl::OkStatus();
}

// Staff trained by confirmed attendance per year, counted on the days up to `day`: a counter,
// so its per-day rows are its history.
absl::Status LoadTrainedConfirmed(store::Transaction& tx, const std::string& day, Snapshot& s) {
  store::Params params = {day};
  std::string in = InList(kTrainedCounters, &params);
  auto rows = tx.Query(absl::StrCat("SELECT SUBSTR(day, 1, 4), CAST(SUM(value) AS BIGINT) FROM "
                                    "stat_counter WHERE indicator IN ",
                                    in, " AND day <= $1 GROUP BY SUBSTR(day, 1, 4)"),
                       params);
  if (!rows.ok()) return rows.status();
  for (const store::Row& r : *rows) {
    int year = 0;
    if (absl::SimpleAtoi(r.Text(0), &year)) s.trained_confirmed[year] = r.Int(1);
  }
  return absl::OkStatus();
}

// Incubatees in the incubator by cohort at the end of `day`: the counters of admissions,
// graduations and leavings (event_effects.cc) summed over every day up to it.
absl::Status LoadIncubationActive(store::Transaction& tx, const std::string& day, Snapshot& s) {
  auto rows = SumsUpTo(tx, kIncubationCounters, day);
  if (!rows.ok()) return rows.status();
  for (const store::Row& r : *rows) {
    Labels labels = ParseLabels(r.Text(1));
    auto cohort = labels.find("cohort");
    if (cohort == labels.end()) continue;
    int64_t sign = r.Text(0) == kIncubationCounters[0] ? 1 : -1;
    s.incubation_active_by_cohort[cohort->second] += sign * r.Int(2);
  }
  return absl::OkStatus();
}

}  // namespace

bool IsSummedIntoSnapshots(absl::string_view indicator) {
  for (absl::Span<const absl::string_view> counters : kSummedIntoSnapshots) {
    for (absl::string_view counter : counters) {
      if (counter == indicator) return true;
    }
  }
  return false;
}

absl::StatusOr<Snapshot> LoadSnapshot(store::Transaction& tx) {
  Snapshot s;
  if (auto st = LoadTrainedConfirmed(tx, "9999-99-99", s); !st.ok()) return st;
  auto enterprises =
      tx.Query("SELECT uscc, customs_code, name, roles, unit_ids, resident FROM stat_enterprise");
  if (!enterprises.ok()) return enterprises.status();
  for (const store::Row& r : *enterprises) {
    s.enterprises.push_back({r.Text(0), r.Text(1), r.Text(2), SplitList(r.Text(3)),
                             SplitList(r.Text(4)), r.Int(5) != 0});
  }
  auto units = tx.Query("SELECT unit_id, area_centi_m2 FROM stat_unit");
  if (!units.ok()) return units.status();
  for (const store::Row& r : *units) s.units.push_back({r.Text(0), r.Int(1)});
  auto assets = tx.Query("SELECT kind, registration_no, uscc FROM stat_ip_asset");
  if (!assets.ok()) return assets.status();
  for (const store::Row& r : *assets) s.ip_assets.push_back({r.Text(0), r.Text(1), r.Text(2)});
  auto talent =
      tx.Query("SELECT uscc, year, employees, cross_border_staff, trained_staff FROM stat_talent");
  if (!talent.ok()) return talent.status();
  for (const store::Row& r : *talent) {
    s.talent.push_back({r.Text(0), static_cast<int>(r.Int(1)), r.Int(2), r.Int(3), r.Int(4)});
  }
  auto shipments = tx.Query("SELECT status, n FROM stat_shipment_count WHERE n <> 0");
  if (!shipments.ok()) return shipments.status();
  for (const store::Row& r : *shipments) s.shipments_by_status[r.Text(0)] = r.Int(1);
  if (auto st = LoadIncubationActive(tx, "9999-99-99", s); !st.ok()) return st;
  if (auto d = LoadDocumentsInForce(tx, "9999-99-99", &s); !d.ok()) return d;
  return s;
}

absl::StatusOr<Snapshot> LoadSnapshotAt(store::Transaction& tx, const std::string& day) {
  Snapshot s;
  if (auto st = LoadTrainedConfirmed(tx, day, s); !st.ok()) return st;
  auto enterprises = tx.Query(
      "SELECT h.uscc, h.customs_code, h.name, h.roles, h.unit_ids, h.resident FROM "
      "stat_enterprise_day h JOIN (SELECT uscc, MAX(day) AS day FROM stat_enterprise_day WHERE "
      "day <= $1 GROUP BY uscc) m ON h.uscc = m.uscc AND h.day = m.day ORDER BY h.uscc",
      {day});
  if (!enterprises.ok()) return enterprises.status();
  for (const store::Row& r : *enterprises) {
    s.enterprises.push_back({r.Text(0), r.Text(1), r.Text(2), SplitList(r.Text(3)),
                             SplitList(r.Text(4)), r.Int(5) != 0});
  }
  auto units = tx.Query(
      "SELECT h.unit_id, h.area_centi_m2 FROM stat_unit_day h JOIN (SELECT unit_id, MAX(day) AS "
      "day FROM stat_unit_day WHERE day <= $1 GROUP BY unit_id) m ON h.unit_id = m.unit_id AND "
      "h.day = m.day ORDER BY h.unit_id",
      {day});
  if (!units.ok()) return units.status();
  for (const store::Row& r : *units) s.units.push_back({r.Text(0), r.Int(1)});
  auto assets = tx.Query(
      "SELECT h.kind, h.registration_no, h.uscc FROM stat_ip_asset_day h JOIN (SELECT kind, "
      "registration_no, MAX(day) AS day FROM stat_ip_asset_day WHERE day <= $1 GROUP BY kind, "
      "registration_no) m ON h.kind = m.kind AND h.registration_no = m.registration_no AND h.day "
      "= m.day ORDER BY h.kind, h.registration_no",
      {day});
  if (!assets.ok()) return assets.status();
  for (const store::Row& r : *assets) s.ip_assets.push_back({r.Text(0), r.Text(1), r.Text(2)});
  auto talent = tx.Query(
      "SELECT h.uscc, h.year, h.employees, h.cross_border_staff, h.trained_staff FROM "
      "stat_talent_day h JOIN (SELECT uscc, year, MAX(day) AS day FROM stat_talent_day WHERE day "
      "<= $1 GROUP BY uscc, year) m ON h.uscc = m.uscc AND h.year = m.year AND h.day = m.day "
      "ORDER BY h.uscc, h.year",
      {day});
  if (!talent.ok()) return talent.status();
  for (const store::Row& r : *talent) {
    s.talent.push_back({r.Text(0), static_cast<int>(r.Int(1)), r.Int(2), r.Int(3), r.Int(4)});
  }
  auto shipments = tx.Query(
      "SELECT status, CAST(SUM(n) AS BIGINT) FROM stat_shipment_count_day WHERE day <= $1 GROUP BY "
      "status",
      {day});
  if (!shipments.ok()) return shipments.status();
  for (const store::Row& r : *shipments) {
    if (r.Int(1) != 0) s.shipments_by_status[r.Text(0)] = r.Int(1);
  }
  if (auto st = LoadIncubationActive(tx, day, s); !st.ok()) return st;
  if (auto d = LoadDocumentsInForce(tx, day, &s); !d.ok()) return d;
  return s;
}

absl::StatusOr<std::string> FirstEventDay(store::Transaction& tx) {
  auto rows = tx.Query(
      "SELECT MIN(day) FROM (SELECT MIN(day) AS day FROM stat_counter UNION ALL SELECT MIN(day) "
      "FROM stat_enterprise_day WHERE day > '0000-00-00' UNION ALL SELECT MIN(day) FROM "
      "stat_unit_day WHERE day > '0000-00-00' UNION ALL SELECT MIN(day) FROM stat_ip_asset_day "
      "WHERE day > '0000-00-00' UNION ALL SELECT MIN(day) FROM stat_talent_day WHERE day > "
      "'0000-00-00' UNION ALL SELECT MIN(day) FROM stat_shipment_count_day WHERE day > "
      "'0000-00-00') d");
  if (!rows.ok()) return rows.status();
  if (rows->empty() || (*rows)[0].IsNull(0)) return std::string();
  return (*rows)[0].Text(0);
}

absl::StatusOr<std::optional<std::string>> LoadHistoryFrom(store::Transaction& tx) {
  auto rows = tx.Query("SELECT value FROM stat_history_meta WHERE name = 'history_from'");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>((*rows)[0].Text(0));
}

absl::Status StoreHistoryFrom(store::Transaction& tx, const std::string& day) {
  return tx
      .Execute(
          "INSERT INTO stat_history_meta (name, value) VALUES ('history_from', $1) ON CONFLICT "
          "(name) DO UPDATE SET value = excluded.value",
          {day})
      .status();
}

absl::StatusOr<std::set<std::string>> LoadClosedDays(store::Transaction& tx,
                                                     const std::string& from_day,
                                                     const std::string& to_day) {
  auto rows =
      tx.Query("SELECT day FROM stat_day_closed WHERE day >= $1 AND day <= $2", {from_day, to_day});
  if (!rows.ok()) return rows.status();
  std::set<std::string> out;
  for (const store::Row& r : *rows) out.insert(r.Text(0));
  return out;
}

namespace {

// `figures` as the rows of `day`, in the order LoadDayRows reads them.
std::vector<DailyValue> DayValues(const std::string& day, const std::vector<Figure>& figures) {
  std::vector<DailyValue> out;
  out.reserve(figures.size());
  for (const Figure& f : figures) out.push_back({day, f.indicator, LabelsText(f.labels), f.scaled});
  std::sort(out.begin(), out.end(), [](const DailyValue& a, const DailyValue& b) {
    return std::tie(a.indicator, a.labels) < std::tie(b.indicator, b.labels);
  });
  return out;
}

absl::Status InsertDayValues(store::Transaction& tx, absl::string_view table,
                             const std::vector<DailyValue>& values) {
  std::string sql = absl::StrCat("INSERT INTO ", table,
                                 " (day, indicator, labels, value) VALUES ($1, $2, $3, $4)");
  for (const DailyValue& v : values) {
    if (auto s = tx.Execute(sql, {v.day, v.indicator, v.labels, v.value}); !s.ok()) {
      return s.status();
    }
  }
  return absl::OkStatus();
}

// Makes `table`'s rows of `day` be `values`: whether they were something else.
absl::StatusOr<bool> ReplaceDayValues(store::Transaction& tx, absl::string_view table,
                                      const std::string& day,
                                      const std::vector<DailyValue>& values) {
  auto stored = LoadDayRows(tx, table, "", day, day);
  if (!stored.ok()) return stored.status();
  auto same = [](const DailyValue& a, const DailyValue& b) {
    return a.indicator == b.indicator && a.labels == b.labels && a.value == b.value;
  };
  if (std::equal(values.begin(), values.end(), stored->begin(), stored->end(), same)) return false;
  auto erased = tx.Execute(absl::StrCat("DELETE FROM ", table, " WHERE day = $1"), {day});
  if (!erased.ok()) return erased.status();
  if (auto s = InsertDayValues(tx, table, values); !s.ok()) return s;
  return true;
}

}  // namespace

absl::StatusOr<bool> StoreClosedDay(store::Transaction& tx, const std::string& day,
                                    const std::vector<Figure>& figures,
                                    const std::vector<Figure>& totals, bool backfilled) {
  auto closed = tx.Query("SELECT 1 FROM stat_day_closed WHERE day = $1", {day});
  if (!closed.ok()) return closed.status();
  if (!closed->empty()) return false;
  // A replica racing this one inserts the same key: one commit wins, the other's transaction
  // fails on the key, runs again and finds the day closed.
  auto mark =
      tx.Execute("INSERT INTO stat_day_closed (day, backfilled, revision) VALUES ($1, $2, 0)",
                 {day, int64_t{backfilled ? 1 : 0}});
  if (!mark.ok()) return mark.status();
  if (auto s = InsertDayValues(tx, "stat_snapshot", DayValues(day, figures)); !s.ok()) return s;
  if (auto s = InsertDayValues(tx, "stat_day_totals", DayValues(day, totals)); !s.ok()) return s;
  return true;
}

absl::StatusOr<std::vector<Figure>> LoadDayTotals(store::Transaction& tx, const std::string& day) {
  auto rows = LoadDayRows(tx, "stat_counter", "", day, day);
  if (!rows.ok()) return rows.status();
  std::vector<Figure> out;
  for (const DailyValue& v : *rows) {
    if (v.value != 0) out.push_back({v.indicator, ParseLabels(v.labels), v.value});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> LoadClosedDaysFrom(store::Transaction& tx,
                                                            const std::string& from_day) {
  auto rows = tx.Query("SELECT day FROM stat_day_closed WHERE day >= $1 ORDER BY day", {from_day});
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  for (const store::Row& r : *rows) out.push_back(r.Text(0));
  return out;
}

absl::StatusOr<int64_t> ReviseClosedDay(store::Transaction& tx, const std::string& day,
                                        const std::vector<Figure>& figures,
                                        const std::vector<Figure>& totals) {
  auto snapshot = ReplaceDayValues(tx, "stat_snapshot", day, DayValues(day, figures));
  if (!snapshot.ok()) return snapshot.status();
  auto counted = ReplaceDayValues(tx, "stat_day_totals", day, DayValues(day, totals));
  if (!counted.ok()) return counted.status();
  if (!*snapshot && !*counted) return 0;
  auto bumped =
      tx.Execute("UPDATE stat_day_closed SET revision = revision + 1 WHERE day = $1", {day});
  if (!bumped.ok()) return bumped.status();
  auto revised = tx.Query("SELECT revision FROM stat_day_closed WHERE day = $1", {day});
  if (!revised.ok()) return revised.status();
  if (revised->empty()) return absl::InternalError(absl::StrCat("day ", day, " is not closed"));
  return (*revised)[0].Int(0);
}

absl::StatusOr<std::vector<DailyValue>> LoadSnapshots(store::Transaction& tx,
                                                      const std::string& indicator,
                                                      const std::string& from_day,
                                                      const std::string& to_day) {
  return LoadDayRows(tx, "stat_snapshot", indicator, from_day, to_day);
}

absl::StatusOr<Totals> LoadTotals(store::Transaction& tx, const std::string& from_day,
                                  const std::string& to_day) {
  auto [from, to] = Range(from_day, to_day);
  auto rows = tx.Query(
      "SELECT indicator, labels, CAST(SUM(value) AS BIGINT) FROM stat_counter WHERE day >= $1 "
      "AND day <= $2 GROUP BY indicator, labels",
      {from, to});
  if (!rows.ok()) return rows.status();
  Totals totals;
  for (const store::Row& r : *rows) totals[{r.Text(0), r.Text(1)}] = r.Int(2);
  return totals;
}

absl::StatusOr<Totals> LoadEnterpriseTotals(store::Transaction& tx, const std::string& enterprise,
                                            const std::string& from_day,
                                            const std::string& to_day) {
  auto [from, to] = Range(from_day, to_day);
  auto rows = tx.Query(
      "SELECT indicator, labels, CAST(SUM(value) AS BIGINT) FROM stat_enterprise_counter WHERE "
      "enterprise = $1 AND day >= $2 AND day <= $3 GROUP BY indicator, labels",
      {enterprise, from, to});
  if (!rows.ok()) return rows.status();
  Totals totals;
  for (const store::Row& r : *rows) totals[{r.Text(0), r.Text(1)}] = r.Int(2);
  return totals;
}

absl::StatusOr<std::vector<DailyValue>> LoadDaily(store::Transaction& tx,
                                                  const std::string& indicator,
                                                  const std::string& from_day,
                                                  const std::string& to_day) {
  return LoadDayRows(tx, "stat_counter", indicator, from_day, to_day);
}

absl::StatusOr<std::vector<EnterpriseValue>> LoadTopEnterprises(store::Transaction& tx,
                                                                const std::string& indicator,
                                                                const std::string& from_day,
                                                                const std::string& to_day,
                                                                int limit) {
  auto [from, to] = Range(from_day, to_day);
  auto rows = tx.Query(
      "SELECT enterprise, CAST(SUM(value) AS BIGINT) AS total FROM stat_enterprise_counter WHERE "
      "indicator = $1 AND day >= $2 AND day <= $3 GROUP BY enterprise ORDER BY total DESC, "
      "enterprise LIMIT $4",
      {indicator, from, to, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<EnterpriseValue> out;
  for (const store::Row& r : *rows) out.push_back({r.Text(0), r.Int(1)});
  return out;
}

}  // namespace parkline::statistics
