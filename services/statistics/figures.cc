#include "statistics/figures.h"

#include <algorithm>
#include <set>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "decimal/fixed_point.h"

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
    if (rate.by.empty()) {
      int64_t numerator = 0, denominator = 0;
      for (const std::string& i : rate.numerator) numerator += Sum(period, i);
      for (const std::string& i : rate.denominator) denominator += Sum(period, i);
      if (auto r = Ratio(numerator, denominator)) out.push_back({rate.name, {}, *r});
      continue;
    }
    // One ratio per value of the label, taken from the denominator's label sets.
    std::set<std::string> values;
    for (const auto& [key, value] : period) {
      if (std::find(rate.denominator.begin(), rate.denominator.end(), key.first) ==
          rate.denominator.end()) {
        continue;
      }
      Labels labels = ParseLabels(key.second);
      if (auto it = labels.find(rate.by); it != labels.end()) values.insert(it->second);
    }
    for (const std::string& v : values) {
      Labels filter = {{rate.by, v}};
      int64_t numerator = 0, denominator = 0;
      for (const std::string& i : rate.numerator) numerator += Sum(period, i, filter);
      for (const std::string& i : rate.denominator) denominator += Sum(period, i, filter);
      if (auto r = Ratio(numerator, denominator)) out.push_back({rate.name, filter, *r});
    }
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
  for (const auto& [kind, n] : s.documents_by_kind) {
    out.push_back({"quality_documents_in_force", {{"kind", kind}}, n});
  }
  // Staff trained per year from both sources, side by side (6.8.2): what the park confirmed at
  // its trainings, and what resident enterprises reported. Neither replaces the other.
  std::map<int, int64_t> reported;
  for (const TalentRecord& t : s.talent) {
    if (resident_usccs.count(t.uscc) > 0) reported[t.year] += t.trained_staff;
  }
  std::set<int> years;
  for (const auto& [year, n] : reported) years.insert(year);
  for (const auto& [year, n] : s.trained_confirmed) years.insert(year);
  for (int year : years) {
    std::string y = absl::StrCat(year);
    auto confirmed = s.trained_confirmed.find(year);
    out.push_back({"staff_trained",
                   {{"source", "confirmed_attendance"}, {"year", y}},
                   confirmed == s.trained_confirmed.end() ? 0 : confirmed->second});
    out.push_back({"staff_trained", {{"source", "self_reported"}, {"year", y}}, reported[year]});
  }
  for (const auto& [cohort, n] : s.incubation_active_by_cohort) {
    out.push_back({"incubation_active", {{"cohort", cohort}}, n});
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

std::vector<EvaluationInput> EvaluationInputs(const std::vector<Figure>& current,
                                              const Totals& period) {
  std::vector<EvaluationInput> inputs;
  int64_t cross_border = Current(current, "cross_border_enterprises_resident");
  inputs.push_back({"scale", "5.3.1",
                    Ratio(std::min<int64_t>(cross_border, kMinimumCrossBorderEnterprises),
                          kMinimumCrossBorderEnterprises)});
  std::optional<int64_t> occupancy;
  if (Has(current, "occupancy_ratio", {{"basis", "area"}})) {
    occupancy = Current(current, "occupancy_ratio", {{"basis", "area"}});
  }
  inputs.push_back({"occupancy", "5.5.4", occupancy});
  int64_t matched = Sum(period, "declarations_matched");
  inputs.push_back(
      {"declarations", "6.1", Ratio(matched, matched + Sum(period, "declarations_rejected"))});
  int64_t released = Sum(period, "clearance_released");
  inputs.push_back(
      {"clearance", "6.2", Ratio(released, released + Sum(period, "clearance_rejected"))});
  int64_t delivered = Sum(period, "shipments_delivered");
  inputs.push_back(
      {"logistics", "6.5.4", Ratio(delivered, delivered + Sum(period, "shipment_exceptions"))});
  inputs.push_back(
      {"complaints", "7.3",
       Ratio(Sum(period, "complaints_resolved_on_time"), Sum(period, "complaints_resolved"))});
  return inputs;
}

const std::vector<std::string>& BusinessModes() {
  static const auto* modes = new std::vector<std::string>{"9610", "9710", "9810", "1210", "1239"};
  return *modes;
}

namespace {

// The verdict of a clause from its criteria.
Verdict VerdictOf(const std::vector<Criterion>& criteria) {
  bool met = true;
  for (const Criterion& c : criteria) {
    if (!c.evaluated) return Verdict::kNotEvaluated;
    met = met && c.met;
  }
  return met ? Verdict::kMet : Verdict::kNotMet;
}

bool HasAny(const std::vector<Figure>& figures, const std::string& indicator) {
  for (const Figure& f : figures) {
    if (f.indicator == indicator) return true;
  }
  return false;
}

std::string EndText(const ConformanceInput& in) {
  return in.at_end_day.empty() ? in.to : in.at_end_day;
}

ClauseVerdict Clause531(const ConformanceInput& in) {
  ClauseVerdict v;
  v.clause = "5.3.1";
  v.requirement =
      "Room for at least 15 resident cross-border e-commerce enterprises (能够满足 15 家以上跨境"
      "电商企业入驻需求).";
  std::string end = EndText(in);
  Criterion capacity{
      "leasable units of the park at the end of the period (one enterprise per "
      "unit at least)",
      end,
      end,
      absl::StrCat(">= ", kMinimumCrossBorderEnterprises),
      "",
      false,
      false};
  Criterion residents{
      "resident cross-border e-commerce enterprises (platforms and e-commerce "
      "enterprises) at the end of the period; reported beside the capacity, "
      "5.3.1 asks for room, not for residents",
      end,
      end,
      "none",
      "",
      true,
      false};
  if (in.at_end) {
    int64_t units = Current(*in.at_end, "units", {{"state", "occupied"}}) +
                    Current(*in.at_end, "units", {{"state", "vacant"}});
    int64_t n = Current(*in.at_end, "cross_border_enterprises_resident");
    capacity.value = absl::StrCat(units);
    capacity.evaluated = true;
    capacity.met = units >= kMinimumCrossBorderEnterprises;
    residents.value = absl::StrCat(n);
    residents.evaluated = true;
    v.evidence.push_back(
        {"units", {{"state", "occupied"}}, Current(*in.at_end, "units", {{"state", "occupied"}})});
    v.evidence.push_back(
        {"units", {{"state", "vacant"}}, Current(*in.at_end, "units", {{"state", "vacant"}})});
    v.evidence.push_back({"cross_border_enterprises_resident", {}, n});
    v.evidence.push_back({"enterprises_resident", {}, Current(*in.at_end, "enterprises_resident")});
    v.explanation = absl::StrCat(units, " leasable units at the end of ", end, " (",
                                 kMinimumCrossBorderEnterprises, " needed); ", n,
                                 " cross-border e-commerce enterprises resident.");
  } else {
    v.explanation = absl::StrCat("The park's units at the end of ", end,
                                 " are not known: that day was never closed.");
  }
  v.criteria = {capacity, residents};
  v.verdict = VerdictOf(v.criteria);
  return v;
}

ClauseVerdict Clause554(const ConformanceInput& in) {
  ClauseVerdict v;
  v.clause = "5.5.4";
  v.requirement =
      "A statistics system counting every cross-border e-commerce business mode and showing "
      "occupancy, enterprise numbers and types, IP and talent, with an evaluation system.";
  std::string end = EndText(in);
  // Every indicator the clause names must have a value for the period: the current-value ones
  // at its end, trade over its days, and the daily snapshots of its ended days must be complete.
  struct Named {
    const char* measured;
    const char* indicator;
  };
  const std::vector<Named> named = {
      {"入驻率: occupancy_ratio (basis area) at the end of the period", "occupancy_ratio"},
      {"企业数量: enterprises_resident at the end of the period", "enterprises_resident"},
      {"企业类型分布: enterprises by role at the end of the period", "enterprises"},
      {"知识产权: ip_assets by kind at the end of the period", "ip_assets"},
      {"人才情况: talent by category at the end of the period", "talent"},
  };
  std::vector<std::string> missing;
  for (const Named& n : named) {
    Criterion c{n.measured, end, end, "a value exists", "", false, false};
    if (in.at_end) {
      c.evaluated = true;
      c.met = HasAny(*in.at_end, n.indicator);
      c.value = c.met ? "present" : "absent";
      if (!c.met) missing.push_back(n.indicator);
    }
    v.criteria.push_back(c);
  }
  {
    // Trade is counted where it is final, at customs' release (README "Trade"): the pipeline's
    // matches include orders that customs later rejects or that are withdrawn, which a park's
    // upward report must not count.
    int64_t released = Sum(in.period, "trade_orders");
    Criterion c{
        "全口径统计: trade orders released by customs (trade_orders), over every business mode "
        "present (9610, 9710, 9810, 1210, 1239), in the period",
        in.from,
        in.to,
        "> 0",
        absl::StrCat(released),
        released > 0,
        true};
    if (!c.met) missing.push_back("trade_orders");
    v.criteria.push_back(c);
  }
  {
    // The orders the park matched, whatever customs then decided: informational, beside the
    // trade, so that a period with matches and no release yet shows where its orders are.
    int64_t matched = Sum(in.period, "declarations_matched");
    v.criteria.push_back(
        {"declarations matched in the period (pipeline, 6.2.3; reported beside "
         "the trade, not trade itself)",
         in.from, in.to, "none", absl::StrCat(matched), true, true});
  }
  {
    Criterion c{
        "daily snapshots of the current-value indicators, for every ended day of the "
        "period since the history began (" +
            (in.history_from.empty() ? std::string("not yet") : in.history_from) + ")",
        in.from,
        in.to,
        "= every such day",
        absl::StrCat(in.days_closed, " of ", in.days_required),
        in.days_closed >= in.days_required,
        true};
    v.criteria.push_back(c);
  }
  if (in.at_end) {
    int64_t with_data = 0;
    for (const EvaluationInput& c : EvaluationInputs(*in.at_end, in.period)) {
      with_data += c.value ? 1 : 0;
    }
    v.criteria.push_back({"运行和服务评价体系: evaluation inputs with data in the period", in.from,
                          in.to, ">= 1", absl::StrCat(with_data), with_data >= 1, true});
    for (const Figure& f : *in.at_end) {
      if (f.indicator == "occupancy_ratio" || f.indicator == "enterprises" ||
          f.indicator == "ip_assets" || f.indicator == "talent") {
        v.evidence.push_back(f);
      }
    }
  } else {
    v.criteria.push_back({"运行和服务评价体系: evaluation inputs with data in the period", in.from,
                          in.to, ">= 1", "", false, false});
  }
  for (const std::string& mode : BusinessModes()) {
    v.evidence.push_back(
        {"trade_orders", {{"mode", mode}}, Sum(in.period, "trade_orders", {{"mode", mode}})});
  }
  for (const std::string& mode : BusinessModes()) {
    v.evidence.push_back({"declarations_matched",
                          {{"mode", mode}},
                          Sum(in.period, "declarations_matched", {{"mode", mode}})});
  }
  v.verdict = VerdictOf(v.criteria);
  switch (v.verdict) {
    case Verdict::kMet:
      v.explanation =
          absl::StrCat("Every indicator 5.5.4 names has a value for ", in.from, "..", in.to,
                       " and its ", in.days_required, " ended days all have their snapshot.");
      break;
    case Verdict::kNotEvaluated:
      v.explanation = absl::StrCat("The figures at the end of ", end,
                                   " are not known: that day was never closed.");
      break;
    default:
      v.explanation = absl::StrCat(
          missing.empty() ? std::string("Every named indicator has a value")
                          : absl::StrCat("No value for ", absl::StrJoin(missing, ", ")),
          "; ", in.days_closed, " of ", in.days_required, " ended days have their snapshot.");
  }
  return v;
}

ClauseVerdict Clause73(const ConformanceInput& in) {
  ClauseVerdict v;
  v.clause = "7.3";
  v.requirement = "Complaints handled within the committed time, with supervision.";
  int64_t resolved = Sum(in.period, "complaints_resolved");
  int64_t on_time = Sum(in.period, "complaints_resolved_on_time");
  int64_t overdue = Sum(in.period, "complaints_overdue");
  bool any = resolved > 0 || overdue > 0;
  Criterion within{"complaints resolved within the committed time / complaints resolved",
                   in.from,
                   in.to,
                   "= 1 (every one)",
                   "",
                   false,
                   false};
  Criterion missed{
      "committed deadlines missed (escalated)", in.from, in.to, "= 0", "", false, false};
  if (any) {
    if (auto r = Ratio(on_time, resolved)) within.value = decimal::FormatFixed(*r, 4);
    within.evaluated = true;
    within.met = on_time == resolved;
    missed.value = absl::StrCat(overdue);
    missed.evaluated = true;
    missed.met = overdue == 0;
    v.explanation =
        absl::StrCat(on_time, " of ", resolved, " complaints resolved within the committed time; ",
                     overdue, " deadlines missed.");
  } else {
    v.explanation = "No complaint was resolved or overdue in the period.";
  }
  v.criteria = {within, missed};
  v.verdict = VerdictOf(v.criteria);
  v.evidence.push_back({"complaints_resolved", {}, resolved});
  v.evidence.push_back({"complaints_resolved_on_time", {}, on_time});
  v.evidence.push_back({"complaints_overdue", {}, overdue});
  return v;
}

// 6.9.1: an incubation system exists when it took incubatees in during the period and, at the
// period's end, has incubatees in it or graduated some during the period.
ClauseVerdict Clause691(const ConformanceInput& in) {
  ClauseVerdict v;
  v.clause = "6.9.1";
  v.requirement =
      "A start-up incubation system that fosters small and medium cross-border e-commerce "
      "enterprises and supports small and micro founders (应建立产业园创业孵化系统).";
  std::string end = EndText(in);
  int64_t admitted = Sum(in.period, "incubation_admitted");
  int64_t graduated = Sum(in.period, "incubation_graduated");
  int64_t left = Sum(in.period, "incubation_left");
  int64_t milestones = Sum(in.period, "incubation_milestones");
  Criterion intake{"incubatees admitted in the period (incubation_admitted, every cohort)",
                   in.from,
                   in.to,
                   ">= 1",
                   absl::StrCat(admitted),
                   admitted >= 1,
                   true};
  Criterion fostered{
      "incubatees in the incubator at the end of the period (incubation_active, every cohort) "
      "plus incubatees graduated in the period (incubation_graduated)",
      in.from,
      end,
      ">= 1",
      "",
      false,
      false};
  int64_t active = 0;
  if (in.at_end) {
    for (const Figure& f : *in.at_end) {
      if (f.indicator != "incubation_active") continue;
      active += f.scaled;
      v.evidence.push_back(f);
    }
    fostered.value = absl::StrCat(active + graduated);
    fostered.evaluated = true;
    fostered.met = active + graduated >= 1;
  }
  v.criteria = {
      intake, fostered,
      Criterion{"incubatees that left in the period (incubation_left); reported, not judged",
                in.from, in.to, "none", absl::StrCat(left), true, true},
      Criterion{"milestones recorded in the period (incubation_milestones); reported, "
                "not judged",
                in.from, in.to, "none", absl::StrCat(milestones), true, true}};
  v.verdict = VerdictOf(v.criteria);
  v.evidence.push_back({"incubation_admitted", {}, admitted});
  v.evidence.push_back({"incubation_graduated", {}, graduated});
  v.evidence.push_back({"incubation_left", {}, left});
  v.evidence.push_back({"incubation_milestones", {}, milestones});
  if (in.at_end) {
    v.explanation = absl::StrCat(admitted, " incubatees admitted in ", in.from, "..", in.to, ", ",
                                 graduated, " graduated, ", left, " left; ", active,
                                 " in the incubator at the end of ", end, ".");
  } else {
    v.explanation = absl::StrCat("The incubator at the end of ", end,
                                 " is not known: that day was never closed; ", admitted,
                                 " incubatees admitted in the period.");
  }
  return v;
}

// Activities of one of `kinds` held in a quarter: at least one each quarter ("regularly").
struct HeldEachQuarter {
  std::string measured;  // "special trainings"
  std::vector<std::string> kinds;
};

// A clause of activities held regularly (6.8.1, 6.8.2, 6.9.2): a criterion per whole quarter of
// the period and per group of kinds, each ">= 1". Not evaluated when the period holds no whole
// quarter.
ClauseVerdict ActivitiesClause(const ConformanceInput& in, std::string clause,
                               std::string requirement,
                               const std::vector<HeldEachQuarter>& groups) {
  ClauseVerdict v;
  v.clause = std::move(clause);
  v.requirement = std::move(requirement);
  std::vector<std::string> missed;
  for (const auto& [quarter, totals] : in.quarters) {
    for (const HeldEachQuarter& g : groups) {
      int64_t held = 0;
      for (const std::string& kind : g.kinds) {
        held += Sum(totals, "support_activities_held", {{"kind", kind}});
      }
      v.criteria.push_back({absl::StrCat(g.measured, " held in ", quarter.name,
                                         " (support_activities_held, attendance confirmed)"),
                            quarter.from, quarter.to, ">= 1", absl::StrCat(held), held >= 1, true});
      if (held < 1) missed.push_back(absl::StrCat(g.measured, " in ", quarter.name));
    }
  }
  if (in.quarters.empty()) {
    v.criteria.push_back({"activities held in each whole calendar quarter of the period", in.from,
                          in.to, ">= 1 each quarter", "", false, false});
  }
  for (const HeldEachQuarter& g : groups) {
    for (const std::string& kind : g.kinds) {
      v.evidence.push_back({"support_activities_held",
                            {{"kind", kind}},
                            Sum(in.period, "support_activities_held", {{"kind", kind}})});
    }
  }
  v.verdict = VerdictOf(v.criteria);
  if (in.quarters.empty()) {
    v.explanation = absl::StrCat("The period ", in.from, "..", in.to,
                                 " holds no whole calendar quarter to judge \"regularly\" by.");
  } else if (missed.empty()) {
    v.explanation =
        absl::StrCat("Held in each of the period's ", in.quarters.size(), " whole quarters.");
  } else {
    v.explanation = absl::StrCat("None held: ", absl::StrJoin(missed, "; "), ".");
  }
  return v;
}

ClauseVerdict Clause681(const ConformanceInput& in) {
  ClauseVerdict v = ActivitiesClause(
      in, "6.8.1",
      "Recruitment, team-building and similar activities organised regularly for resident "
      "enterprises, with HR intermediary organisations contacted to serve them.",
      {{"recruitment fairs or team activities", {"recruitment_fair", "team_activity"}}});
  int64_t with_partner = 0;
  for (const char* kind : {"recruitment_fair", "team_activity"}) {
    with_partner +=
        Sum(in.period, "support_activities_scheduled", {{"kind", kind}, {"partner", "yes"}});
  }
  v.criteria.push_back(
      {"recruitment fairs or team activities scheduled with a partner "
       "organisation (HR intermediary) in the period "
       "(support_activities_scheduled{partner=\"yes\"})",
       in.from, in.to, ">= 1", absl::StrCat(with_partner), with_partner >= 1, true});
  v.evidence.push_back({"support_activities_scheduled", {{"partner", "yes"}}, with_partner});
  Verdict before = v.verdict;
  v.verdict = VerdictOf(v.criteria);
  if (before != Verdict::kNotEvaluated && with_partner < 1) {
    v.explanation += " No recruitment or team activity was scheduled with an HR intermediary.";
  }
  return v;
}

ClauseVerdict Clause682(const ConformanceInput& in) {
  ClauseVerdict v = ActivitiesClause(
      in, "6.8.2",
      "Special training (e-commerce technology, finance, logistics, supply chain) and practical "
      "training of applied talent held regularly, as resident enterprises need.",
      {{"special trainings", {"special_training"}},
       {"practical trainings", {"practical_training"}}});
  // Informational: whom the trainings reached (the self-reported figure is beside it).
  int64_t trained = Sum(in.period, "support_staff_trained");
  v.criteria.push_back(
      {"staff trained: confirmed attendance at special and practical training "
       "in the period (support_staff_trained)",
       in.from, in.to, "none", absl::StrCat(trained), true, true});
  v.evidence.push_back({"support_staff_trained", {}, trained});
  return v;
}

ClauseVerdict Clause692(const ConformanceInput& in) {
  // The support service has one kind for every training topic: a special or practical training
  // stands for 6.9.2's trainings (project applications, law, tax, marketing ...).
  return ActivitiesClause(
      in, "6.9.2",
      "Trainings of every kind (project applications, law, finance and tax, marketing) held "
      "regularly, and founders' clubs, matchmaking meetings and project roadshows organised "
      "regularly.",
      {{"trainings (special or practical)", {"special_training", "practical_training"}},
       {"founders' clubs", {"founders_club"}},
       {"matchmaking meetings", {"matchmaking"}},
       {"roadshows", {"roadshow"}}});
}

}  // namespace

std::vector<Quarter> WholeQuarters(absl::CivilDay from, absl::CivilDay to) {
  std::vector<Quarter> out;
  absl::CivilMonth first(from);
  // The first quarter that starts on or after `from`.
  absl::CivilMonth start(first.year(), ((first.month() - 1) / 3) * 3 + 1);
  if (absl::CivilDay(start) < from) start += 3;
  for (; absl::CivilDay(start + 3) - 1 <= to; start += 3) {
    out.push_back({absl::StrCat(start.year(), "-Q", (start.month() - 1) / 3 + 1),
                   absl::FormatCivilTime(absl::CivilDay(start)),
                   absl::FormatCivilTime(absl::CivilDay(start + 3) - 1)});
  }
  return out;
}

std::vector<ClauseVerdict> Conformance(const ConformanceInput& in) {
  return {Clause531(in), Clause554(in), Clause681(in), Clause682(in),
          Clause691(in), Clause692(in), Clause73(in)};
}

}  // namespace parkline::statistics
