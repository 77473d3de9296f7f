// Which fields of a stored document are a person's data, and the document split into what may
// be stored as it is and what must be sealed (declaration_repository.cc seals it with
// secrets/sealed_box.h and joins it back on reading):
//
//   order    buyer_reg_no, buyer_name, buyer_telephone, buyer_id_number, consignee,
//            consignee_telephone, consignee_address
//   payment  payer_id_number, payer_name, telephone
//   waybill  consignee, consignee_address, consignee_telephone
//   receipt  none (enterprises and amounts only)
//
// Not sealed, and why: buyer_id_type and payer_id_type (a code, "1" for a resident identity
// card); consignee_district (a 6-digit county code shared by hundreds of thousands of people);
// the enterprises' names, codes and telephones (ebc_telephone), which are not a person's.
//
// Both parts are serialized messages of the document's own type, so that joining them gives the
// document back byte for byte (fields serialize in number order): a resend still compares equal
// to what is stored (document_outcome.h).
//
// Pure functions; thread-safe.
#ifndef PARKLINE_DECLARATIONS_PERSONAL_FIELDS_H_
#define PARKLINE_DECLARATIONS_PERSONAL_FIELDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/declarations/v1/declarations.pb.h"

namespace parkline::declarations {

namespace v1 = ::parkline::declarations::v1;

// The personal fields of a kind of document, by field name (empty for a receipt).
const std::vector<std::string>& PersonalFieldsOf(v1::DocumentKind kind);

struct SplitDocument {
  std::string rest;      // the document with its personal fields cleared
  std::string personal;  // only its personal fields; empty when it has none
};

// `payload` (a serialized document of `kind`) split in two. DATA_LOSS when it does not parse.
absl::StatusOr<SplitDocument> SplitPersonal(v1::DocumentKind kind, absl::string_view payload);

// The document whose parts are `rest` and `personal` (empty: the personal fields stay empty, as
// after the retention pass erased them). DATA_LOSS when a part does not parse.
absl::StatusOr<std::string> JoinPersonal(v1::DocumentKind kind, absl::string_view rest,
                                         absl::string_view personal);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_PERSONAL_FIELDS_H_
