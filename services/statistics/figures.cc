#include "statistics/figures.h"

#include <set>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"

namespace parkline::statistics {

int64_t Sum(const Totals& totals, const std::string& indicator, const Labels& filter) {
  int64_t sum = 0;
  for (auto it = totals.lower_bound({indicator, ""});
       it != totals.end() && it->first.first == indicator; ++it) {
    Labels labels = ParseLabels(it->first.second);
    bool match = true;
    for (const auto& [k, v] : filter) {
      auto found = labels.find(k);
      if (found == labels.end() || found->second != v) match = false;
    }
    if (match) sum += it->second;
  }
  return sum;
}

std::optional<int64_t> Ratio(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return std::nullopt;
  absl::int128 scaled = absl::int128(numerator) * 10000;
  return static_cast<int64_t>((scaled * 2 + denominator) / (absl::int128(denominator) * 2));
}

std::vector<Figure> PeriodRates(const Totals& period) {
  std::vector<Figure> out;
  for (const Rate& rate : Rates()) {
    int64_t numerator = 0, denominator = 0;
    for (const std::string& i : rate.numerator) numerator += Sum(period, i);
    for (const std::string& i : rate.denominator) denominator += Sum(period, i);
    if (auto r = Ratio(numerator, denominator)) out.push_back({rate.name, {}, *r});
  }
  return out;
}

std::vector<Figure> CurrentFigures(const Snapshot& s) {
  std::vector<Figure> out;
  std::map<std::string, int64_t> by_role;
  int64_t resident = 0, cross_border = 0;
  std::set<std::string> occupied_units;
  std::set<std::string> resident_usccs;
  for (const EnterpriseRecord& e : s.enterprises) {
    if (!e.resident) continue;
    resident++;
    resident_usccs.insert(e.uscc);
    bool counted = false;
    for (const std::string& role : e.roles) {
      by_role[role]++;
      if (IsCrossBorderEcommerceRole(role) && !counted) {
        cross_border++;
        counted = true;
      }
    }
    occupied_units.insert(e.unit_ids.begin(), e.unit_ids.end());
  }
  for (const auto& [role, n] : by_role) out.push_back({"enterprises", {{"role", role}}, n});
  out.push_back({"enterprises_resident", {}, resident});
  out.push_back({"cross_border_enterprises_resident", {}, cross_border});

  int64_t units = 0, occupied = 0, area = 0, occupied_area = 0;
  for (const UnitRecord& u : s.units) {
    units++;
    area += u.area_centi_m2;
    if (occupied_units.count(u.unit_id) > 0) {
      occupied++;
      occupied_area += u.area_centi_m2;
    }
  }
  out.push_back({"units", {{"state", "occupied"}}, occupied});
  out.push_back({"units", {{"state", "vacant"}}, units - occupied});
  out.push_back({"leasable_area_m2", {{"state", "occupied"}}, occupied_area});
  out.push_back({"leasable_area_m2", {{"state", "vacant"}}, area - occupied_area});
  if (auto r = Ratio(occupied_area, area))
    out.push_back({"occupancy_ratio", {{"basis", "area"}}, *r});
  if (auto r = Ratio(occupied, units)) out.push_back({"occupancy_ratio", {{"basis", "units"}}, *r});

  // IP of resident enterprises; talent of the latest year each resident enterprise reported.
  std::map<std::string, int64_t> by_kind;
  for (const IpAssetRecord& a : s.ip_assets) {
    if (resident_usccs.count(a.uscc) > 0) by_kind[a.kind]++;
  }
  for (const auto& [kind, n] : by_kind) out.push_back({"ip_assets", {{"kind", kind}}, n});
  std::map<std::string, const TalentRecord*> latest;
  for (const TalentRecord& t : s.talent) {
    if (resident_usccs.count(t.uscc) == 0) continue;
    auto& slot = latest[t.uscc];
    if (slot == nullptr || slot->year < t.year) slot = &t;
  }
  int64_t employees = 0, cross_border_staff = 0, trained = 0;
  for (const auto& [uscc, t] : latest) {
    employees += t->employees;
    cross_border_staff += t->cross_border_staff;
    trained += t->trained_staff;
  }
  out.push_back({"talent", {{"category", "employees"}}, employees});
  out.push_back({"talent", {{"category", "cross_border_staff"}}, cross_border_staff});
  out.push_back({"talent", {{"category", "trained_staff"}}, trained});
  for (const auto& [status, n] : s.shipments_by_status) {
    out.push_back({"shipments", {{"status", status}}, n});
  }
  return out;
}

int64_t Current(const std::vector<Figure>& figures, const std::string& indicator,
                const Labels& labels) {
  for (const Figure& f : figures) {
    if (f.indicator == indicator && f.labels == labels) return f.scaled;
  }
  return 0;
}

namespace {
bool Has(const std::vector<Figure>& figures, const std::string& indicator, const Labels& labels) {
  for (const Figure& f : figures) {
    if (f.indicator == indicator && f.labels == labels) return true;
  }
  return false;
}
}  // namespace

Score ServiceScore(const std::vector<Figure>& current, const Totals& period) {
  Score score;
  int64_t cross_border = Current(current, "cross_border_enterprises_resident");
  score.components.push_back({"scale", "5.3.1", 20,
                              Ratio(std::min<int64_t>(cross_border, kMinimumCrossBorderEnterprises),
                                    kMinimumCrossBorderEnterprises)});
  std::optional<int64_t> occupancy;
  if (Has(current, "occupancy_ratio", {{"basis", "area"}})) {
    occupancy = Current(current, "occupancy_ratio", {{"basis", "area"}});
  }
  score.components.push_back({"occupancy", "5.5.4", 20, occupancy});
  int64_t matched = Sum(period, "declarations_matched");
  score.components.push_back(
      {"declarations", "6.1", 20, Ratio(matched, matched + Sum(period, "declarations_rejected"))});
  int64_t released = Sum(period, "clearance_released");
  score.components.push_back(
      {"clearance", "6.2", 20, Ratio(released, released + Sum(period, "clearance_rejected"))});
  int64_t delivered = Sum(period, "shipments_delivered");
  score.components.push_back(
      {"logistics", "6.5.4", 10, Ratio(delivered, delivered + Sum(period, "shipment_exceptions"))});
  score.components.push_back(
      {"complaints", "7.3", 10,
       Ratio(Sum(period, "complaints_resolved_on_time"), Sum(period, "complaints_resolved"))});
  int64_t weighted = 0, weights = 0;
  for (const ScoreComponent& c : score.components) {
    if (!c.value) continue;
    weighted += c.weight * *c.value;
    weights += c.weight;
  }
  score.scaled = weights == 0 ? 0 : (weighted * 2 + weights) / (2 * weights);
  return score;
}

std::vector<ClauseVerdict> Conformance(const std::vector<Figure>& current, const Totals& period) {
  std::vector<ClauseVerdict> out;
  {
    ClauseVerdict v;
    v.clause = "5.3.1";
    v.requirement = "Able to host at least 15 resident cross-border e-commerce enterprises.";
    int64_t n = Current(current, "cross_border_enterprises_resident");
    v.verdict = n >= kMinimumCrossBorderEnterprises ? Verdict::kMet : Verdict::kNotMet;
    v.explanation = absl::StrCat(n,
                                 " resident cross-border e-commerce enterprises (platforms and "
                                 "e-commerce enterprises); at least ",
                                 kMinimumCrossBorderEnterprises, " required.");
    v.evidence.push_back({"cross_border_enterprises_resident", {}, n});
    v.evidence.push_back({"enterprises_resident", {}, Current(current, "enterprises_resident")});
    out.push_back(std::move(v));
  }
  {
    ClauseVerdict v;
    v.clause = "5.5.4";
    v.requirement =
        "A statistics system counting every cross-border e-commerce business mode and showing "
        "occupancy, enterprise numbers and types, IP and talent, with an evaluation system.";
    bool occupancy = Has(current, "occupancy_ratio", {{"basis", "area"}});
    bool residents = Current(current, "enterprises_resident") > 0;
    v.verdict = occupancy && residents ? Verdict::kMet : Verdict::kNotMet;
    v.explanation =
        occupancy && residents
            ? "Every indicator of 5.5.4 is computed from the park's events; trade is counted for "
              "all business modes (9610, 9710, 9810, 1210, 1239) and both directions."
            : (occupancy ? "No resident enterprise is known yet."
                         : "No leasable unit is defined, so the occupancy rate cannot be shown.");
    for (const Figure& f : current) {
      if (f.indicator == "occupancy_ratio" || f.indicator == "enterprises" ||
          f.indicator == "ip_assets" || f.indicator == "talent") {
        v.evidence.push_back(f);
      }
    }
    for (const char* mode : {"9610", "9710", "9810", "1210", "1239"}) {
      v.evidence.push_back({"declarations_matched",
                            {{"mode", mode}},
                            Sum(period, "declarations_matched", {{"mode", mode}})});
    }
    Score score = ServiceScore(current, period);
    v.evidence.push_back({"service_score", {}, score.scaled});
    out.push_back(std::move(v));
  }
  {
    ClauseVerdict v;
    v.clause = "7.3";
    v.requirement = "Complaints handled within the committed time, with supervision.";
    int64_t resolved = Sum(period, "complaints_resolved");
    int64_t on_time = Sum(period, "complaints_resolved_on_time");
    int64_t overdue = Sum(period, "complaints_overdue");
    if (resolved == 0 && overdue == 0) {
      v.verdict = Verdict::kNotEvaluated;
      v.explanation = "No complaint was resolved or overdue in the period.";
    } else {
      v.verdict = on_time == resolved && overdue == 0 ? Verdict::kMet : Verdict::kNotMet;
      v.explanation = absl::StrCat(on_time, " of ", resolved,
                                   " complaints resolved within the committed time; ", overdue,
                                   " deadlines missed.");
    }
    v.evidence.push_back({"complaints_resolved", {}, resolved});
    v.evidence.push_back({"complaints_resolved_on_time", {}, on_time});
    v.evidence.push_back({"complaints_overdue", {}, overdue});
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace parkline::statistics
