#include "support/support_metrics.h"

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "runtime/metrics.h"

namespace parkline::support {
namespace {

prometheus::Family<prometheus::Counter>& Registrations() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_support_registrations_total")
                       .Help(
                           "Registrations for the park's activities (GB/T 39678-2020 6.8, "
                           "6.9.2), by kind and outcome.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Family<prometheus::Counter>& Attendees() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_support_attendees_confirmed_total")
                       .Help(
                           "Attendees the park confirmed after an activity (GB/T 39678-2020 "
                           "6.8.2 training, 6.8.1, 6.9.2), by kind.")
                       .Register(runtime::Metrics());
  return f;
}

// "special_training" for ACTIVITY_KIND_SPECIAL_TRAINING.
std::string KindLabel(v1::ActivityKind kind) {
  absl::string_view name = v1::ActivityKind_Name(kind);
  name.remove_prefix(sizeof("ACTIVITY_KIND_") - 1);
  return absl::AsciiStrToLower(name);
}

prometheus::Family<prometheus::Counter>& Requests() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_support_requests_total")
                       .Help(
                           "Service requests brokered by the park (GB/T 39678-2020 6.4, 6.5.3, "
                           "6.6, 6.7), by category and outcome.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Family<prometheus::Counter>& Overdue() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_support_requests_overdue_total")
                       .Help(
                           "Service requests whose committed response time in working days "
                           "passed without an answer (supervision), by category.")
                       .Register(runtime::Metrics());
  return f;
}

prometheus::Gauge& OpenOverdue() {
  static auto& g = prometheus::BuildGauge()
                       .Name("parkline_support_requests_overdue_open")
                       .Help(
                           "Routed service requests past their committed response time and "
                           "still unanswered (set by each supervision run).")
                       .Register(runtime::Metrics())
                       .Add({});
  return g;
}

prometheus::Family<prometheus::Counter>& Incubation() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_support_incubation_total")
                       .Help(
                           "The start-up incubator's steps (GB/T 39678-2020 6.9.1): incubatees "
                           "admitted, milestones recorded, graduations and leavings, by step.")
                       .Register(runtime::Metrics());
  return f;
}

// "legal" for SERVICE_CATEGORY_LEGAL.
std::string CategoryLabel(v1::ServiceCategory category) {
  absl::string_view name = v1::ServiceCategory_Name(category);
  name.remove_prefix(sizeof("SERVICE_CATEGORY_") - 1);
  return absl::AsciiStrToLower(name);
}

}  // namespace

void CountRequest(v1::ServiceCategory category, const char* outcome) {
  Requests().Add({{"category", CategoryLabel(category)}, {"outcome", outcome}}).Increment();
}

void CountOverdue(v1::ServiceCategory category) {
  Overdue().Add({{"category", CategoryLabel(category)}}).Increment();
}

void SetOpenOverdue(int64_t open) { OpenOverdue().Set(static_cast<double>(open)); }

void CountIncubation(const char* step) { Incubation().Add({{"step", step}}).Increment(); }

void CountRegistration(v1::ActivityKind kind, const char* outcome) {
  Registrations().Add({{"kind", KindLabel(kind)}, {"outcome", outcome}}).Increment();
}

void CountAttendance(v1::ActivityKind kind, int attended) {
  Attendees().Add({{"kind", KindLabel(kind)}}).Increment(attended);
}

}  // namespace parkline::support
