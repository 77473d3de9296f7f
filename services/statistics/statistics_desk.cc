#include "statistics/statistics_desk.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "decimal/fixed_point.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "statistics/history.h"
#include "statistics/indicators.h"
#include "statistics/periods.h"
#include "statistics/statistics_repository.h"

namespace parkline::statistics {
namespace {

using google::protobuf::util::TimeUtil;

void Fill(const std::string& indicator, const Labels& labels, int64_t scaled,
          v1::IndicatorValue* out) {
  out->set_indicator(indicator);
  for (const auto& [k, v] : labels) (*out->mutable_labels())[k] = v;
  out->set_value(FormatValue(indicator, scaled));
  const Indicator* i = FindIndicator(indicator);
  out->set_unit(i != nullptr ? i->unit : "count");
}

void FillTotals(const Totals& totals, google::protobuf::RepeatedPtrField<v1::IndicatorValue>* out) {
  for (const auto& [key, value] : totals) {
    Fill(key.first, ParseLabels(key.second), value, out->Add());
  }
}

// GetServiceScore's answer since the score moved to the quality service: the inputs only, no
// score and no weights (the message's fields stay, for clients built against it).
v1::ServiceScore ToProto(const std::vector<EvaluationInput>& inputs, const DayRange& period) {
  v1::ServiceScore out;
  out.set_authoritative_score("parkline.quality.v1.QualityService/GetAssessmentResult");
  *out.mutable_period() = ToPeriod(period);
  for (const EvaluationInput& c : inputs) {
    v1::ScoreComponent* p = out.add_components();
    p->set_name(c.name);
    p->set_clause(c.clause);
    if (c.value) p->set_value(decimal::FormatFixed(*c.value, 4));
  }
  return out;
}

v1::Verdict ToProto(Verdict v) {
  switch (v) {
    case Verdict::kMet:
      return v1::VERDICT_MET;
    case Verdict::kNotMet:
      return v1::VERDICT_NOT_MET;
    default:
      return v1::VERDICT_NOT_EVALUATED;
  }
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Whether a series' labels (LabelsText form) carry every label the request filters on.
bool MatchesFilter(const std::string& labels_text,
                   const google::protobuf::Map<std::string, std::string>& filter) {
  Labels labels = ParseLabels(labels_text);
  for (const auto& [k, v] : filter) {
    auto found = labels.find(k);
    if (found == labels.end() || found->second != v) return false;
  }
  return true;
}

// A series' granularity checked and its period resolved (default: the last 30 days).
absl::StatusOr<DayRange> SeriesPeriod(const v1::GetTimeSeriesRequest& request,
                                      absl::CivilDay today) {
  if (!v1::Granularity_IsValid(request.granularity())) {
    return absl::InvalidArgumentError("granularity: must be DAY, MONTH or YEAR");
  }
  return ResolvePeriod(request.period(), "period", {today - 29, today});
}

// A rate's numerator and denominator, each summed by bucket.
struct RateSums {
  std::map<std::string, int64_t> numerator, denominator;
};

// The series of `rate` a counter row (its labels in LabelsText form) belongs to: its value of the
// rate's `by` label, so that a per-category rate never mixes categories; "" for a park-wide rate;
// nullopt for a row without that label.
std::optional<std::string> SeriesOf(const Rate& rate, const std::string& labels_text) {
  if (rate.by.empty()) return std::string();
  Labels labels = ParseLabels(labels_text);
  auto found = labels.find(rate.by);
  if (found == labels.end()) return std::nullopt;
  return found->second;
}

int64_t SumIn(const std::map<std::string, int64_t>& sums, const std::string& bucket) {
  auto found = sums.find(bucket);
  return found == sums.end() ? 0 : found->second;
}

// A rate's points, none where a bucket has no denominator, and its total over the period.
void FillRateSeries(const std::string& indicator, const std::vector<std::string>& buckets,
                    const RateSums& sums, v1::Series* series) {
  int64_t all_numerator = 0, all_denominator = 0;
  for (const std::string& bucket : buckets) {
    v1::Point* point = series->add_points();
    point->set_bucket(bucket);
    int64_t n = SumIn(sums.numerator, bucket), d = SumIn(sums.denominator, bucket);
    all_numerator += n;
    all_denominator += d;
    if (auto r = Ratio(n, d)) point->set_value(FormatValue(indicator, *r));
  }
  if (auto r = Ratio(all_numerator, all_denominator)) {
    series->set_total(FormatValue(indicator, *r));
  }
}

}  // namespace

std::string FormatValue(const std::string& indicator, int64_t scaled) {
  const Indicator* i = FindIndicator(indicator);
  return decimal::FormatFixed(scaled, i != nullptr ? i->scale : 0);
}

absl::CivilDay StatisticsDesk::TodayInPark() const { return absl::ToCivilDay(clock_(), zone_); }

absl::StatusOr<v1::Overview> StatisticsDesk::Overview() {
  absl::CivilDay today = TodayInPark();
  const std::vector<std::pair<std::string, DayRange>> periods = {
      {"today", Today(today)},
      {"month_to_date", MonthToDate(today)},
      {"year_to_date", YearToDate(today)}};
  v1::Overview out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto snapshot = LoadSnapshot(tx);
    if (!snapshot.ok()) return snapshot.status();
    std::vector<Figure> current = CurrentFigures(*snapshot);
    for (const Figure& f : current) Fill(f.indicator, f.labels, f.scaled, out.add_current());
    for (const auto& [name, range] : periods) {
      auto totals = LoadTotals(tx, range.from_text(), range.to_text());
      if (!totals.ok()) return totals.status();
      v1::PeriodTotals* p = out.add_totals();
      p->set_name(name);
      *p->mutable_period() = ToPeriod(range);
      FillTotals(*totals, p->mutable_values());
      for (const Figure& f : PeriodRates(*totals)) {
        Fill(f.indicator, f.labels, f.scaled, p->add_values());
      }
      if (name == "year_to_date") {
        *out.mutable_score() = ToProto(EvaluationInputs(current, *totals), range);
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  *out.mutable_as_of() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(clock_()));
  out.mutable_today()->set_year(static_cast<int32_t>(today.year()));
  out.mutable_today()->set_month(today.month());
  out.mutable_today()->set_day(today.day());
  out.set_time_zone(zone_.name());
  return out;
}

absl::StatusOr<v1::TimeSeries> StatisticsDesk::TimeSeries(const v1::GetTimeSeriesRequest& request) {
  const Indicator* indicator = FindIndicator(request.indicator());
  if (request.indicator() == "service_score") {
    return absl::InvalidArgumentError(
        "indicator: 'service_score' is no longer kept here; the park's score is the quality "
        "service's assessment result (GetAssessmentResult) under its published scheme");
  }
  if (indicator == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("indicator: '", request.indicator(),
                                                   "' is not an indicator (see the README)"));
  }
  if (indicator->kind == IndicatorKind::kRate) return RateSeries(*indicator, request);
  if (indicator->name == "conformance") {
    return absl::InvalidArgumentError(
        absl::StrCat("indicator: '", request.indicator(),
                     "' is computed for a period, not kept per day; GetConformance takes the "
                     "period"));
  }
  if (indicator->kind == IndicatorKind::kGauge) return SnapshotSeries(*indicator, request);
  auto range = SeriesPeriod(request, TodayInPark());
  if (!range.ok()) return range.status();
  std::vector<DailyValue> daily;
  absl::Status read = store::ReadInto(db_, daily, [&](store::Transaction& tx) {
    return LoadDaily(tx, request.indicator(), range->from_text(), range->to_text());
  });
  if (!read.ok()) return read;

  std::map<std::string, std::map<std::string, int64_t>> by_labels;  // labels -> bucket -> sum
  for (const DailyValue& d : daily) {
    if (MatchesFilter(d.labels, request.label_filter())) {
      by_labels[d.labels][BucketOf(d.day, request.granularity())] += d.value;
    }
  }
  v1::TimeSeries out;
  out.set_indicator(indicator->name);
  out.set_unit(indicator->unit);
  out.set_granularity(request.granularity() == v1::GRANULARITY_UNSPECIFIED ? v1::GRANULARITY_DAY
                                                                           : request.granularity());
  std::vector<std::string> buckets = Buckets(*range, request.granularity());
  for (const auto& [labels, values] : by_labels) {
    v1::Series* series = out.add_series();
    for (const auto& [k, v] : ParseLabels(labels)) (*series->mutable_labels())[k] = v;
    int64_t total = 0;
    for (const std::string& bucket : buckets) {
      auto found = values.find(bucket);
      int64_t value = found == values.end() ? 0 : found->second;
      total += value;
      v1::Point* point = series->add_points();
      point->set_bucket(bucket);
      point->set_value(FormatValue(indicator->name, value));
    }
    series->set_total(FormatValue(indicator->name, total));
  }
  return out;
}

absl::StatusOr<v1::TimeSeries> StatisticsDesk::SnapshotSeries(
    const Indicator& indicator, const v1::GetTimeSeriesRequest& request) {
  auto range = SeriesPeriod(request, TodayInPark());
  if (!range.ok()) return range.status();
  std::vector<DailyValue> daily;
  std::string last_closed;  // the period's last closed day: its end is the period's
  absl::Status read = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto rows = LoadSnapshots(tx, indicator.name, range->from_text(), range->to_text());
    if (!rows.ok()) return rows.status();
    daily = std::move(*rows);
    auto closed = LoadClosedDays(tx, range->from_text(), range->to_text());
    if (!closed.ok()) return closed.status();
    if (!closed->empty()) last_closed = *closed->rbegin();
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  // A value at a moment does not add up: a bucket shows the value at the end of its last closed
  // day (rows come ordered by day), and a bucket with no closed day shows none.
  std::map<std::string, std::map<std::string, int64_t>> by_labels;  // labels -> bucket -> value
  std::map<std::string, int64_t> at_end;  // labels -> value on the period's last closed day
  for (const DailyValue& d : daily) {
    if (MatchesFilter(d.labels, request.label_filter())) {
      by_labels[d.labels][BucketOf(d.day, request.granularity())] = d.value;
      if (d.day == last_closed) at_end[d.labels] = d.value;
    }
  }
  v1::TimeSeries out;
  out.set_indicator(indicator.name);
  out.set_unit(indicator.unit);
  out.set_granularity(request.granularity() == v1::GRANULARITY_UNSPECIFIED ? v1::GRANULARITY_DAY
                                                                           : request.granularity());
  std::vector<std::string> buckets = Buckets(*range, request.granularity());
  for (const auto& [labels, values] : by_labels) {
    v1::Series* series = out.add_series();
    for (const auto& [k, v] : ParseLabels(labels)) (*series->mutable_labels())[k] = v;
    for (const std::string& bucket : buckets) {
      v1::Point* point = series->add_points();
      point->set_bucket(bucket);
      auto found = values.find(bucket);
      if (found != values.end()) point->set_value(FormatValue(indicator.name, found->second));
    }
    // The total of a value at a moment is its value at the end of the period: of its last closed
    // day, where a label set with no row has none left (a snapshot keeps no row for a kind, role
    // or status that has gone), so 0 rather than the last value the series showed.
    auto found = at_end.find(labels);
    series->set_total(FormatValue(indicator.name, found == at_end.end() ? 0 : found->second));
  }
  return out;
}

absl::StatusOr<v1::TimeSeries> StatisticsDesk::RateSeries(const Indicator& indicator,
                                                          const v1::GetTimeSeriesRequest& request) {
  const Rate* rate = FindRate(indicator.name);
  auto range = SeriesPeriod(request, TodayInPark());
  if (!range.ok()) return range.status();
  // By the series' value of the rate's `by` label ("" for a park-wide rate, which is one series
  // with data or without).
  std::map<std::string, RateSums> by_value;
  if (rate->by.empty()) by_value[""];
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    for (bool numerator : {true, false}) {
      for (const std::string& name : numerator ? rate->numerator : rate->denominator) {
        auto daily = LoadDaily(tx, name, range->from_text(), range->to_text());
        if (!daily.ok()) return daily.status();
        for (const DailyValue& d : *daily) {
          if (!MatchesFilter(d.labels, request.label_filter())) continue;
          std::optional<std::string> value = SeriesOf(*rate, d.labels);
          if (!value) continue;
          RateSums& sums = by_value[*value];
          (numerator ? sums.numerator : sums.denominator)[BucketOf(d.day, request.granularity())] +=
              d.value;
        }
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  v1::TimeSeries out;
  out.set_indicator(indicator.name);
  out.set_unit(indicator.unit);
  out.set_granularity(request.granularity() == v1::GRANULARITY_UNSPECIFIED ? v1::GRANULARITY_DAY
                                                                           : request.granularity());
  std::vector<std::string> buckets = Buckets(*range, request.granularity());
  for (const auto& [value, sums] : by_value) {
    // A category with nothing in the denominator has no rate (nor has it in PeriodRates).
    if (!rate->by.empty() && sums.denominator.empty()) continue;
    v1::Series* series = out.add_series();
    for (const auto& [k, v] : request.label_filter()) (*series->mutable_labels())[k] = v;
    if (!rate->by.empty()) (*series->mutable_labels())[rate->by] = value;
    FillRateSeries(indicator.name, buckets, sums, series);
  }
  return out;
}

absl::StatusOr<v1::EnterpriseFigures> StatisticsDesk::EnterpriseFigures(
    const v1::GetEnterpriseFiguresRequest& request) {
  if (request.uscc().empty()) return absl::InvalidArgumentError("uscc: required");
  absl::CivilDay today = TodayInPark();
  auto range = ResolvePeriod(request.period(), "period", YearToDate(today));
  if (!range.ok()) return range.status();
  v1::EnterpriseFigures out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    // The enterprise, its IP and talent as they stood at the end of a period that has ended;
    // now for one that reaches today.
    auto snapshot = range->to < today ? LoadSnapshotAt(tx, range->to_text()) : LoadSnapshot(tx);
    if (!snapshot.ok()) return snapshot.status();
    const EnterpriseRecord* found = nullptr;
    for (const EnterpriseRecord& e : snapshot->enterprises) {
      if (e.uscc == request.uscc()) found = &e;
    }
    if (found == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("uscc: no enterprise ", request.uscc(), " is known to the statistics"));
    }
    out.set_uscc(found->uscc);
    out.set_name(found->name);
    out.set_customs_code(found->customs_code);
    for (const std::string& role : found->roles) out.add_roles(role);
    out.set_resident(found->resident);
    if (!found->customs_code.empty()) {
      auto totals =
          LoadEnterpriseTotals(tx, found->customs_code, range->from_text(), range->to_text());
      if (!totals.ok()) return totals.status();
      FillTotals(*totals, out.mutable_values());
    }
    std::map<std::string, int64_t> by_kind;
    for (const IpAssetRecord& a : snapshot->ip_assets) {
      if (a.uscc == found->uscc) by_kind[a.kind]++;
    }
    for (const auto& [kind, n] : by_kind) Fill("ip_assets", {{"kind", kind}}, n, out.add_values());
    const TalentRecord* latest = nullptr;
    for (const TalentRecord& t : snapshot->talent) {
      if (t.uscc == found->uscc && (latest == nullptr || latest->year < t.year)) latest = &t;
    }
    if (latest != nullptr) {
      Fill("talent", {{"category", "employees"}}, latest->employees, out.add_values());
      Fill("talent", {{"category", "cross_border_staff"}}, latest->cross_border_staff,
           out.add_values());
      Fill("talent", {{"category", "trained_staff"}}, latest->trained_staff, out.add_values());
    }
    // The support service's figures are kept under the USCC (its events carry no customs code).
    auto support = LoadEnterpriseTotals(tx, found->uscc, range->from_text(), range->to_text());
    if (!support.ok()) return support.status();
    FillTotals(*support, out.mutable_values());
    // Staff trained per year of the period, as the park confirmed it at its trainings and as the
    // enterprise reported it, side by side: the self-reported figure only for a year reported.
    for (absl::CivilYear year = absl::CivilYear(range->from); year <= absl::CivilYear(range->to);
         ++year) {
      DayRange in_year{std::max(range->from, absl::CivilDay(year)),
                       std::min(range->to, absl::CivilDay(year + 1) - 1)};
      auto trained = LoadEnterpriseTotals(tx, found->uscc, in_year.from_text(), in_year.to_text());
      if (!trained.ok()) return trained.status();
      std::string y = absl::StrCat(year.year());
      Fill("staff_trained", {{"source", "confirmed_attendance"}, {"year", y}},
           Sum(*trained, "support_staff_trained"), out.add_values());
      for (const TalentRecord& t : snapshot->talent) {
        if (t.uscc == found->uscc && t.year == year.year()) {
          Fill("staff_trained", {{"source", "self_reported"}, {"year", y}}, t.trained_staff,
               out.add_values());
        }
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListTopEnterprisesResponse> StatisticsDesk::TopEnterprises(
    const v1::ListTopEnterprisesRequest& request) {
  if (request.limit() < 0 || request.limit() > 100) {
    return absl::InvalidArgumentError("limit: must be 0..100 (0 means 10)");
  }
  int limit = request.limit() == 0 ? 10 : request.limit();
  auto range = ResolvePeriod(request.period(), "period", YearToDate(TodayInPark()));
  if (!range.ok()) return range.status();
  v1::ListTopEnterprisesResponse out;
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto top =
        LoadTopEnterprises(tx, "trade_value_cny", range->from_text(), range->to_text(), limit);
    if (!top.ok()) return top.status();
    auto snapshot = LoadSnapshot(tx);
    if (!snapshot.ok()) return snapshot.status();
    for (const EnterpriseValue& v : *top) {
      v1::TopEnterprise* e = out.add_enterprises();
      e->set_customs_code(v.enterprise);
      e->set_trade_value_cny(FormatValue("trade_value_cny", v.value));
      for (const EnterpriseRecord& r : snapshot->enterprises) {
        if (r.customs_code == v.enterprise) {
          e->set_uscc(r.uscc);
          e->set_name(r.name);
        }
      }
      auto totals = LoadEnterpriseTotals(tx, v.enterprise, range->from_text(), range->to_text());
      if (!totals.ok()) return totals.status();
      e->set_declarations(Sum(*totals, "declarations_matched"));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ExportPeriodResponse> StatisticsDesk::Export(
    const v1::ExportPeriodRequest& request) {
  if (!v1::ExportFormat_IsValid(request.format())) {
    return absl::InvalidArgumentError("format: must be CSV or JSON");
  }
  if (!request.has_period()) return absl::InvalidArgumentError("period: required");
  auto range = ResolvePeriod(request.period(), "period", {});
  if (!range.ok()) return range.status();
  std::vector<DailyValue> daily;
  absl::Status read = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto counted = LoadDaily(tx, "", range->from_text(), range->to_text());
    if (!counted.ok()) return counted.status();
    auto snapshots = LoadSnapshots(tx, "", range->from_text(), range->to_text());
    if (!snapshots.ok()) return snapshots.status();
    // One archive in (day, indicator, labels) order: a day's counted indicators and its closed
    // snapshot side by side (no name is both).
    daily.reserve(counted->size() + snapshots->size());
    std::merge(counted->begin(), counted->end(), snapshots->begin(), snapshots->end(),
               std::back_inserter(daily), [](const DailyValue& a, const DailyValue& b) {
                 return std::tie(a.day, a.indicator, a.labels) <
                        std::tie(b.day, b.indicator, b.labels);
               });
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  v1::ExportPeriodResponse out;
  std::string content;
  if (request.format() == v1::EXPORT_FORMAT_JSON) {
    nlohmann::json rows = nlohmann::json::array();
    for (const DailyValue& d : daily) {
      const Indicator* i = FindIndicator(d.indicator);
      nlohmann::json labels = nlohmann::json::object();
      for (const auto& [k, v] : ParseLabels(d.labels)) labels[k] = v;
      rows.push_back({{"day", d.day},
                      {"indicator", d.indicator},
                      {"labels", labels},
                      {"value", FormatValue(d.indicator, d.value)},
                      {"unit", i != nullptr ? i->unit : "count"},
                      {"clause", i != nullptr ? i->clause : ""}});
    }
    nlohmann::json doc = {{"park_time_zone", zone_.name()},
                          {"from", range->from_text()},
                          {"to", range->to_text()},
                          {"rows", rows}};
    content = doc.dump(1);
    out.set_content_type("application/json");
  } else {
    content = "day,indicator,labels,value,unit,clause\n";
    for (const DailyValue& d : daily) {
      const Indicator* i = FindIndicator(d.indicator);
      absl::StrAppend(&content, d.day, ",", d.indicator, ",", CsvField(d.labels), ",",
                      FormatValue(d.indicator, d.value), ",", i != nullptr ? i->unit : "count", ",",
                      i != nullptr ? i->clause : "", "\n");
    }
    out.set_content_type("text/csv");
  }
  out.set_sha256(auth::Sha256Hex(content));
  out.set_rows(static_cast<int64_t>(daily.size()));
  out.set_content(std::move(content));
  return out;
}

absl::StatusOr<ConformanceInput> StatisticsDesk::ConformanceInputFor(store::Transaction& tx,
                                                                     const DayRange& range) {
  absl::CivilDay today = TodayInPark();
  ConformanceInput in;
  in.from = range.from_text();
  in.to = range.to_text();
  auto totals = LoadTotals(tx, in.from, in.to);
  if (!totals.ok()) return totals.status();
  in.period = std::move(*totals);
  // Only the quarters that have ended: today is still under way, even as a quarter's last day.
  for (Quarter& q : WholeQuarters(range.from, std::min(range.to, today - 1))) {
    auto quarter = LoadTotals(tx, q.from, q.to);
    if (!quarter.ok()) return quarter.status();
    in.quarters.emplace_back(std::move(q), *std::move(quarter));
  }
  if (range.to >= today) {
    auto snapshot = LoadSnapshot(tx);
    if (!snapshot.ok()) return snapshot.status();
    in.at_end = CurrentFigures(*snapshot);
    in.at_end_day = DayText(today);
  } else {
    auto closed = LoadClosedDays(tx, in.to, in.to);
    if (!closed.ok()) return closed.status();
    in.at_end_day = in.to;
    if (!closed->empty()) {
      auto rows = LoadSnapshots(tx, "", in.to, in.to);
      if (!rows.ok()) return rows.status();
      std::vector<Figure> figures;
      for (const DailyValue& d : *rows)
        figures.push_back({d.indicator, ParseLabels(d.labels), d.value});
      in.at_end = std::move(figures);
    }
  }
  auto history_from = LoadHistoryFrom(tx);
  if (!history_from.ok()) return history_from.status();
  if (history_from->has_value()) {
    in.history_from = **history_from;
  } else {
    auto first = FirstEventDay(tx);
    if (!first.ok()) return first.status();
    in.history_from = *first;
  }
  absl::CivilDay first;
  if (!in.history_from.empty() && ParseDay(in.history_from, &first)) {
    absl::CivilDay from = std::max(range.from, first);
    absl::CivilDay to = std::min(range.to, today - 1);
    if (from <= to) {
      in.days_required = to - from + 1;
      auto closed = LoadClosedDays(tx, DayText(from), DayText(to));
      if (!closed.ok()) return closed.status();
      in.days_closed = static_cast<int64_t>(closed->size());
    }
  }
  return in;
}

absl::StatusOr<StatisticsDesk::Figures> StatisticsDesk::CurrentAndPeriod(const v1::Period& period) {
  auto range = ResolvePeriod(period, "period", YearToDate(TodayInPark()));
  if (!range.ok()) return range.status();
  Figures out{*range, {}, {}, {}};
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto in = ConformanceInputFor(tx, *range);
    if (!in.ok()) return in.status();
    out.conformance = std::move(*in);
    out.period = out.conformance.period;
    if (out.conformance.at_end) {
      out.current = *out.conformance.at_end;
    } else {
      auto snapshot = LoadSnapshot(tx);
      if (!snapshot.ok()) return snapshot.status();
      out.current = CurrentFigures(*snapshot);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Conformance> StatisticsDesk::Conformance(
    const v1::GetConformanceRequest& request) {
  auto figures = CurrentAndPeriod(request.period());
  if (!figures.ok()) return figures.status();
  v1::Conformance out;
  for (const ClauseVerdict& v : statistics::Conformance(figures->conformance)) {
    v1::ClauseVerdict* p = out.add_clauses();
    p->set_clause(v.clause);
    p->set_requirement(v.requirement);
    p->set_verdict(ToProto(v.verdict));
    p->set_explanation(v.explanation);
    for (const Figure& f : v.evidence) Fill(f.indicator, f.labels, f.scaled, p->add_evidence());
    *p->mutable_period() = ToPeriod(figures->range);
    for (const Criterion& c : v.criteria) {
      v1::Criterion* q = p->add_criteria();
      q->set_measured(c.measured);
      absl::CivilDay from, to;
      if (ParseDay(c.from, &from) && ParseDay(c.to, &to))
        *q->mutable_period() = ToPeriod({from, to});
      q->set_threshold(c.threshold);
      q->set_value(c.value);
      q->set_met(c.met);
      q->set_evaluated(c.evaluated);
    }
  }
  return out;
}

absl::StatusOr<v1::ServiceScore> StatisticsDesk::Score(const v1::GetServiceScoreRequest& request) {
  auto figures = CurrentAndPeriod(request.period());
  if (!figures.ok()) return figures.status();
  return ToProto(EvaluationInputs(figures->current, figures->period), figures->range);
}

absl::StatusOr<StatisticsDesk::Everything> StatisticsDesk::ForMetrics() {
  Everything out;
  DayRange ytd = YearToDate(TodayInPark());
  absl::Status s = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto snapshot = LoadSnapshot(tx);
    if (!snapshot.ok()) return snapshot.status();
    out.current = CurrentFigures(*snapshot);
    auto all = LoadTotals(tx, "", "");
    if (!all.ok()) return all.status();
    out.all_time = std::move(*all);
    auto year = ConformanceInputFor(tx, ytd);
    if (!year.ok()) return year.status();
    out.conformance = statistics::Conformance(*year);
    auto closed = tx.Query(
        "SELECT COUNT(*), CAST(COALESCE(SUM(revision), 0) AS BIGINT), COALESCE(MAX(day), '') "
        "FROM stat_day_closed");
    if (!closed.ok()) return closed.status();
    out.days_closed = closed->front().Int(0);
    out.day_revisions = closed->front().Int(1);
    absl::CivilDay last;
    if (absl::ParseCivilTime(closed->front().Text(2), &last)) {
      out.last_closed_day_end = absl::FromCivil(last + 1, zone_);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace parkline::statistics
