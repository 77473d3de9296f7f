#include "ceb/ceb_reader.h"

#include <libxml/tree.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "ceb/dxp_envelope.h"
#include "ceb/safe_xml.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace parkline::ceb {
namespace {

using ::google::protobuf::EnumValueDescriptor;
using ::google::protobuf::FieldDescriptor;
using internal::FindChild;
using internal::IsElement;
using internal::TrimmedText;
using internal::View;
using ::parkline::declarations::v1::CebMessage;
using ::parkline::declarations::v1::Direction;
using ::parkline::declarations::v1::Order;

using internal::kCebNamespace;
using internal::kDxpNamespace;

// One XML element read into one proto field. Only the elements listed here are read, so a sender
// cannot set the park's own fields (vat_rate, business_mode ...) by adding elements of that name.
// The lists are the XSD's (ceb-import.xsd, ceb-export.xsd); the proto field is the element's name
// in snake_case except where the two columns say otherwise.
struct FieldSource {
  const char* element;  // local name, in the CEB namespace
  const char* field;    // field name in the proto message
};

constexpr FieldSource kImportOrderHead[] = {
    {"guid", "guid"},
    {"appType", "app_type"},
    {"appTime", "app_time"},
    {"appStatus", "app_status"},
    {"orderType", "order_type"},
    {"orderNo", "order_no"},
    {"ebpCode", "ebp_code"},
    {"ebpName", "ebp_name"},
    {"ebcCode", "ebc_code"},
    {"ebcName", "ebc_name"},
    {"goodsValue", "goods_value"},
    {"freight", "freight"},
    {"discount", "discount"},
    {"taxTotal", "tax_total"},
    {"acturalPaid", "actural_paid"},
    {"currency", "currency"},
    {"buyerRegNo", "buyer_reg_no"},
    {"buyerName", "buyer_name"},
    {"buyerTelephone", "buyer_telephone"},
    {"buyerIdType", "buyer_id_type"},
    {"buyerIdNumber", "buyer_id_number"},
    {"payCode", "pay_code"},
    {"payName", "pay_name"},
    {"payTransactionId", "pay_transaction_id"},
    {"batchNumbers", "batch_numbers"},
    {"consignee", "consignee"},
    {"consigneeTelephone", "consignee_telephone"},
    {"consigneeAddress", "consignee_address"},
    {"consigneeDistrict", "consignee_district"},
    {"note", "note"},
};

constexpr FieldSource kImportOrderList[] = {
    {"gnum", "gnum"},
    {"itemNo", "item_no"},
    {"itemName", "item_name"},
    {"gmodel", "gmodel"},
    {"itemDescribe", "item_describe"},
    {"barCode", "bar_code"},
    {"unit", "unit"},
    {"qty", "qty"},
    {"price", "price"},
    {"totalPrice", "total_price"},
    {"currency", "currency"},
    {"country", "country"},
    {"note", "note"},
};

constexpr FieldSource kExportOrderHead[] = {
    {"guid", "guid"},
    {"appType", "app_type"},
    {"appTime", "app_time"},
    {"appStatus", "app_status"},
    {"orderType", "order_type"},
    {"orderNo", "order_no"},
    {"ebpCode", "ebp_code"},
    {"ebpName", "ebp_name"},
    {"ebcCode", "ebc_code"},
    {"ebcName", "ebc_name"},
    {"goodsValue", "goods_value"},
    {"freight", "freight"},
    {"currency", "currency"},
    {"note", "note"},
};

constexpr FieldSource kExportOrderList[] = {
    {"gnum", "gnum"},          {"itemNo", "item_no"},
    {"itemName", "item_name"}, {"itemDescribe", "item_describe"},
    {"barCode", "bar_code"},   {"unit", "unit"},
    {"currency", "currency"},  {"qty", "qty"},
    {"price", "price"},        {"totalPrice", "total_price"},
    {"note", "note"},
};

constexpr FieldSource kPaymentHead[] = {
    {"guid", "guid"},
    {"appType", "app_type"},
    {"appTime", "app_time"},
    {"appStatus", "app_status"},
    {"payCode", "pay_code"},
    {"payName", "pay_name"},
    {"payTransactionId", "pay_transaction_id"},
    {"orderNo", "order_no"},
    {"ebpCode", "ebp_code"},
    {"ebpName", "ebp_name"},
    {"payerIdType", "payer_id_type"},
    {"payerIdNumber", "payer_id_number"},
    {"payerName", "payer_name"},
    {"telephone", "telephone"},
    {"amountPaid", "amount_paid"},
    {"currency", "currency"},
    {"payTime", "pay_time"},
    {"note", "note"},
};

constexpr FieldSource kReceipts[] = {
    {"guid", "guid"},
    {"appType", "app_type"},
    {"appTime", "app_time"},
    {"appStatus", "app_status"},
    {"ebpCode", "ebp_code"},
    {"ebpName", "ebp_name"},
    {"ebcCode", "ebc_code"},
    {"ebcName", "ebc_name"},
    {"orderNo", "order_no"},
    {"payCode", "pay_code"},
    {"payName", "pay_name"},
    {"payNo", "pay_no"},
    {"charge", "charge"},
    {"currency", "currency"},
    {"accountingDate", "accounting_date"},
    {"note", "note"},
};

constexpr FieldSource kImportLogisticsHead[] = {
    {"guid", "guid"},
    {"appType", "app_type"},
    {"appTime", "app_time"},
    {"appStatus", "app_status"},
    {"logisticsCode", "logistics_code"},
    {"logisticsName", "logistics_name"},
    {"logisticsNo", "logistics_no"},
    {"billNo", "bill_no"},
    {"orderNo", "order_no"},
    {"freight", "freight"},
    {"insuredFee", "insured_fee"},
    {"currency", "currency"},
    {"weight", "weight"},
    {"packNo", "pack_no"},
    {"goodsInfo", "goods_info"},
    {"consignee", "consignee"},
    {"consigneeAddress", "consignee_address"},
    {"consigneeTelephone", "consignee_telephone"},
    {"note", "note"},
};

constexpr FieldSource kExportLogistics[] = {
    {"guid", "guid"},
    {"appType", "app_type"},
    {"appTime", "app_time"},
    {"appStatus", "app_status"},
    {"logisticsCode", "logistics_code"},
    {"logisticsName", "logistics_name"},
    {"logisticsNo", "logistics_no"},
    {"freight", "freight"},
    {"insuredFee", "insured_fee"},
    {"currency", "currency"},
    {"grossWeight", "weight"},  // Waybill.weight: the import weight, the export gross weight
    {"packNo", "pack_no"},
    {"goodsInfo", "goods_info"},
    {"ebcCode", "ebc_code"},
    {"ebcName", "ebc_name"},
    {"ebcTelephone", "ebc_telephone"},
    {"note", "note"},
};

constexpr FieldSource kBaseTransfer[] = {
    {"copCode", "cop_code"}, {"copName", "cop_name"}, {"dxpMode", "dxp_mode"},
    {"dxpId", "dxp_id"},     {"note", "note"},
};

bool IsCeb(const xmlNode* node, absl::string_view local_name) {
  return IsElement(node, kCebNamespace, local_name);
}

// Values echoed in error messages are cut short: the input is untrusted and may be huge.
std::string Quoted(absl::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return absl::StrCat("'", text, "'");
  return absl::StrCat("'", text.substr(0, kMax), "...'");
}

absl::Status FieldError(const xmlNode* element, absl::string_view where, absl::string_view rule) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, " ", View(element->name), " (line ", xmlGetLineNo(element), "): ", rule));
}

// Sets one field from the text of `element`. Strings keep the text as it is; an empty integer or
// enum reads as absent, so that the business rules report it as missing.
absl::Status SetField(const xmlNode* element, const FieldSource& source,
                      google::protobuf::Message& out, absl::string_view where) {
  const FieldDescriptor* field = out.GetDescriptor()->FindFieldByName(source.field);
  if (field == nullptr) {
    return absl::InternalError(
        absl::StrCat("ceb_reader: ", out.GetDescriptor()->full_name(), " has no ", source.field));
  }
  std::string text = TrimmedText(element);
  const google::protobuf::Reflection* reflection = out.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(&out, field, std::move(text));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      if (text.empty()) return absl::OkStatus();
      int32_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) {
        return FieldError(element, where, absl::StrCat(Quoted(text), " is not a whole number"));
      }
      reflection->SetInt32(&out, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      if (text.empty()) return absl::OkStatus();
      int number = 0;
      const EnumValueDescriptor* value = nullptr;
      // 0 is proto3's "unspecified", never a value a sender may choose.
      if (absl::SimpleAtoi(text, &number) && number != 0) {
        value = field->enum_type()->FindValueByNumber(number);
      }
      if (value == nullptr) {
        std::string allowed;
        for (int i = 0; i < field->enum_type()->value_count(); ++i) {
          int n = field->enum_type()->value(i)->number();
          if (n != 0) absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", n);
        }
        return FieldError(element, where, absl::StrCat(Quoted(text), " is not one of ", allowed));
      }
      reflection->SetEnum(&out, field, value);
      return absl::OkStatus();
    }
    default:
      return absl::InternalError(absl::StrCat("ceb_reader: ", field->full_name(),
                                              " is not a string, int32 or enum field"));
  }
}

// Copies the listed child elements of `parent` into `out`, in whatever order they come. An
// element that appears twice counts once: the first. `where` locates `parent` in error messages
// ("CEB311 Order 2 OrderHead").
absl::Status ReadFields(const xmlNode* parent, absl::Span<const FieldSource> sources,
                        google::protobuf::Message& out, absl::string_view where) {
  std::vector<bool> seen(sources.size(), false);
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (child->type != XML_ELEMENT_NODE || child->ns == nullptr ||
        View(child->ns->href) != kCebNamespace) {
      continue;
    }
    for (size_t i = 0; i < sources.size(); ++i) {
      if (View(child->name) != sources[i].element) continue;
      if (!seen[i]) {
        seen[i] = true;
        absl::Status status = SetField(child, sources[i], out, where);
        if (!status.ok()) return status;
      }
      break;
    }
  }
  return absl::OkStatus();
}

// CEB311 / CEB303: <Order> holds one <OrderHead> and its <OrderList> goods lines.
// INVALID_ARGUMENT when `element`, the `count`th document of its message, is beyond the cap.
absl::Status CheckDocumentCount(const xmlNode* element, int count, const CebMessage& message,
                                int max_documents) {
  if (count <= max_documents) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("xml: the ", message.message_type(), " message carries more than ",
                   max_documents, " documents (", View(element->name), " ", count, " at line ",
                   xmlGetLineNo(element), "); at most ", max_documents,
                   " a message (max_message_documents): send them in smaller "
                   "messages"));
}

absl::Status ReadOrders(const xmlNode* root, Direction direction,
                        absl::Span<const FieldSource> head_fields,
                        absl::Span<const FieldSource> goods_fields, int max_documents,
                        CebMessage& message) {
  int order_count = 0;
  for (const xmlNode* node = root->children; node != nullptr; node = node->next) {
    if (!IsCeb(node, "Order")) continue;
    if (auto s = CheckDocumentCount(node, ++order_count, message, max_documents); !s.ok()) return s;
    std::string where = absl::StrCat(message.message_type(), " Order ", order_count);
    Order& order = *message.add_orders();
    order.set_direction(direction);
    bool head_read = false;
    int line_count = 0;
    for (const xmlNode* part = node->children; part != nullptr; part = part->next) {
      absl::Status status;
      if (IsCeb(part, "OrderHead") && !head_read) {
        head_read = true;
        status = ReadFields(part, head_fields, order, absl::StrCat(where, " OrderHead"));
      } else if (IsCeb(part, "OrderList")) {
        status = ReadFields(part, goods_fields, *order.add_goods(),
                            absl::StrCat(where, " OrderList ", ++line_count));
      }
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

// Documents that are either the element `document` itself (CEB403 Receipts, CEB505 Logistics) or
// its child `head` (CEB411 Payment/PaymentHead, CEB511 Logistics/LogisticsHead). `add` appends an
// empty document to the message and returns it.
template <typename AddDocument>
absl::Status ReadDocuments(const xmlNode* root, absl::string_view document, const char* head,
                           absl::Span<const FieldSource> fields, int max_documents,
                           const CebMessage& message, AddDocument add) {
  int count = 0;
  for (const xmlNode* node = root->children; node != nullptr; node = node->next) {
    if (!IsCeb(node, document)) continue;
    if (auto s = CheckDocumentCount(node, ++count, message, max_documents); !s.ok()) return s;
    std::string where = absl::StrCat(message.message_type(), " ", document, " ", count);
    google::protobuf::Message& out = add();
    const xmlNode* source = node;
    if (head != nullptr) {
      source = FindChild(node, kCebNamespace, head);
      absl::StrAppend(&where, " ", head);
    }
    if (source == nullptr) continue;  // an empty document; the business rules say what is missing
    absl::Status status = ReadFields(source, fields, out, where);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ReadBusinessDocuments(const xmlNode* root, int max, CebMessage& message) {
  using ::parkline::declarations::v1::DIRECTION_EXPORT;
  using ::parkline::declarations::v1::DIRECTION_IMPORT;
  const std::string& type = message.message_type();
  if (type == "CEB311") {
    return ReadOrders(root, DIRECTION_IMPORT, kImportOrderHead, kImportOrderList, max, message);
  }
  if (type == "CEB303") {
    return ReadOrders(root, DIRECTION_EXPORT, kExportOrderHead, kExportOrderList, max, message);
  }
  if (type == "CEB411") {
    return ReadDocuments(root, "Payment", "PaymentHead", kPaymentHead, max, message,
                         [&]() -> google::protobuf::Message& { return *message.add_payments(); });
  }
  if (type == "CEB403") {
    return ReadDocuments(root, "Receipts", nullptr, kReceipts, max, message,
                         [&]() -> google::protobuf::Message& { return *message.add_receipts(); });
  }
  if (type == "CEB511" || type == "CEB505") {
    bool import = type == "CEB511";
    return ReadDocuments(
        root, "Logistics", import ? "LogisticsHead" : nullptr,
        import ? absl::MakeConstSpan(kImportLogisticsHead) : absl::MakeConstSpan(kExportLogistics),
        max, message, [&]() -> google::protobuf::Message& {
          auto& waybill = *message.add_waybills();
          waybill.set_direction(import ? DIRECTION_IMPORT : DIRECTION_EXPORT);
          return waybill;
        });
  }
  return absl::OkStatus();  // a message the park does not read into documents
}

// "CEB311" for a <CEB311Message> root in the CEB namespace. Also accepts a bare <CEB214>, the
// root name of one official export sample.
std::optional<std::string> CebMessageType(const xmlNode* root) {
  if (root->ns == nullptr || View(root->ns->href) != kCebNamespace) return std::nullopt;
  absl::string_view name = View(root->name);
  absl::ConsumeSuffix(&name, "Message");
  if (name.size() != 6 || !absl::StartsWith(name, "CEB") ||
      !std::all_of(name.begin() + 3, name.end(), absl::ascii_isdigit)) {
    return std::nullopt;
  }
  return std::string(name);
}

// Reads the CEB message whose root element is `root`. `what` names the document in errors;
// `expected` says what its root may be.
absl::StatusOr<CebMessage> ReadMessage(const xmlNode* root, absl::string_view what,
                                       absl::string_view expected, int max_documents) {
  std::optional<std::string> type = CebMessageType(root);
  if (!type.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not a CEB message: the root element is ",
                     internal::DescribeElement(root), "; expected ", expected));
  }
  CebMessage message;
  message.set_message_type(*type);
  message.set_guid(internal::Attribute(root, "guid"));
  message.set_version(internal::Attribute(root, "version"));
  if (const xmlNode* transfer = FindChild(root, kCebNamespace, "BaseTransfer")) {
    absl::Status status = ReadFields(transfer, kBaseTransfer, *message.mutable_base_transfer(),
                                     absl::StrCat(*type, " BaseTransfer"));
    if (!status.ok()) return status;
  }
  absl::Status status = ReadBusinessDocuments(root, max_documents, message);
  if (!status.ok()) return status;
  return message;
}

}  // namespace

absl::StatusOr<CebMessage> ReadCebMessage(absl::string_view xml, const CebReadOptions& options) {
  absl::StatusOr<internal::CebDocument> doc =
      internal::OpenCebDocument(xml, "the input", kMaxCebMessageBytes);
  if (!doc.ok()) return doc.status();
  if (doc->from_envelope) {
    return ReadMessage(doc->root(), internal::kDxpData,
                       absl::StrCat("<CEBnnnMessage> in namespace ", kCebNamespace),
                       options.max_documents);
  }
  return ReadMessage(doc->root(), "the input",
                     absl::StrCat("<CEBnnnMessage> in namespace ", kCebNamespace,
                                  ", or a DxpMsg envelope in namespace ", kDxpNamespace),
                     options.max_documents);
}

namespace {

// `m`'s fields as the elements `sources` name them, text escaped; empty fields left out.
std::string Elements(const google::protobuf::Message& m, absl::Span<const FieldSource> sources) {
  const google::protobuf::Reflection* reflection = m.GetReflection();
  std::string xml;
  for (const FieldSource& source : sources) {
    const FieldDescriptor* field = m.GetDescriptor()->FindFieldByName(source.field);
    std::string value;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_ENUM:
        if (int n = reflection->GetEnumValue(m, field); n != 0) value = absl::StrCat(n);
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        value = absl::StrCat(reflection->GetInt32(m, field));
        break;
      default:
        value = reflection->GetString(m, field);
    }
    if (value.empty()) continue;
    std::string text;
    for (char c : value) {
      if (c == '&')
        text += "&amp;";
      else if (c == '<')
        text += "&lt;";
      else if (c == '>')
        text += "&gt;";
      else
        text += c;
    }
    absl::StrAppend(&xml, "<ceb:", source.element, ">", text, "</ceb:", source.element, ">");
  }
  return xml;
}

}  // namespace

std::string WriteCeb311(absl::Span<const parkline::declarations::v1::Order> orders,
                        absl::string_view guid) {
  std::string xml = absl::StrCat(R"(<ceb:CEB311Message guid=")", guid,
                                 R"(" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">)");
  for (const auto& o : orders) {
    absl::StrAppend(&xml, "<ceb:Order><ceb:OrderHead>", Elements(o, kImportOrderHead),
                    "</ceb:OrderHead>");
    for (const auto& g : o.goods()) {
      absl::StrAppend(&xml, "<ceb:OrderList>", Elements(g, kImportOrderList), "</ceb:OrderList>");
    }
    xml += "</ceb:Order>";
  }
  return xml + "</ceb:CEB311Message>";
}

}  // namespace parkline::ceb
