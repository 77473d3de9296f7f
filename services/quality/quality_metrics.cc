#include "quality/quality_metrics.h"

#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "runtime/metrics.h"

namespace parkline::quality {
namespace {

prometheus::Family<prometheus::Counter>& Published() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_quality_document_publications_total")
                       .Help(
                           "Register document versions published (GB/T 39678-2020 5.1.2, 5.1.3, "
                           "5.6; 8.1.1), by kind and visibility.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Family<prometheus::Counter>& Withdrawn() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_quality_document_withdrawals_total")
                       .Help(
                           "Register documents withdrawn (no longer in force; GB/T 39678-2020 "
                           "5.1.3; 8.1.1), by kind.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Family<prometheus::Counter>& Inspections() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_quality_inspection_filings_total")
                       .Help("Inspections recorded (GB/T 39678-2020 7.1.1, 7.1.4), by kind.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Family<prometheus::Counter>& Escalations() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_quality_action_escalations_total")
                       .Help(
                           "Corrective actions whose deadline passed while open (supervision, "
                           "7.1.4), by owner department.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Gauge& Overdue() {
  static auto& g = prometheus::BuildGauge()
                       .Name("parkline_quality_actions_overdue")
                       .Help(
                           "Corrective actions overdue and not closed (7.1.4), as the last "
                           "supervision pass counted them in the database.")
                       .Register(runtime::Metrics())
                       .Add({});
  return g;
}

prometheus::Counter& SchemesPublished() {
  static auto& c = prometheus::BuildCounter()
                       .Name("parkline_quality_assessment_schemes_published_total")
                       .Help("Assessment scheme versions published (GB/T 39678-2020 7.2.1).")
                       .Register(runtime::Metrics())
                       .Add({});
  return c;
}

prometheus::Gauge& AssessmentTotal() {
  static auto& g = prometheus::BuildGauge()
                       .Name("parkline_quality_assessment_total")
                       .Help(
                           "The total 0..100 of the latest final assessment result (GB/T "
                           "39678-2020 7.2.3; the park's service score).")
                       .Register(runtime::Metrics())
                       .Add({});
  return g;
}

prometheus::Family<prometheus::Counter>& Trainings() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_quality_training_records_total")
                       .Help(
                           "Training sessions recorded (GB/T 39678-2020 5.6.1.1 fire-safety "
                           "education, 5.6.3 emergency drills, staff training), by kind.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Family<prometheus::Counter>& Attendees() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_quality_training_record_attendees_total")
                       .Help(
                           "Attendees of the training sessions recorded (5.6.1.1, 5.6.3), by "
                           "kind.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Gauge& Expiring() {
  static auto& g = prometheus::BuildGauge()
                       .Name("parkline_quality_certifications_expiring")
                       .Help(
                           "Current staff certifications expired or expiring within 30 days "
                           "(5.6.1.1; 8.x archives), as the last count in the database found.")
                       .Register(runtime::Metrics())
                       .Add({});
  return g;
}

}  // namespace

void CountSchemePublished() { SchemesPublished().Increment(); }

void SetAssessmentTotal(double total) { AssessmentTotal().Set(total); }

void CountTraining(const std::string& kind, int64_t attendees) {
  Trainings().Add({{"kind", kind}}).Increment();
  Attendees().Add({{"kind", kind}}).Increment(static_cast<double>(attendees));
}

void SetExpiringCertifications(int64_t count) { Expiring().Set(static_cast<double>(count)); }

void CountInspection(const std::string& kind) { Inspections().Add({{"kind", kind}}).Increment(); }

void CountOverdueAction(const std::string& department) {
  Escalations().Add({{"department", department}}).Increment();
}

void SetOverdueActions(int64_t count) { Overdue().Set(static_cast<double>(count)); }

void CountPublication(const std::string& kind, const std::string& visibility) {
  Published().Add({{"kind", kind}, {"visibility", visibility}}).Increment();
}

void CountWithdrawal(const std::string& kind) { Withdrawn().Add({{"kind", kind}}).Increment(); }

}  // namespace parkline::quality
