#include "statistics/indicator_metrics.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "prometheus/metric_family.h"
#include "runtime/log.h"
#include "statistics/indicators.h"

namespace parkline::statistics {
namespace {

double Scaled(const std::string& indicator, int64_t value) {
  const Indicator* i = FindIndicator(indicator);
  return static_cast<double>(value) / std::pow(10.0, i != nullptr ? i->scale : 0);
}

std::string HelpOf(const std::string& help, const std::string& clause) {
  return absl::StrCat(help, " (GB/T 39678-2020 ", clause, ")");
}

prometheus::ClientMetric Metric(const Labels& labels) {
  prometheus::ClientMetric m;
  for (const auto& [k, v] : labels) m.label.push_back({k, v});
  return m;
}

}  // namespace

std::vector<prometheus::MetricFamily> ToMetricFamilies(const StatisticsDesk::Everything& all) {
  std::map<std::string, prometheus::MetricFamily> families;
  auto family = [&](const std::string& name, const std::string& help, const std::string& clause,
                    prometheus::MetricType type) -> prometheus::MetricFamily& {
    prometheus::MetricFamily& f = families[name];
    if (f.name.empty()) {
      f.name = name;
      f.help = HelpOf(help, clause);
      f.type = type;
    }
    return f;
  };
  for (const Figure& f : all.current) {
    const Indicator* i = FindIndicator(f.indicator);
    if (i == nullptr) continue;
    prometheus::ClientMetric m = Metric(f.labels);
    m.gauge.value = Scaled(f.indicator, f.scaled);
    family("parkline_" + f.indicator, i->help, i->clause, prometheus::MetricType::Gauge)
        .metric.push_back(m);
  }
  for (const ClauseVerdict& v : all.conformance) {
    if (v.verdict == Verdict::kNotEvaluated) continue;
    prometheus::ClientMetric m = Metric({{"clause", v.clause}});
    m.gauge.value = v.verdict == Verdict::kMet ? 1 : 0;
    family("parkline_conformance", "1 when the clause is met by the current figures, 0 when not",
           "5.3.1, 5.5.4, 6.8.1, 6.8.2, 6.9.2, 7.3", prometheus::MetricType::Gauge)
        .metric.push_back(m);
  }
  // Counted indicators as counters (totals since the park began).
  std::set<std::string> histogram_parts;
  for (const Histogram& h : Histograms()) {
    for (const char* suffix : {"_bucket", "_sum", "_count"})
      histogram_parts.insert(h.name + suffix);
  }
  for (const auto& [key, value] : all.all_time) {
    if (histogram_parts.count(key.first) > 0) continue;
    const Indicator* i = FindIndicator(key.first);
    if (i == nullptr) continue;
    prometheus::ClientMetric m = Metric(ParseLabels(key.second));
    m.counter.value = Scaled(key.first, value);
    family(absl::StrCat("parkline_", key.first, "_total"), i->help, i->clause,
           prometheus::MetricType::Counter)
        .metric.push_back(m);
  }
  // Rates since the park began (the gRPC API gives them for any period).
  for (const Figure& f : PeriodRates(all.all_time)) {
    const Indicator* i = FindIndicator(f.indicator);
    prometheus::ClientMetric m = Metric(f.labels);
    m.gauge.value = Scaled(f.indicator, f.scaled);
    family("parkline_" + f.indicator, i->help + " Since the park began.", i->clause,
           prometheus::MetricType::Gauge)
        .metric.push_back(m);
  }
  // Histograms: stored per bucket, exposed cumulative.
  for (const Histogram& h : Histograms()) {
    std::map<std::string, prometheus::ClientMetric> series;  // labels without le -> metric
    std::map<std::string, std::map<std::string, int64_t>> buckets;
    for (const auto& [key, value] : all.all_time) {
      if (key.first != h.name + "_bucket" && key.first != h.name + "_sum" &&
          key.first != h.name + "_count") {
        continue;
      }
      Labels labels = ParseLabels(key.second);
      std::string le = labels.count("le") > 0 ? labels["le"] : "";
      labels.erase("le");
      std::string id = LabelsText(labels);
      auto [it, fresh] = series.try_emplace(id, Metric(labels));
      if (key.first == h.name + "_sum")
        it->second.histogram.sample_sum = static_cast<double>(value);
      if (key.first == h.name + "_count") it->second.histogram.sample_count = value;
      if (key.first == h.name + "_bucket") buckets[id][le] += value;
    }
    if (series.empty()) continue;
    prometheus::MetricFamily& f =
        family("parkline_" + h.name, h.help, h.clause, prometheus::MetricType::Histogram);
    for (auto& [id, metric] : series) {
      uint64_t cumulative = 0;
      for (long long bound : h.bounds) {
        cumulative += buckets[id][std::to_string(bound)];
        metric.histogram.bucket.push_back({cumulative, static_cast<double>(bound)});
      }
      cumulative += buckets[id]["+Inf"];
      metric.histogram.bucket.push_back({cumulative, std::numeric_limits<double>::infinity()});
      f.metric.push_back(metric);
    }
  }
  // The closing of park days: an alert watches the last one's end, an auditor the revisions of
  // days already reported upward.
  prometheus::ClientMetric closed;
  closed.counter.value = static_cast<double>(all.days_closed);
  family("parkline_statistics_days_closed_total",
         "Park days closed and published on parkline.statistics.v1 (DayClosed), database-wide.",
         "5.5.4", prometheus::MetricType::Counter)
      .metric.push_back(closed);
  prometheus::ClientMetric revised;
  revised.counter.value = static_cast<double>(all.day_revisions);
  family("parkline_statistics_day_revisions_total",
         "DayClosed published again because a late event changed a closed day's values or "
         "totals, database-wide.",
         "5.5.4", prometheus::MetricType::Counter)
      .metric.push_back(revised);
  if (all.last_closed_day_end) {
    prometheus::ClientMetric end;
    end.gauge.value = static_cast<double>(absl::ToUnixSeconds(*all.last_closed_day_end));
    family("parkline_statistics_last_closed_day_end_timestamp_seconds",
           "When the last closed park day ended (its midnight in the park's time zone), as Unix "
           "seconds.",
           "5.5.4", prometheus::MetricType::Gauge)
        .metric.push_back(end);
  }
  std::vector<prometheus::MetricFamily> out;
  for (auto& [name, f] : families) out.push_back(std::move(f));
  return out;
}

std::vector<prometheus::MetricFamily> IndicatorMetrics::Collect() const {
  auto all = desk_.ForMetrics();
  if (!all.ok()) {
    log::Warn("indicators not readable for /metrics",
              {{"error", std::string(all.status().message())}});
    return {};
  }
  return ToMetricFamilies(*all);
}

}  // namespace parkline::statistics
