#include "support/support_metrics.h"

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "prometheus/counter.h"
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

}  // namespace

void CountRegistration(v1::ActivityKind kind, const char* outcome) {
  Registrations().Add({{"kind", KindLabel(kind)}, {"outcome", outcome}}).Increment();
}

void CountAttendance(v1::ActivityKind kind, int attended) {
  Attendees().Add({{"kind", KindLabel(kind)}}).Increment(attended);
}

}  // namespace parkline::support
