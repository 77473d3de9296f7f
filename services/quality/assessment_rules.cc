#include "quality/assessment_rules.h"

#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "decimal/fixed_point.h"
#include "google/protobuf/util/time_util.h"
#include "quality/document_rules.h"
#include "statistics/indicators.h"

namespace parkline::quality {
namespace {

// Current-value indicators: those a closed day's snapshot (DayClosed) carries. The conformance
// gauge is a verdict computed for a period, never in a snapshot.
bool IsSnapshotIndicator(const std::string& name) {
  const statistics::Indicator* i = statistics::FindIndicator(name);
  return i != nullptr && i->kind == statistics::IndicatorKind::kGauge && name != "conformance";
}

// Counted indicators: those a closed day's totals (DayClosed.totals) carry.
bool IsCountedIndicator(const std::string& name) {
  const statistics::Indicator* i = statistics::FindIndicator(name);
  return i != nullptr && i->kind == statistics::IndicatorKind::kCounter;
}

// A component reading an amount per currency names the one currency it reads: without it, a
// COUNTED sum over every label set would add USD to EUR to JPY, and a closed period's result,
// once stored, never changes.
void CheckCurrencyFixed(const std::string& indicator,
                        const google::protobuf::Map<std::string, std::string>& labels,
                        const std::string& field, errors::Violations& v) {
  if (!IsPerCurrencyAmount(indicator)) return;
  auto currency = labels.find(kCurrencyLabel);
  if (currency != labels.end() && !absl::StripAsciiWhitespace(currency->second).empty()) return;
  v.Add(field, "CURRENCY_REQUIRED",
        absl::StrCat("'", indicator, "' is an amount per currency, never added across currencies: ",
                     "give the one currency it reads, e.g. ", kCurrencyLabel, ": USD"));
}

bool IsComponentName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') return false;
  }
  return true;
}

// numerator / denominator rounded half up (both non-negative, denominator > 0).
int64_t RoundedRatio(absl::int128 numerator, absl::int128 denominator) {
  return static_cast<int64_t>((2 * numerator + denominator) / (2 * denominator));
}

void CheckComponent(const v1::AssessmentComponent& c, const std::string& at,
                    errors::Violations& v) {
  auto field = [&](const char* name) { return absl::StrCat(at, ".", name); };
  if (!IsComponentName(c.name())) {
    v.Add(field("name"), "NOT_A_NAME", "1..64 characters of a-z, 0-9 and _");
  }
  switch (c.input()) {
    case v1::ASSESSMENT_INPUT_INDICATOR:
      if (!IsSnapshotIndicator(c.indicator())) {
        v.Add(field("indicator"), "UNKNOWN",
              absl::StrCat("'", c.indicator(),
                           "' is not a current-value indicator of the statistics' catalogue "
                           "(those a closed day's snapshot carries, e.g. occupancy_ratio)"));
      }
      CheckCurrencyFixed(c.indicator(), c.labels(), field("labels"), v);
      break;
    case v1::ASSESSMENT_INPUT_COUNTED:
      if (!IsCountedIndicator(c.indicator())) {
        v.Add(field("indicator"), "UNKNOWN",
              absl::StrCat("'", c.indicator(),
                           "' is not a counted indicator of the statistics' catalogue (those a "
                           "closed day's totals carry, e.g. complaints_resolved_on_time)"));
      }
      if (!c.per_indicator().empty() && !IsCountedIndicator(c.per_indicator())) {
        v.Add(field("per_indicator"), "UNKNOWN",
              absl::StrCat("'", c.per_indicator(),
                           "' is not a counted indicator of the statistics' catalogue"));
      }
      if (c.per_indicator().empty() && !c.per_labels().empty()) {
        v.Add(field("per_labels"), "NOT_FOR_INPUT", "per_labels go with a per_indicator");
      }
      CheckCurrencyFixed(c.indicator(), c.labels(), field("labels"), v);
      CheckCurrencyFixed(c.per_indicator(), c.per_labels(), field("per_labels"), v);
      break;
    case v1::ASSESSMENT_INPUT_FEEDBACK_SATISFACTION:
    case v1::ASSESSMENT_INPUT_THIRD_PARTY_SURVEY:
      if (!c.indicator().empty() || !c.labels().empty()) {
        v.Add(field("indicator"), "NOT_FOR_INPUT",
              "only an INDICATOR or COUNTED component names an indicator and labels");
      }
      break;
    default:
      v.Add(field("input"), "REQUIRED",
            "INDICATOR, COUNTED, FEEDBACK_SATISFACTION or THIRD_PARTY_SURVEY");
  }
  if (c.input() != v1::ASSESSMENT_INPUT_COUNTED &&
      (!c.per_indicator().empty() || !c.per_labels().empty())) {
    v.Add(field("per_indicator"), "NOT_FOR_INPUT",
          "only a COUNTED component is a percentage of another indicator");
  }
  if (c.weight_bp() < 1 || c.weight_bp() > kWeightTotal) {
    v.Add(field("weight_bp"), "RANGE", "1..10000 basis points");
  }
  auto floor = decimal::ParseFixed(c.floor(), kInputScale);
  auto target = decimal::ParseFixed(c.target(), kInputScale);
  if (!floor.ok()) v.Add(field("floor"), "NOT_A_DECIMAL", "an exact decimal, at most 4 digits");
  if (!target.ok()) v.Add(field("target"), "NOT_A_DECIMAL", "an exact decimal, at most 4 digits");
  if (c.direction() == v1::DIRECTION_HIGHER_BETTER) {
    if (floor.ok() && target.ok() && *target <= *floor) {
      v.Add(field("target"), "ORDER", "higher-better: the target is above the floor");
    }
  } else if (c.direction() == v1::DIRECTION_LOWER_BETTER) {
    if (floor.ok() && target.ok() && *target >= *floor) {
      v.Add(field("target"), "ORDER", "lower-better: the target is below the floor");
    }
  } else {
    v.Add(field("direction"), "REQUIRED", "HIGHER_BETTER or LOWER_BETTER");
  }
  if (c.clause().size() > 20) v.Add(field("clause"), "TOO_LONG", "at most 20 bytes");
}

void CheckName(errors::Violations& v, const char* field, const std::string& value, size_t max) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    v.Add(field, "REQUIRED", absl::StrCat(field, " is required"));
  } else if (value.size() > max) {
    v.Add(field, "TOO_LONG", absl::StrCat(field, " is at most ", max, " bytes"));
  }
}

}  // namespace

bool IsPerCurrencyAmount(const std::string& indicator) {
  const statistics::Indicator* i = statistics::FindIndicator(indicator);
  return i != nullptr && i->unit == "currency";
}

void CheckScheme(const v1::PublishAssessmentSchemeRequest& r, errors::Violations& v) {
  CheckName(v, "request_id", r.request_id(), kMaxRequestId);
  if (r.expected_version() < 0) v.Add("expected_version", "NEGATIVE", "0 or the current version");
  if (r.components().empty() || r.components_size() > kMaxComponents) {
    v.Add("components", "COUNT", absl::StrCat("1..", kMaxComponents, " components"));
  }
  std::set<std::string> names;
  // What a component measures: two components measuring the same thing would count it twice.
  std::set<std::tuple<int, std::string, std::map<std::string, std::string>, std::string,
                      std::map<std::string, std::string>>>
      measures;
  int64_t weights = 0;
  for (int i = 0; i < r.components_size(); ++i) {
    const v1::AssessmentComponent& c = r.components(i);
    std::string at = absl::StrCat("components[", i, "]");
    CheckComponent(c, at, v);
    if (!names.insert(c.name()).second) {
      v.Add(absl::StrCat(at, ".name"), "DUPLICATE",
            absl::StrCat("another component is named '", c.name(), "'"));
    }
    std::map<std::string, std::string> labels(c.labels().begin(), c.labels().end());
    std::map<std::string, std::string> per_labels(c.per_labels().begin(), c.per_labels().end());
    if (!measures
             .emplace(int{c.input()}, c.indicator(), std::move(labels), c.per_indicator(),
                      std::move(per_labels))
             .second) {
      v.Add(at, "DUPLICATE", "another component measures the same input (and labels)");
    }
    weights += c.weight_bp();
  }
  if (!r.components().empty() && weights != kWeightTotal) {
    v.Add("components.weight_bp", "SUM",
          absl::StrCat("the weights sum to ", weights, " basis points, not 10000"));
  }
  if (!ParseDate(r.effective_from())) {
    v.Add("effective_from", "NOT_A_DATE", "a date YYYY-MM-DD");
  }
  CheckName(v, "approved_by", r.approved_by(), kMaxName);
  if (r.change_note().size() > kMaxNote) v.Add("change_note", "TOO_LONG", "at most 2000 bytes");
}

absl::Status CheckSchemeSuccession(const v1::PublishAssessmentSchemeRequest& r,
                                   const std::optional<v1::AssessmentScheme>& current) {
  int64_t now_current = current ? current->version() : 0;
  if (r.expected_version() != now_current) {
    return absl::FailedPreconditionError(
        absl::StrCat("expected_version: the current scheme version is ", now_current, ", not ",
                     r.expected_version(), "; read it and publish after it"));
  }
  if (current && r.effective_from() < current->effective_from()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "effective_from: a new version takes effect no earlier than the version before (",
        current->effective_from(), ")"));
  }
  return absl::OkStatus();
}

v1::AssessmentScheme NextScheme(const v1::PublishAssessmentSchemeRequest& r,
                                const std::optional<v1::AssessmentScheme>& current,
                                const std::string& actor, absl::Time now) {
  v1::AssessmentScheme s;
  s.set_version(current ? current->version() + 1 : 1);
  *s.mutable_components() = r.components();
  s.set_effective_from(r.effective_from());
  s.set_approved_by(r.approved_by());
  s.set_change_note(r.change_note());
  *s.mutable_published_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  s.set_published_by(actor);
  s.set_request_id(r.request_id());
  return s;
}

std::optional<v1::AssessmentScheme> SchemeInForce(const std::vector<v1::AssessmentScheme>& schemes,
                                                  const std::string& last_day) {
  std::optional<v1::AssessmentScheme> best;
  for (const auto& s : schemes) {
    if (s.effective_from() > last_day) continue;
    if (!best || s.version() > best->version()) best = s;
  }
  return best;
}

void CheckSurvey(const v1::RecordSurveyResultRequest& r, errors::Violations& v) {
  CheckName(v, "request_id", r.request_id(), kMaxRequestId);
  CheckName(v, "surveyor", r.surveyor(), kMaxName);
  auto from = ParseDate(r.period_from());
  auto to = ParseDate(r.period_to());
  if (!from) v.Add("period_from", "NOT_A_DATE", "a date YYYY-MM-DD");
  if (!to) v.Add("period_to", "NOT_A_DATE", "a date YYYY-MM-DD");
  if (from && to && *to < *from) v.Add("period_to", "ORDER", "not before period_from");
  if (r.sample_size() < 1) v.Add("sample_size", "RANGE", "at least 1 respondent");
  auto score = decimal::ParseFixed(r.score(), kInputScale);
  if (!score.ok() || *score < 0 || *score > 100 * 10000) {
    v.Add("score", "RANGE", "an exact decimal 0..100, at most 4 fraction digits");
  }
  if (!IsUri(r.evidence_uri()) || r.evidence_uri().size() > kMaxUri) {
    v.Add("evidence_uri", "NOT_A_URI", "scheme://..., no spaces");
  }
  if (!IsSha256Hex(r.evidence_sha256())) {
    v.Add("evidence_sha256", "NOT_A_SHA256", "64 lowercase hex digits");
  }
}

absl::StatusOr<Days> CheckPeriod(const v1::AssessmentPeriod& p) {
  errors::Violations v;
  auto from = ParseDate(p.from());
  auto to = ParseDate(p.to());
  if (!from) v.Add("period.from", "NOT_A_DATE", "a date YYYY-MM-DD");
  if (!to) v.Add("period.to", "NOT_A_DATE", "a date YYYY-MM-DD");
  if (from && to) {
    if (*to < *from) {
      v.Add("period.to", "ORDER", "not before period.from");
    } else if (*to - *from + 1 > kMaxPeriodDays) {
      v.Add("period.to", "TOO_LONG", absl::StrCat("a period is at most ", kMaxPeriodDays, " days"));
    }
  }
  if (!v.empty()) return v.ToStatus();
  return Days{*from, *to};
}

int64_t ComponentScore(const v1::AssessmentComponent& c, int64_t value) {
  int64_t floor = decimal::ParseFixed(c.floor(), kInputScale).value_or(0);
  int64_t target = decimal::ParseFixed(c.target(), kInputScale).value_or(0);
  // Lower-better mirrors higher-better: distance from the floor towards the target.
  bool higher = c.direction() != v1::DIRECTION_LOWER_BETTER;
  absl::int128 gained = higher ? absl::int128{value} - floor : absl::int128{floor} - value;
  absl::int128 span = higher ? absl::int128{target} - floor : absl::int128{floor} - target;
  if (span <= 0 || gained <= 0) return 0;
  if (gained >= span) return 10000;
  return RoundedRatio(gained * 10000, span);
}

namespace {

// The input of one component, scale 4, or why it is missing.
struct Input {
  std::optional<int64_t> value;
  std::string missing_reason;
};

Input IndicatorInput(const v1::AssessmentComponent& c, const PeriodInputs& in,
                     const std::string& last_day) {
  if (!in.last_day) return {std::nullopt, absl::StrCat(last_day, " is not closed yet")};
  std::map<std::string, std::string> want(c.labels().begin(), c.labels().end());
  for (const auto& value : in.last_day->values()) {
    std::map<std::string, std::string> labels(value.labels().begin(), value.labels().end());
    if (value.indicator() != c.indicator() || labels != want) continue;
    auto parsed = decimal::ParseFixed(value.value(), kInputScale);
    if (!parsed.ok()) return {std::nullopt, absl::StrCat("unreadable value '", value.value(), "'")};
    return {*parsed, ""};
  }
  return {std::nullopt, absl::StrCat("no value of ", c.indicator(), " with these labels in the ",
                                     last_day, " snapshot")};
}

// Totals are summed at this scale, wider than any indicator's in the statistics' catalogue
// (money is 5 digits), and rounded to kInputScale only at the end.
constexpr int kTotalScale = 6;
constexpr int64_t kTotalToInput = 100;  // 10^(kTotalScale - kInputScale)

// The sum over the period's closed days of `indicator`'s totals whose label sets have `want`, at
// kTotalScale.
struct Sum {
  absl::int128 value = 0;
  std::string missing_reason;
};

bool HasLabels(const parkline::statistics::v1::IndicatorValue& total,
               const google::protobuf::Map<std::string, std::string>& want) {
  for (const auto& [k, value] : want) {
    auto it = total.labels().find(k);
    if (it == total.labels().end() || it->second != value) return false;
  }
  return true;
}

Sum CountedSum(const PeriodInputs& in, const std::string& indicator,
               const google::protobuf::Map<std::string, std::string>& want) {
  Sum out;
  for (const auto& day : in.closed_days) {
    if (!day.has_totals()) {
      out.missing_reason =
          absl::StrCat(day.day(), " was closed by a statistics that did not carry totals");
      return out;
    }
    for (const auto& total : day.totals()) {
      if (total.indicator() != indicator || !HasLabels(total, want)) continue;
      auto parsed = decimal::ParseFixed(total.value(), kTotalScale);
      if (!parsed.ok()) {
        out.missing_reason = absl::StrCat("unreadable total '", total.value(), "' of ", indicator,
                                          " on ", day.day());
        return out;
      }
      out.value += *parsed;
    }
  }
  return out;
}

Input CountedInput(const v1::AssessmentComponent& c, const PeriodInputs& in, const Days& days) {
  if (static_cast<int>(in.closed_days.size()) != days.count()) {
    return {std::nullopt, absl::StrCat("a sum over the period needs every day closed: ",
                                       in.closed_days.size(), " of ", days.count(), " are")};
  }
  Sum counted = CountedSum(in, c.indicator(), c.labels());
  if (!counted.missing_reason.empty()) return {std::nullopt, counted.missing_reason};
  if (counted.value < 0 ||
      counted.value / kTotalToInput > std::numeric_limits<int64_t>::max() - 1) {
    return {std::nullopt, absl::StrCat("the sum of ", c.indicator(), " is out of range")};
  }
  if (c.per_indicator().empty()) return {RoundedRatio(counted.value, kTotalToInput), ""};
  Sum per = CountedSum(in, c.per_indicator(), c.per_labels());
  if (!per.missing_reason.empty()) return {std::nullopt, per.missing_reason};
  if (per.value <= 0) {
    return {std::nullopt, absl::StrCat("no ", c.per_indicator(),
                                       " counted in the period to take a percentage of")};
  }
  // Both sums are at one scale: their quotient times 100 is the percentage, times 10^4 its scale.
  return {RoundedRatio(counted.value * 100 * 10000, per.value), ""};
}

Input FeedbackInput(const PeriodInputs& in) {
  absl::int128 weighted = 0, respondents = 0;
  for (const FeedbackFigure& f : in.feedback) {
    if (f.respondents < 1) continue;
    weighted += absl::int128{f.satisfaction_centi} * 100 * f.respondents;  // centi -> scale 4
    respondents += f.respondents;
  }
  if (respondents == 0) return {std::nullopt, "no feedback with respondents in the period"};
  return {RoundedRatio(weighted, respondents), ""};
}

Input SurveyInput(const PeriodInputs& in) {
  absl::int128 weighted = 0, sample = 0;
  for (const v1::SurveyResult& s : in.surveys) {
    auto score = decimal::ParseFixed(s.score(), kInputScale);
    if (!score.ok() || s.sample_size() < 1) continue;
    weighted += absl::int128{*score} * s.sample_size();
    sample += s.sample_size();
  }
  if (sample == 0) return {std::nullopt, "no third-party survey ending in the period"};
  return {RoundedRatio(weighted, sample), ""};
}

}  // namespace

v1::AssessmentResult Assess(const v1::AssessmentScheme& scheme, const v1::AssessmentPeriod& period,
                            const Days& days, const PeriodInputs& in) {
  v1::AssessmentResult out;
  *out.mutable_period() = period;
  out.set_scheme_version(scheme.version());
  int64_t total_micro = 0;  // points at scale 6
  for (const v1::AssessmentComponent& c : scheme.components()) {
    Input input;
    switch (c.input()) {
      case v1::ASSESSMENT_INPUT_INDICATOR:
        input = IndicatorInput(c, in, period.to());
        break;
      case v1::ASSESSMENT_INPUT_FEEDBACK_SATISFACTION:
        input = FeedbackInput(in);
        break;
      case v1::ASSESSMENT_INPUT_THIRD_PARTY_SURVEY:
        input = SurveyInput(in);
        break;
      case v1::ASSESSMENT_INPUT_COUNTED:
        input = CountedInput(c, in, days);
        break;
      default:
        input = {std::nullopt, "unknown input"};
    }
    v1::ComponentResult* r = out.add_components();
    *r->mutable_component() = c;
    int64_t score = 0;
    if (input.value) {
      r->set_input(decimal::FormatFixed(*input.value, kInputScale));
      score = ComponentScore(c, *input.value);
    } else {
      r->set_missing(true);
      r->set_missing_reason(input.missing_reason);
      out.add_missing(c.name());
    }
    int64_t points_micro = score * c.weight_bp();  // 0.01 x 0.0001
    total_micro += points_micro;
    r->set_score(decimal::FormatFixed(score, 2));
    r->set_points(decimal::FormatFixed(points_micro, 6));
  }
  out.set_total(decimal::FormatFixed(RoundedRatio(total_micro, 10000), 2));
  out.set_days_in_period(days.count());
  out.set_days_closed(in.days_closed);
  out.set_final(in.days_closed == days.count());
  return out;
}

std::string PeriodKey(const v1::AssessmentPeriod& period) {
  return absl::StrCat(period.from(), "..", period.to());
}

}  // namespace parkline::quality
