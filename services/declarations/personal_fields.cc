#include "declarations/personal_fields.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::declarations {
namespace {

// A fresh message of the kind's document type; nullptr for an unknown kind.
std::unique_ptr<google::protobuf::Message> NewDocument(v1::DocumentKind kind) {
  switch (kind) {
    case v1::DOCUMENT_KIND_ORDER:
      return std::make_unique<v1::Order>();
    case v1::DOCUMENT_KIND_PAYMENT:
      return std::make_unique<v1::Payment>();
    case v1::DOCUMENT_KIND_RECEIPT:
      return std::make_unique<v1::Receipt>();
    case v1::DOCUMENT_KIND_WAYBILL:
      return std::make_unique<v1::Waybill>();
    default:
      return nullptr;
  }
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Parse(v1::DocumentKind kind,
                                                                 absl::string_view bytes) {
  auto doc = NewDocument(kind);
  if (doc == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown document kind ", kind));
  }
  if (!doc->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("a stored ", v1::DocumentKind_Name(kind), " does not parse"));
  }
  return doc;
}

}  // namespace

const std::vector<std::string>& PersonalFieldsOf(v1::DocumentKind kind) {
  static const auto* order = new std::vector<std::string>{
      "buyer_reg_no", "buyer_name",          "buyer_telephone",  "buyer_id_number",
      "consignee",    "consignee_telephone", "consignee_address"};
  static const auto* payment =
      new std::vector<std::string>{"payer_id_number", "payer_name", "telephone"};
  static const auto* waybill =
      new std::vector<std::string>{"consignee", "consignee_address", "consignee_telephone"};
  static const auto* none = new std::vector<std::string>{};
  switch (kind) {
    case v1::DOCUMENT_KIND_ORDER:
      return *order;
    case v1::DOCUMENT_KIND_PAYMENT:
      return *payment;
    case v1::DOCUMENT_KIND_WAYBILL:
      return *waybill;
    default:
      return *none;
  }
}

absl::StatusOr<SplitDocument> SplitPersonal(v1::DocumentKind kind, absl::string_view payload) {
  auto doc = Parse(kind, payload);
  if (!doc.ok()) return doc.status();
  auto personal = NewDocument(kind);
  const google::protobuf::Reflection* reflection = (*doc)->GetReflection();
  for (const std::string& name : PersonalFieldsOf(kind)) {
    const google::protobuf::FieldDescriptor* field = (*doc)->GetDescriptor()->FindFieldByName(name);
    std::string value = reflection->GetString(**doc, field);
    if (value.empty()) continue;
    reflection->SetString(personal.get(), field, std::move(value));
    reflection->ClearField(doc->get(), field);
  }
  SplitDocument out;
  out.rest = (*doc)->SerializeAsString();
  if (personal->ByteSizeLong() > 0) out.personal = personal->SerializeAsString();
  return out;
}

absl::StatusOr<std::string> JoinPersonal(v1::DocumentKind kind, absl::string_view rest,
                                         absl::string_view personal) {
  auto doc = Parse(kind, rest);
  if (!doc.ok()) return doc.status();
  if (!personal.empty()) {
    auto fields = Parse(kind, personal);
    if (!fields.ok()) return fields.status();
    (*doc)->MergeFrom(**fields);
  }
  return (*doc)->SerializeAsString();
}

}  // namespace parkline::declarations
