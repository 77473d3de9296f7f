// Sample clearance data for tests and the demo park: a matched declaration as the declarations
// service publishes it, and the completion an agent adds to a draft inventory (HS codes, legal
// quantities, the buyer, names, weights). Not used by the service itself.
#ifndef PARKLINE_CLEARANCE_SAMPLE_CASES_H_
#define PARKLINE_CLEARANCE_SAMPLE_CASES_H_

#include <string>

#include "parkline/clearance/v1/clearance.pb.h"
#include "parkline/declarations/v1/declarations.pb.h"

namespace parkline::clearance {

struct SampleCodes {
  std::string platform = "3301960001";
  std::string enterprise = "3301960002";
  std::string logistics = "3301960004";
};

// Declaration `n`: order ORD-<n>, two goods lines worth 180.00 CNY, estimated tax 16.38 (import).
parkline::declarations::v1::Declaration SampleDeclaration(
    parkline::declarations::v1::Direction direction, const std::string& business_mode, int n,
    const SampleCodes& codes = {});

// `draft` with every field the XSD requires filled in (the fields it already has are kept).
v1::Inventory CompleteDraft(v1::Inventory draft, parkline::declarations::v1::Direction direction,
                            int n);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_SAMPLE_CASES_H_
