#include "declarations/declaration_metrics.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "prometheus/counter.h"
#include "runtime/metrics.h"

namespace parkline::declarations {
namespace {

// "DOCUMENT_KIND_ORDER" without "DOCUMENT_KIND_" -> "order".
std::string Label(const std::string& enum_name, absl::string_view prefix) {
  absl::string_view name = enum_name;
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

}  // namespace

void CountDocuments(const std::vector<v1::DocumentReceipt>& receipts) {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_declarations_documents_total")
                            .Help(
                                "Documents received, by kind and outcome (accepted, duplicate: "
                                "nothing changed, changed, withdrawn).")
                            .Register(runtime::Metrics());
  for (const v1::DocumentReceipt& r : receipts) {
    family
        .Add({{"kind", Label(v1::DocumentKind_Name(r.kind()), "DOCUMENT_KIND_")},
              {"outcome", Label(v1::DocumentOutcome_Name(r.outcome()), "DOCUMENT_OUTCOME_")}})
        .Increment();
  }
}

void CountExpired(int n) {
  static auto& counter = prometheus::BuildCounter()
                             .Name("parkline_declarations_documents_expired_total")
                             .Help("Documents that waited for their partners longer than allowed.")
                             .Register(runtime::Metrics())
                             .Add({});
  if (n > 0) counter.Increment(n);
}

}  // namespace parkline::declarations
