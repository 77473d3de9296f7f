// The registry's side of an import document set, for end-to-end tests: the four enterprises a
// set names (platform, e-commerce enterprise, payment, logistics), admitted so that the other
// services learn from the registry's events that they reside in the park.
#ifndef PARKLINE_TESTS_SUPPORT_IMPORT_PARTIES_H_
#define PARKLINE_TESTS_SUPPORT_IMPORT_PARTIES_H_

#include "absl/status/status.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "samples/import_sets.h"
#include "tests/support/service_process.h"

namespace parkline::testing {

// Admits the four parties of `codes` (each with a random USCC) into the running registry; the
// first refusal, or OK.
absl::Status AdmitImportParties(ServiceUnderTest<enterprises::v1::EnterpriseService>& registry,
                                const samples::ImportCodes& codes);

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_IMPORT_PARTIES_H_
