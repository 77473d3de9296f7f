#include "complaints/complaint_metrics.h"

#include "complaints/vocabulary.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "runtime/metrics.h"

namespace parkline::complaints {
namespace {

prometheus::Family<prometheus::Counter>& Filed() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_complaint_filings_total")
                       .Help("Complaints filed, by category and channel.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Family<prometheus::Counter>& Overdue() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_complaint_escalations_total")
                       .Help("Committed deadlines that passed (supervision, 督办), by kind.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Gauge& RecordBreaks() {
  static auto& g = prometheus::BuildGauge()
                       .Name("parkline_complaints_record_breaks")
                       .Help("Breaks the last verification of the whole record found (0: intact).")
                       .Register(runtime::Metrics())
                       .Add({});
  return g;
}

prometheus::Family<prometheus::Counter>& Retried() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_complaint_step_retries_total")
                       .Help(
                           "Workflow steps recognised as retries of a step already applied "
                           "(answered from the record, nothing changed), by action.")
                       .Register(runtime::Metrics());
  return f;
}

}  // namespace

void CountFiling(v1::Category category, v1::Channel channel) {
  Filed()
      .Add({{"category", CategoryName(category)}, {"channel", v1::Channel_Name(channel)}})
      .Increment();
}

void CountEscalation(v1::DeadlineKind kind) {
  Overdue().Add({{"kind", v1::DeadlineKind_Name(kind)}}).Increment();
}

void CountStepRetry(const std::string& action) { Retried().Add({{"action", action}}).Increment(); }

void SetRecordBreaks(int breaks) { RecordBreaks().Set(breaks); }

}  // namespace parkline::complaints
