#include "declarations/declaration_metrics.h"

#include <array>
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
  // Every document passes here: the counters are looked up once, not per document (a label
  // lookup takes the family's lock and hashes the labels). Every pair shows from the start, at 0.
  using Counters = std::array<std::array<prometheus::Counter*, v1::DocumentOutcome_ARRAYSIZE>,
                              v1::DocumentKind_ARRAYSIZE>;
  static const Counters* counters = [] {
    auto& family = prometheus::BuildCounter()
                       .Name("parkline_declarations_documents_total")
                       .Help(
                           "Documents received, by kind and outcome (accepted, duplicate: "
                           "nothing changed, changed, withdrawn).")
                       .Register(runtime::Metrics());
    auto* c = new Counters{};
    for (int k = 1; k < v1::DocumentKind_ARRAYSIZE; ++k) {
      for (int o = 1; o < v1::DocumentOutcome_ARRAYSIZE; ++o) {
        (*c)[k][o] =
            &family.Add({{"kind", Label(v1::DocumentKind_Name(k), "DOCUMENT_KIND_")},
                         {"outcome", Label(v1::DocumentOutcome_Name(o), "DOCUMENT_OUTCOME_")}});
      }
    }
    return c;
  }();
  for (const v1::DocumentReceipt& r : receipts) {
    if (r.kind() <= 0 || r.kind() >= v1::DocumentKind_ARRAYSIZE || r.outcome() <= 0 ||
        r.outcome() >= v1::DocumentOutcome_ARRAYSIZE) {
      continue;  // not a receipt the desk gives
    }
    (*counters)[r.kind()][r.outcome()]->Increment();
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
