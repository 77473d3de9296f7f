// Valid, consistent document sets for the declarations service's tests, benchmarks and the demo
// park: an import order with its payment and waybill, numbered so that each set is distinct
// (order number, buyer, waybill number), with the enterprise codes the caller chooses.
#ifndef PARKLINE_SAMPLES_IMPORT_SETS_H_
#define PARKLINE_SAMPLES_IMPORT_SETS_H_

#include <string>

#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::samples {

struct ImportCodes {
  std::string platform = "3301960001";    // ebp_code
  std::string enterprise = "3301960002";  // ebc_code
  std::string payment = "3301960003";     // pay_code
  std::string logistics = "3301960004";   // logistics_code
};

struct ImportSet {
  declarations::v1::Order order;
  declarations::v1::Payment payment;
  declarations::v1::Waybill waybill;
};

// Set `n`: acturalPaid 190.50 (goods 180.00 + freight 10.00 + tax 5.50 - discount 5.00), a buyer
// of its own (a valid GB 11643 number derived from n), business mode 9610.
ImportSet MakeImportSet(int n, const ImportCodes& codes = {});

// A valid resident identity number derived from n.
std::string ResidentIdFor(int n);

}  // namespace parkline::samples

#endif  // PARKLINE_SAMPLES_IMPORT_SETS_H_
