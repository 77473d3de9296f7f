#include "quality/report_rules.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "decimal/fixed_point.h"
#include "errors/violations.h"

namespace parkline::quality {
namespace {

// Statistics values have at most five decimals (trade in CNY); ratios are shown with four.
constexpr int kScale = 5;

std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) return std::nullopt;
  return day;
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

bool InPeriod(const std::string& date, const ReportPeriod& period) {
  auto day = ParseDay(date);
  return day && *day >= period.from && *day <= period.to;
}

std::string Bucket(const std::string& date, const ReportPeriod& period) {
  return period.monthly() ? date.substr(0, 7) : date;
}

// Every bucket of the period, as the statistics service names them.
std::vector<std::string> Buckets(const ReportPeriod& period) {
  std::vector<std::string> out;
  for (absl::CivilDay d = period.from; d <= period.to; ++d) {
    std::string b = Bucket(DayText(d), period);
    if (out.empty() || out.back() != b) out.push_back(b);
  }
  return out;
}

std::string Ratio(int64_t part, int64_t whole) {
  if (whole <= 0) return "";
  return decimal::FormatFixed((part * 10000 + whole / 2) / whole, 4);
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "no data";
  return absl::StrCat(decimal::FormatFixed((part * 1000 + whole / 2) / whole, 1), "%");
}

int64_t WholeOf(const std::string& value) {
  auto scaled = decimal::ParseFixed(value, kScale);
  if (!scaled.ok()) return 0;
  int64_t unit = 1;
  for (int i = 0; i < kScale; ++i) unit *= 10;
  return *scaled / unit;
}

// One clause being judged: its criteria decide its verdict unless it is checked on site.
class ClauseDraft {
 public:
  ClauseDraft(std::string clause, std::string title, std::string requirements, bool on_site)
      : on_site_(on_site) {
    c_.set_clause(std::move(clause));
    c_.set_title(std::move(title));
    c_.set_requirements(std::move(requirements));
  }

  // A criterion; when not met, `missing` says what would evidence it.
  void Criterion(std::string rule, bool met, std::string found, std::string missing = "") {
    v1::ReportCriterion* k = c_.add_criteria();
    k->set_rule(std::move(rule));
    k->set_met(met);
    k->set_found(found.empty() ? "none" : std::move(found));
    ++criteria_;
    if (met) {
      ++met_;
    } else if (!missing.empty()) {
      c_.add_missing(std::move(missing));
    }
  }

  void Evidence(std::string label, std::string value, std::string date = "",
                std::string sha256 = "", std::string link = "") {
    v1::ReportEvidence* e = c_.add_evidence();
    e->set_label(std::move(label));
    e->set_value(std::move(value));
    e->set_date(std::move(date));
    e->set_sha256(std::move(sha256));
    e->set_link(std::move(link));
  }

  void Missing(std::string what) { c_.add_missing(std::move(what)); }

  v1::ReportClause Finish() {
    if (on_site_) {
      c_.set_verdict(v1::REPORT_VERDICT_ON_SITE);
    } else if (criteria_ > 0 && met_ == criteria_) {
      c_.set_verdict(v1::REPORT_VERDICT_EVIDENCED);
    } else if (met_ > 0 || c_.evidence_size() > 0) {
      c_.set_verdict(v1::REPORT_VERDICT_PARTIAL);
    } else {
      c_.set_verdict(v1::REPORT_VERDICT_MISSING);
    }
    return std::move(c_);
  }

 private:
  v1::ReportClause c_;
  bool on_site_;
  int criteria_ = 0;
  int met_ = 0;
};

// --- the records register (8.1.1, 8.1.6) --------------------------------------------------------

// The version of each document in force on `day`: the highest whose effective date is not after,
// unless that one is the document's withdrawal.
std::vector<v1::DocumentVersion> InForce(const std::vector<v1::DocumentVersion>& all,
                                         absl::CivilDay day) {
  std::map<std::string, v1::DocumentVersion> best;
  for (const auto& v : all) {
    auto effective = ParseDay(v.effective_date());
    if (!effective || *effective > day) continue;
    auto it = best.find(v.document_id());
    if (it == best.end() || it->second.version() < v.version()) best[v.document_id()] = v;
  }
  std::vector<v1::DocumentVersion> out;
  for (auto& [id, v] : best) {
    if (!v.withdrawn()) out.push_back(std::move(v));
  }
  return out;
}

std::string KindLabel(v1::DocumentKind kind) {
  switch (kind) {
    case v1::DOCUMENT_KIND_ORGANISATION_CHART:
      return "机构架构 organisation chart (5.1.2)";
    case v1::DOCUMENT_KIND_DEPARTMENT_DUTIES:
      return "部门职责 department duties (5.1.2)";
    case v1::DOCUMENT_KIND_MANAGEMENT_RULE:
      return "运营配套服务管理制度 management rule (5.1.3)";
    case v1::DOCUMENT_KIND_SERVICE_GUIDE:
      return "办事指南 service guide (5.1.3)";
    case v1::DOCUMENT_KIND_SERVICE_SPECIFICATION:
      return "服务规范 service specification (5.1.3)";
    case v1::DOCUMENT_KIND_INTERNAL_MANUAL:
      return "内部工作手册 internal manual (5.1.3)";
    case v1::DOCUMENT_KIND_EMERGENCY_PLAN:
      return "突发事件处理预案 emergency plan (5.6.3.1)";
    case v1::DOCUMENT_KIND_FIRE_SAFETY_PLAN:
      return "消防管理规范 fire-safety plan (5.6.1.1)";
    default:
      return "other document";
  }
}

// One criterion per kind: a version of that kind in force at the period's end, each listed.
void RequireDocuments(ClauseDraft& clause, const ReportEvidence& ev,
                      const std::vector<v1::DocumentKind>& kinds) {
  std::string end = DayText(ev.period.to);
  if (!ev.documents.ok()) {
    for (v1::DocumentKind kind : kinds) {
      clause.Criterion(
          absl::StrCat("a version of a ", KindLabel(kind), " in force on ", end), false, "",
          absl::StrCat(KindLabel(kind), ": records register ", ev.documents.Absence()));
    }
    return;
  }
  std::vector<v1::DocumentVersion> in_force = InForce(ev.documents.value, ev.period.to);
  for (v1::DocumentKind kind : kinds) {
    std::vector<std::string> found;
    for (const auto& v : in_force) {
      if (v.kind() != kind) continue;
      found.push_back(absl::StrCat(v.document_id(), " v", v.version()));
      clause.Evidence(absl::StrCat(KindLabel(kind), ": ", v.title()),
                      absl::StrCat("version ", v.version(), ", approved by ", v.approved_by()),
                      v.effective_date(), v.sha256(),
                      v.content_uri().empty() ? v.document_id() : v.content_uri());
    }
    clause.Criterion(absl::StrCat("a version of a ", KindLabel(kind), " in force on ", end),
                     !found.empty(), absl::StrJoin(found, ", "),
                     absl::StrCat(KindLabel(kind), ": no version in force on ", end,
                                  " in the records register (PublishDocument)"));
    // Document control: what the park withdrew in the period, when and why, so that a reader
    // sees why a document is no longer there.
    for (const auto& v : ev.documents.value) {
      if (v.kind() != kind || !v.withdrawn() || !InPeriod(v.effective_date(), ev.period)) continue;
      clause.Evidence(absl::StrCat(KindLabel(kind), " withdrawn: ", v.title()),
                      absl::StrCat("version ", v.version(), ", approved by ", v.approved_by(), ": ",
                                   v.change_note()),
                      v.effective_date(), "", v.document_id());
    }
  }
}

// --- inspections and corrective actions (8.3.1, 8.3.2) -----------------------------------------

std::vector<const v1::Inspection*> InspectionsOfPeriod(const ReportEvidence& ev,
                                                       v1::InspectionKind kind) {
  std::vector<const v1::Inspection*> out;
  if (!ev.inspections.ok()) return out;
  for (const auto& in : ev.inspections.value) {
    if ((kind == v1::INSPECTION_KIND_UNSPECIFIED || in.kind() == kind) &&
        InPeriod(in.inspected_date(), ev.period)) {
      out.push_back(&in);
    }
  }
  std::sort(out.begin(), out.end(), [](const v1::Inspection* a, const v1::Inspection* b) {
    return a->inspected_date() < b->inspected_date();
  });
  return out;
}

std::string InspectionLabel(v1::InspectionKind kind) {
  switch (kind) {
    case v1::INSPECTION_KIND_INTERNAL_PERIODIC:
      return "internal periodic inspection (7.1.1)";
    case v1::INSPECTION_KIND_AUTHORITY:
      return "authority inspection (7.1.4)";
    case v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION:
      return "enterprise supervision (7.1.1)";
    default:
      return "inspection";
  }
}

void ListInspections(ClauseDraft& clause, const std::vector<const v1::Inspection*>& list) {
  for (const v1::Inspection* in : list) {
    int closed = 0;
    for (const auto& a : in->actions()) closed += a.status() == v1::ACTION_STATUS_CLOSED;
    std::string head = in->record().empty() ? "" : in->record().rbegin()->hash();
    clause.Evidence(
        absl::StrCat(InspectionLabel(in->kind()), " by ", in->inspector(), ": ", in->scope()),
        absl::StrCat(in->findings_size(), " findings, ", closed, " of ", in->actions_size(),
                     " actions closed"),
        in->inspected_date(), head, in->inspection_id());
  }
}

// Corrective actions due within the period (by due date), and how many were closed by then.
struct ActionTally {
  int64_t due = 0;
  int64_t closed_on_time = 0;
  int64_t closed = 0;
  std::vector<std::string> late;  // overdue or closed late: "INS-...-A1 (due 2026-11-03)"
};

ActionTally TallyActions(const ReportEvidence& ev) {
  ActionTally t;
  if (!ev.inspections.ok()) return t;
  for (const auto& in : ev.inspections.value) {
    for (const auto& a : in.actions()) {
      if (!InPeriod(a.due_date(), ev.period)) continue;
      ++t.due;
      if (a.status() == v1::ACTION_STATUS_CLOSED) ++t.closed;
      if (a.status() == v1::ACTION_STATUS_CLOSED && a.closed_on_time()) {
        ++t.closed_on_time;
      } else if (a.status() == v1::ACTION_STATUS_CLOSED ||
                 a.status() == v1::ACTION_STATUS_OVERDUE) {
        t.late.push_back(
            absl::StrCat(a.action_id(), " (", a.owner_department(), ", due ", a.due_date(), ", ",
                         a.status() == v1::ACTION_STATUS_CLOSED ? "closed late" : "overdue", ")"));
      }
    }
  }
  return t;
}

// --- the statistics (8.1.5.2, 8.2.1.2, 8.3.3) ---------------------------------------------------

const IndicatorSeries* SeriesOf(const ReportEvidence& ev, const std::string& name) {
  if (!ev.statistics.ok()) return nullptr;
  auto it = ev.statistics.value.series.find(name);
  return it == ev.statistics.value.series.end() ? nullptr : &it->second;
}

int64_t TotalOf(const ReportEvidence& ev, const std::string& name) {
  const IndicatorSeries* s = SeriesOf(ev, name);
  return s ? WholeOf(s->total) : 0;
}

void StatisticsEvidenceOf(ClauseDraft& clause, const ReportEvidence& ev,
                          const std::vector<std::pair<std::string, std::string>>& figures) {
  for (const auto& [name, label] : figures) {
    const IndicatorSeries* s = SeriesOf(ev, name);
    if (s == nullptr) continue;
    clause.Evidence(label, absl::StrCat(s->total, " ", s->unit), "", "",
                    absl::StrCat("statistics: GetTimeSeries ", name));
  }
}

// The period's archive export: the one criterion 8.1.5.2 and 8.2.1.2 share.
void RequireArchive(ClauseDraft& clause, const ReportEvidence& ev, const std::string& what) {
  std::string rule = absl::StrCat("the statistics system archives the period's ", what,
                                  " (ExportPeriod with its SHA-256, at least one row)");
  if (!ev.statistics.ok()) {
    clause.Criterion(rule, false, "",
                     absl::StrCat("the statistics service's figures: ", ev.statistics.Absence()));
    return;
  }
  const StatisticsEvidence& s = ev.statistics.value;
  bool met = !s.export_sha256.empty() && s.export_rows > 0;
  clause.Criterion(rule, met, absl::StrCat(s.export_rows, " rows, sha256 ", s.export_sha256),
                   absl::StrCat("no counted figures in the statistics archive for ",
                                DayText(ev.period.from), "..", DayText(ev.period.to)));
  clause.Evidence("statistics archive export of the period (8.1.5.2)",
                  absl::StrCat(s.export_rows, " rows"), DayText(ev.period.to), s.export_sha256,
                  "statistics: ExportPeriod");
}

// --- trainings (8.1.2, 8.1.6.1, 8.2.8) ----------------------------------------------------------

std::vector<const TrainingSession*> SessionsOf(const ReportEvidence& ev, const std::string& kind) {
  std::vector<const TrainingSession*> out;
  if (!ev.trainings.ok()) return out;
  for (const auto& s : ev.trainings.value.sessions) {
    if (s.kind == kind && InPeriod(s.date, ev.period)) out.push_back(&s);
  }
  return out;
}

void RequireSessions(ClauseDraft& clause, const ReportEvidence& ev, const std::string& kind,
                     const std::string& label) {
  std::string rule = absl::StrCat("at least one ", label, " held in the period");
  if (!ev.trainings.ok()) {
    clause.Criterion(rule, false, "",
                     absl::StrCat(label, " records: training records ", ev.trainings.Absence()));
    return;
  }
  auto sessions = SessionsOf(ev, kind);
  for (const TrainingSession* s : sessions) {
    clause.Evidence(label, absl::StrCat(s->attendees, " attendees"), s->date, "",
                    s->evidence_uri.empty() ? s->id : s->evidence_uri);
  }
  clause.Criterion(rule, !sessions.empty(), absl::StrCat(sessions.size(), " sessions"),
                   absl::StrCat("no ", label, " recorded between ", DayText(ev.period.from),
                                " and ", DayText(ev.period.to)));
}

// --- the clauses --------------------------------------------------------------------------------

// A clause clause 8 checks on site or with the enterprises: the records that support it.
v1::ReportClause OnSite(const ReportEvidence& ev, std::string clause, std::string title,
                        std::string requirements, std::string method,
                        const std::vector<std::pair<std::string, std::string>>& figures = {}) {
  ClauseDraft c(std::move(clause), std::move(title), std::move(requirements), true);
  c.Criterion(std::move(method) + " (the evaluator's own check; records below support it)", false,
              "to be checked on site");
  StatisticsEvidenceOf(c, ev, figures);
  return c.Finish();
}

v1::ReportClause Organisation(const ReportEvidence& ev) {
  ClauseDraft c("8.1.1", "服务机构 service organisation", "5.1.1, 5.1.2, 5.1.3", false);
  RequireDocuments(c, ev,
                   {v1::DOCUMENT_KIND_MANAGEMENT_RULE, v1::DOCUMENT_KIND_ORGANISATION_CHART,
                    v1::DOCUMENT_KIND_DEPARTMENT_DUTIES, v1::DOCUMENT_KIND_INTERNAL_MANUAL});
  return c.Finish();
}

v1::ReportClause Staff(const ReportEvidence& ev) {
  ClauseDraft c("8.1.2", "服务人员 service staff", "5.2.1, 5.2.2", false);
  std::string end = DayText(ev.period.to);
  std::string rule =
      absl::StrCat("staff certifications on record (持证上岗), none expired on ", end);
  if (!ev.trainings.ok()) {
    c.Criterion(rule, false, "",
                absl::StrCat("staff certifications: training records ", ev.trainings.Absence()));
  } else {
    std::vector<std::string> expired;
    size_t n = 0;
    for (const auto& cert : ev.trainings.value.certifications) {
      // A certificate issued after the period's end is no evidence for it.
      auto issued = ParseDay(cert.issued);
      if (!issued || *issued > ev.period.to) continue;
      ++n;
      auto expires = ParseDay(cert.expires);
      bool valid = expires && *expires >= ev.period.to;
      if (!valid) expired.push_back(absl::StrCat(cert.holder, ": ", cert.name, " (", cert.id, ")"));
      c.Evidence(absl::StrCat("certification of ", cert.holder, ": ", cert.name),
                 valid ? "valid" : "expired", cert.expires, "", cert.id);
    }
    c.Criterion(rule, n > 0 && expired.empty(),
                absl::StrCat(n, " certifications, ", expired.size(), " expired"),
                n == 0 ? "no staff certification on record"
                       : absl::StrCat("expired on ", end, ": ", absl::StrJoin(expired, "; ")));
  }
  RequireSessions(c, ev, "STAFF_TRAINING", "staff training (考核, 5.2.1)");
  return c.Finish();
}

v1::ReportClause Statistics(const ReportEvidence& ev) {
  ClauseDraft c("8.1.5.2", "跨境电子商务统计数据 statistics archive", "5.5.4", false);
  RequireArchive(c, ev, "cross-border e-commerce statistics");
  StatisticsEvidenceOf(c, ev,
                       {{"enterprises_resident", "resident enterprises at the period's end"},
                        {"occupancy_ratio", "occupancy (area) at the period's end"},
                        {"trade_value_cny", "trade value in the period"}});
  return c.Finish();
}

v1::ReportClause FireSafety(const ReportEvidence& ev) {
  ClauseDraft c("8.1.6.1", "消防安全 fire safety", "5.6.1.1", false);
  RequireDocuments(c, ev, {v1::DOCUMENT_KIND_FIRE_SAFETY_PLAN});
  RequireSessions(c, ev, "FIRE_SAFETY_EDUCATION", "fire-safety education of staff");
  return c.Finish();
}

v1::ReportClause EmergencyPlans(const ReportEvidence& ev) {
  ClauseDraft c("8.1.6.3.1", "应急预案 emergency plans", "5.6.3.1", false);
  RequireDocuments(c, ev, {v1::DOCUMENT_KIND_EMERGENCY_PLAN});
  for (const TrainingSession* s : SessionsOf(ev, "EMERGENCY_DRILL")) {
    c.Evidence("emergency drill", absl::StrCat(s->attendees, " attendees"), s->date, "",
               s->evidence_uri.empty() ? s->id : s->evidence_uri);
  }
  return c.Finish();
}

v1::ReportClause TradeData(const ReportEvidence& ev) {
  ClauseDraft c("8.2.1.2", "跨境电子商务交易数据 trade data", "6.1", false);
  RequireArchive(c, ev, "trade data (declarations and trade value)");
  StatisticsEvidenceOf(c, ev,
                       {{"declarations_matched", "declarations matched in the period"},
                        {"trade_value_cny", "trade value in the period"}});
  return c.Finish();
}

v1::ReportClause HumanResources(const ReportEvidence& ev) {
  ClauseDraft c("8.2.8", "人力资源服务 human-resources services", "6.8.1, 6.8.2", false);
  c.Criterion("records of completed recruitment and team activities (6.8.1)", false, "",
              "recruitment and team activities: no source in this build");
  RequireSessions(c, ev, "STAFF_TRAINING", "training (6.8.2)");
  return c.Finish();
}

v1::ReportClause QualityControl(const ReportEvidence& ev) {
  ClauseDraft c("8.3.1.1", "服务质量控制 service quality control", "7.1.1, 7.1.2, 7.1.3, 7.1.4",
                false);
  if (!ev.inspections.ok()) {
    c.Criterion("supervision and inspection records of the period (7.1.1)", false, "",
                absl::StrCat("inspections: ", ev.inspections.Absence()));
  } else {
    auto internal = InspectionsOfPeriod(ev, v1::INSPECTION_KIND_INTERNAL_PERIODIC);
    auto supervision = InspectionsOfPeriod(ev, v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
    auto authority = InspectionsOfPeriod(ev, v1::INSPECTION_KIND_AUTHORITY);
    c.Criterion("at least one internal periodic inspection in the period (7.1.1)",
                !internal.empty(), absl::StrCat(internal.size(), " inspections"),
                "no internal periodic inspection recorded in the period (RecordInspection)");
    ListInspections(c, internal);
    ListInspections(c, supervision);
    ListInspections(c, authority);
    ActionTally t = TallyActions(ev);
    c.Criterion("every corrective action due in the period closed by its deadline (7.1.4)",
                t.late.empty() && t.closed == t.due,
                absl::StrCat(t.due, " due, ", t.closed_on_time, " closed on time"),
                t.late.empty() ? "corrective actions due in the period still open"
                               : absl::StrCat("late or overdue: ", absl::StrJoin(t.late, "; ")));
  }
  std::string chain_rule =
      "the inspections' hash-chained records verify without a break (7.1.2 traceability)";
  if (!ev.record_check.ok()) {
    c.Criterion(chain_rule, false, "",
                absl::StrCat("record verification: ", ev.record_check.Absence()));
  } else {
    const auto& check = ev.record_check.value;
    std::vector<std::string> breaks;
    for (const auto& b : check.breaks()) {
      breaks.push_back(absl::StrCat(b.inspection_id(), " at ", b.sequence(), ": ", b.reason()));
    }
    c.Criterion(
        chain_rule, breaks.empty(),
        absl::StrCat(check.inspections_checked(), " records checked, ", breaks.size(), " broken"),
        absl::StrCat("broken records: ", absl::StrJoin(breaks, "; ")));
    c.Evidence("inspection records verified (VerifyInspectionRecord)",
               absl::StrCat(check.inspections_checked(), " checked, ", breaks.size(), " broken"));
  }
  std::string opinions =
      "opinions collected and recorded in the period (7.1.3): complaint "
      "feedback or enterprises' supervision";
  int64_t feedback = TotalOf(ev, "complaint_satisfaction_count");
  size_t supervisions = InspectionsOfPeriod(ev, v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION).size();
  if (!ev.statistics.ok() && supervisions == 0) {
    c.Criterion(opinions, false, "",
                absl::StrCat("complaint feedback figures: statistics ", ev.statistics.Absence()));
  } else {
    c.Criterion(opinions, feedback + static_cast<int64_t>(supervisions) > 0,
                absl::StrCat(feedback, " feedback ratings, ", supervisions, " supervisions"),
                "no opinion recorded in the period");
  }
  return c.Finish();
}

v1::ReportClause Assessment(const ReportEvidence& ev) {
  ClauseDraft c("8.3.2", "服务质量评价与改进 evaluation and improvement", "7.2.1-7.2.4", false);
  std::string scheme_rule = "a published assessment scheme (考核评定管理办法, 7.2.1)";
  std::string result_rule =
      "an assessment result covering the period, closed, with no component lacking data (7.2.3)";
  if (!ev.assessments.ok()) {
    std::string why = absl::StrCat("assessment scheme and results ", ev.assessments.Absence());
    c.Criterion(scheme_rule, false, "", why);
    c.Criterion(result_rule, false, "", "");
  } else {
    const AssessmentEvidence& a = ev.assessments.value;
    c.Criterion(scheme_rule, !a.scheme_id.empty(),
                a.scheme_id.empty() ? "" : absl::StrCat(a.scheme_id, " v", a.scheme_version),
                "no assessment scheme published");
    if (!a.scheme_id.empty()) {
      c.Evidence("assessment scheme", absl::StrCat("version ", a.scheme_version),
                 a.scheme_effective_date, a.scheme_sha256, a.scheme_id);
    }
    std::vector<std::string> gaps;
    bool any_closed = false;
    for (const auto& r : a.results) {
      any_closed |= r.closed;
      c.Evidence(absl::StrCat("assessment result ", r.period_from, "..", r.period_to),
                 absl::StrCat("score ", r.score, r.closed ? ", closed" : ", open"), r.period_to, "",
                 r.id);
      for (const auto& m : r.components_missing) {
        gaps.push_back(absl::StrCat(r.id, ": ", m, " had no data (scored nothing)"));
      }
    }
    bool met = any_closed && gaps.empty();
    c.Criterion(
        result_rule, met, absl::StrCat(a.results.size(), " results"),
        !any_closed ? "no closed assessment result for the period" : absl::StrJoin(gaps, "; "));
  }
  ActionTally t = TallyActions(ev);
  if (ev.inspections.ok()) {
    c.Criterion("improvement carried out: corrective actions due in the period closed (7.2.4)",
                t.due > 0 && t.closed == t.due, absl::StrCat(t.closed, " of ", t.due, " closed"),
                t.due == 0 ? "no corrective action due in the period"
                           : absl::StrCat(t.due - t.closed, " corrective actions not closed"));
  } else {
    c.Criterion("improvement carried out (7.2.4)", false, "",
                absl::StrCat("inspections: ", ev.inspections.Absence()));
  }
  return c.Finish();
}

v1::ReportClause Complaints(const ReportEvidence& ev) {
  ClauseDraft c("8.3.3", "投诉处理 complaints", "7.3.1-7.3.4", false);
  std::string archived = "the period's complaint figures held by the statistics system (7.3.4)";
  if (!ev.statistics.ok()) {
    c.Criterion(archived, false, "",
                absl::StrCat("complaint figures: statistics ", ev.statistics.Absence()));
    return c.Finish();
  }
  int64_t filed = TotalOf(ev, "complaints_filed");
  int64_t resolved = TotalOf(ev, "complaints_resolved");
  int64_t on_time = TotalOf(ev, "complaints_resolved_on_time");
  int64_t overdue = TotalOf(ev, "complaints_overdue");
  c.Criterion(archived, SeriesOf(ev, "complaints_filed") != nullptr,
              absl::StrCat(filed, " filed, ", resolved, " resolved"),
              "the statistics service returned no complaint figures");
  c.Criterion("every complaint resolved within its promised time (7.3.2)",
              overdue == 0 && on_time == resolved,
              absl::StrCat(on_time, " of ", resolved, " on time (", Percent(on_time, resolved),
                           "), ", overdue, " overdue"),
              absl::StrCat(resolved - on_time, " complaints resolved late, ", overdue,
                           " passed their deadline in the period"));
  StatisticsEvidenceOf(c, ev,
                       {{"complaints_filed", "complaints filed"},
                        {"complaints_resolved", "complaints resolved"},
                        {"complaints_resolved_on_time", "complaints resolved on time"},
                        {"complaints_overdue", "complaints overdue"}});
  c.Evidence("complaints' own records", "hash-chained per complaint", "", "",
             "complaints: VerifyComplaintRecord");
  return c.Finish();
}

// --- the charts ---------------------------------------------------------------------------------

v1::ReportChart StatisticsChart(const ReportEvidence& ev, const std::string& indicator,
                                std::string title, std::string clause) {
  v1::ReportChart chart;
  chart.set_title(std::move(title));
  chart.set_clause(std::move(clause));
  const IndicatorSeries* s = SeriesOf(ev, indicator);
  if (s == nullptr) {
    chart.set_missing(ev.statistics.ok() ? absl::StrCat(indicator, ": no series")
                                         : absl::StrCat("statistics ", ev.statistics.Absence()));
    return chart;
  }
  chart.set_unit(s->unit);
  for (const auto& [bucket, value] : s->points) {
    v1::ReportPoint* p = chart.add_points();
    p->set_bucket(bucket);
    p->set_value(value);
  }
  return chart;
}

// Complaints resolved on time per bucket, from the two counters (a ratio of labelled ratios
// would be wrong).
v1::ReportChart ComplaintsChart(const ReportEvidence& ev) {
  v1::ReportChart chart;
  chart.set_title("Complaints resolved on time");
  chart.set_clause("7.3.2");
  chart.set_unit("ratio");
  const IndicatorSeries* on_time = SeriesOf(ev, "complaints_resolved_on_time");
  const IndicatorSeries* resolved = SeriesOf(ev, "complaints_resolved");
  if (on_time == nullptr || resolved == nullptr) {
    chart.set_missing(ev.statistics.ok() ? "complaints: no series"
                                         : absl::StrCat("statistics ", ev.statistics.Absence()));
    return chart;
  }
  std::map<std::string, int64_t> part;
  for (const auto& [b, v] : on_time->points) part[b] = WholeOf(v);
  for (const auto& [b, v] : resolved->points) {
    v1::ReportPoint* p = chart.add_points();
    p->set_bucket(b);
    p->set_value(Ratio(part[b], WholeOf(v)));
  }
  return chart;
}

v1::ReportChart ActionsChart(const ReportEvidence& ev) {
  v1::ReportChart chart;
  chart.set_title("Corrective actions closed on time (by due date)");
  chart.set_clause("7.1.4");
  chart.set_unit("ratio");
  if (!ev.inspections.ok()) {
    chart.set_missing(absl::StrCat("inspections ", ev.inspections.Absence()));
    return chart;
  }
  std::map<std::string, std::pair<int64_t, int64_t>> tally;  // bucket: on time, due
  for (const auto& in : ev.inspections.value) {
    for (const auto& a : in.actions()) {
      if (!InPeriod(a.due_date(), ev.period)) continue;
      auto& [on_time, due] = tally[Bucket(a.due_date(), ev.period)];
      ++due;
      on_time += a.status() == v1::ACTION_STATUS_CLOSED && a.closed_on_time();
    }
  }
  for (const std::string& b : Buckets(ev.period)) {
    v1::ReportPoint* p = chart.add_points();
    p->set_bucket(b);
    auto it = tally.find(b);
    if (it != tally.end()) p->set_value(Ratio(it->second.first, it->second.second));
  }
  return chart;
}

}  // namespace

absl::StatusOr<ReportPeriod> CheckReportRequest(const v1::GetEvaluationReportRequest& request) {
  errors::Violations v;
  auto from = ParseDay(request.period_from());
  auto to = ParseDay(request.period_to());
  if (!from) v.Add("period_from", "FORMAT", "a date YYYY-MM-DD");
  if (!to) v.Add("period_to", "FORMAT", "a date YYYY-MM-DD");
  if (from && to && *to < *from) v.Add("period_to", "ORDER", "not before period_from");
  if (from && to && *to - *from + 1 > kMaxReportDays) {
    v.Add("period_to", "TOO_LONG",
          absl::StrCat("at most ", kMaxReportDays, " days after period_from"));
  }
  if (request.title().size() > kMaxReportTitleBytes) {
    v.Add("title", "TOO_LONG", absl::StrCat("at most ", kMaxReportTitleBytes, " bytes"));
  }
  if (!v.empty()) return v.ToStatus();
  return ReportPeriod{*from, *to};
}

const std::vector<WantedIndicator>& ReportIndicators() {
  static const auto* wanted = new std::vector<WantedIndicator>{
      {"enterprises_resident", {}}, {"occupancy_ratio", {{"basis", "area"}}},
      {"trade_value_cny", {}},      {"declarations_matched", {}},
      {"shipments_delivered", {}},  {"complaints_filed", {}},
      {"complaints_resolved", {}},  {"complaints_resolved_on_time", {}},
      {"complaints_overdue", {}},   {"complaint_satisfaction_count", {}},
  };
  return *wanted;
}

IndicatorSeries SumSeries(const statistics::v1::TimeSeries& series) {
  IndicatorSeries out;
  out.unit = series.unit();
  if (series.series_size() == 1) {
    for (const auto& p : series.series(0).points()) out.points.emplace_back(p.bucket(), p.value());
    out.total = series.series(0).total();
    return out;
  }
  std::vector<std::string> order;
  std::map<std::string, int64_t> sums;
  int64_t total = 0;
  for (const auto& s : series.series()) {
    for (const auto& p : s.points()) {
      if (!sums.count(p.bucket())) order.push_back(p.bucket());
      sums[p.bucket()] += decimal::ParseFixed(p.value(), kScale).value_or(0);
    }
    total += decimal::ParseFixed(s.total(), kScale).value_or(0);
  }
  std::sort(order.begin(), order.end());
  for (const auto& b : order) out.points.emplace_back(b, decimal::FormatFixed(sums[b], kScale));
  out.total = decimal::FormatFixed(total, kScale);
  return out;
}

ReportEvidence GatherEvidence(const ReportSources& sources, const ReportPeriod& period,
                              std::string title, absl::Time now, std::string actor) {
  ReportEvidence ev;
  ev.period = period;
  ev.title = std::move(title);
  ev.generated = now;
  ev.generated_by = std::move(actor);
  auto take = [](auto& slot, auto source, auto&& ask) {
    if (source == nullptr) return;
    auto got = ask(*source);
    if (got.ok()) {
      slot.state = std::decay_t<decltype(slot)>::State::kOk;
      slot.value = std::move(*got);
    } else {
      slot.state = std::decay_t<decltype(slot)>::State::kUnavailable;
      slot.reason = std::string(got.status().message());
    }
  };
  take(ev.documents, sources.documents, [](DocumentSource& s) { return s.AllVersions(); });
  take(ev.inspections, sources.inspections, [](InspectionSource& s) { return s.Inspections(); });
  take(ev.record_check, sources.inspections, [](InspectionSource& s) { return s.VerifyRecords(); });
  take(ev.trainings, sources.trainings, [&](TrainingSource& s) { return s.Trainings(period); });
  take(ev.assessments, sources.assessments,
       [&](AssessmentSource& s) { return s.Assessments(period); });
  take(ev.statistics, sources.statistics, [&](StatisticsSource& s) { return s.Figures(period); });
  return ev;
}

v1::EvaluationReport AssembleReport(const ReportEvidence& ev) {
  v1::EvaluationReport r;
  r.set_title(ev.title.empty() ? "Clause 8 evidence report" : ev.title);
  r.set_period_from(DayText(ev.period.from));
  r.set_period_to(DayText(ev.period.to));
  r.mutable_generated_time()->set_seconds(absl::ToUnixSeconds(ev.generated));
  r.set_generated_by(ev.generated_by);
  r.set_standard("GB/T 39678-2020, clause 8 (证实方法)");

  const std::string site = "现场查看 inspected on site";
  const std::string ask = "向产业园企业确认 confirmed with the park's enterprises";
  std::vector<v1::ReportClause> clauses = {
      Organisation(ev),
      Staff(ev),
      OnSite(ev, "8.1.3.1", "服务环境 environment and functional areas", "5.3.1, 5.3.3", site,
             {{"enterprises_resident", "resident enterprises at the period's end (5.3.1: 15+)"}}),
      OnSite(ev, "8.1.3.2", "安全配套条件 inspection reports and certificates", "5.3.2",
             "查阅检验报告、合格证 inspection reports and certificates read"),
      OnSite(ev, "8.1.4", "服务设备设施 equipment and facilities", "5.4", site),
      OnSite(ev, "8.1.5.1", "信息化管理 infrastructure and service platform", "5.5.1-5.5.3", site),
      Statistics(ev),
      FireSafety(ev),
      OnSite(ev, "8.1.6.2", "海关特殊监管区域 customs special supervision area", "5.6.2", site),
      EmergencyPlans(ev),
      OnSite(ev, "8.1.6.3.2", "急救室 first-aid room", "5.6.3", site),
      OnSite(ev, "8.2.1.1", "业务申报服务 declaration services", "6.1", site + "; " + ask,
             {{"declarations_matched", "declarations matched in the period"}}),
      TradeData(ev),
      OnSite(ev, "8.2.2", "通关服务 customs clearance services", "6.2", site + "; " + ask),
      OnSite(ev, "8.2.3", "税务服务 tax services", "6.3", site + "; " + ask),
      OnSite(ev, "8.2.4", "金融服务 financial services", "6.4", site + "; " + ask),
      OnSite(ev, "8.2.5.1", "仓储服务 warehousing", "6.5", site),
      OnSite(ev, "8.2.5.2", "物流支撑服务 logistics support", "6.5", ask),
      OnSite(ev, "8.2.5.3", "全流程物流跟踪 end-to-end tracking", "6.5",
             "过程验证 verified by following a shipment through",
             {{"shipments_delivered", "shipments delivered in the period"}}),
      OnSite(ev, "8.2.6", "科技服务 technology services", "6.6", site + "; " + ask),
      OnSite(ev, "8.2.7", "法律服务 legal services", "6.7", ask),
      HumanResources(ev),
      OnSite(ev, "8.2.9", "企业孵化服务 incubation services", "6.9", ask),
      OnSite(ev, "8.2.10", "产品展示服务 product exhibition", "6.10", site),
      QualityControl(ev),
      OnSite(ev, "8.3.1.2", "服务质量监督电话 quality supervision hotline", "7.1.3", site),
      Assessment(ev),
      Complaints(ev),
  };
  v1::ReportSummary* summary = r.mutable_summary();
  for (auto& c : clauses) {
    summary->set_clauses(summary->clauses() + 1);
    summary->set_missing_items(summary->missing_items() + c.missing_size());
    switch (c.verdict()) {
      case v1::REPORT_VERDICT_EVIDENCED:
        summary->set_evidenced(summary->evidenced() + 1);
        break;
      case v1::REPORT_VERDICT_PARTIAL:
        summary->set_partial(summary->partial() + 1);
        break;
      case v1::REPORT_VERDICT_MISSING:
        summary->set_missing(summary->missing() + 1);
        break;
      default:
        summary->set_on_site(summary->on_site() + 1);
    }
    *r.add_clauses() = std::move(c);
  }
  *r.add_charts() = StatisticsChart(ev, "enterprises_resident", "Resident enterprises", "5.5.4");
  *r.add_charts() = StatisticsChart(ev, "occupancy_ratio", "Occupancy (leasable area)", "5.5.4");
  *r.add_charts() = StatisticsChart(ev, "trade_value_cny", "Trade value (CNY)", "5.5.4");
  *r.add_charts() =
      StatisticsChart(ev, "declarations_matched", "Declarations matched", "5.5.4, 6.2.3");
  *r.add_charts() = ComplaintsChart(ev);
  *r.add_charts() = ActionsChart(ev);
  return r;
}

std::string ReportVerdictName(v1::ReportVerdict verdict) {
  switch (verdict) {
    case v1::REPORT_VERDICT_EVIDENCED:
      return "EVIDENCED";
    case v1::REPORT_VERDICT_PARTIAL:
      return "PARTIAL";
    case v1::REPORT_VERDICT_MISSING:
      return "MISSING";
    case v1::REPORT_VERDICT_ON_SITE:
      return "ON SITE";
    default:
      return "UNSPECIFIED";
  }
}

}  // namespace parkline::quality
