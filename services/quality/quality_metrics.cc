#include "quality/quality_metrics.h"

#include "prometheus/counter.h"
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

}  // namespace

void CountPublication(const std::string& kind, const std::string& visibility) {
  Published().Add({{"kind", kind}, {"visibility", visibility}}).Increment();
}

}  // namespace parkline::quality
