#include "declarations/document_intake.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "declarations/declaration_matcher.h"
#include "declarations/document_outcome.h"
#include "errors/violations.h"
#include "parkline/declarations/v1/events.pb.h"

namespace parkline::declarations {
namespace {

// The orders a document belongs to: its own for an order, payment or receipt; for a waybill,
// every live order carrying its order number.
absl::StatusOr<OrderIds> OrdersOf(DeclarationRepository& repo,
                                  const DeclarationDesk::Incoming& in) {
  if (in.kind != v1::DOCUMENT_KIND_WAYBILL) return OrderIds{{in.ebp_code, in.order_no}};
  auto orders = repo.LiveDocumentsFor(v1::DOCUMENT_KIND_ORDER, in.order_no);
  if (!orders.ok()) return orders.status();
  OrderIds out;
  for (const std::string& payload : *orders) {
    v1::Order o;
    if (o.ParseFromString(payload)) out.push_back({o.ebp_code(), o.order_no()});
  }
  return out;
}

// What storing and matching `in` will read, to be read at once: the document itself and, for
// an order, payment or receipt (which share their key), the other two, the declaration and the
// order's live waybills; for a waybill, the live orders carrying its order number.
DeclarationRepository::ReadAhead ReadsOf(const DeclarationDesk::Incoming& in) {
  DeclarationRepository::ReadAhead reads;
  reads.doc_key = in.doc_key;
  reads.order_no = in.order_no;
  if (in.kind == v1::DOCUMENT_KIND_WAYBILL) {
    reads.kinds = {v1::DOCUMENT_KIND_WAYBILL};
    reads.live_kind = v1::DOCUMENT_KIND_ORDER;
  } else {
    reads.kinds = {v1::DOCUMENT_KIND_ORDER, v1::DOCUMENT_KIND_PAYMENT, v1::DOCUMENT_KIND_RECEIPT};
    reads.order_key = in.doc_key;
    reads.live_kind = v1::DOCUMENT_KIND_WAYBILL;
  }
  return reads;
}

}  // namespace

absl::Status CheckResidents(DeclarationRepository& repo,
                            const std::vector<DeclarationDesk::Incoming>& documents) {
  // CEB403/303 allow "无" for a platform abroad.
  auto checked = [](const std::string& code) { return !code.empty() && code != "无"; };
  std::set<std::string> codes;
  for (const DeclarationDesk::Incoming& in : documents) {
    for (const auto& [field, code] : in.codes) {
      if (checked(code)) codes.insert(code);
    }
  }
  DeclarationRepository::ReadAhead ahead;
  if (documents.size() == 1) ahead = ReadsOf(documents.front());
  ahead.resident_codes = codes;
  if (auto s = repo.Prefetch(ahead); !s.ok()) return s;
  auto resident = repo.ResidentAmong(codes);
  if (!resident.ok()) return resident.status();
  errors::Violations residents;
  for (const DeclarationDesk::Incoming& in : documents) {
    for (const auto& [field, code] : in.codes) {
      if (checked(code) && resident->count(code) == 0) {
        residents.Add(field, "NOT_RESIDENT",
                      absl::StrCat("enterprise ", code, " is not resident in the park"));
      }
    }
  }
  return residents.empty() ? absl::OkStatus() : residents.ToStatus();
}

absl::StatusOr<v1::DocumentReceipt> Intake::Take(const DeclarationDesk::Incoming& in) {
  if (auto s = repo_.Prefetch(ReadsOf(in)); !s.ok()) return s;
  auto existing = repo_.FindDocument(in.kind, in.doc_key);
  if (!existing.ok()) return existing.status();
  auto orders = OrdersOf(repo_, in);
  if (!orders.ok()) return orders.status();
  auto matched = AnyMatched(*orders);
  if (!matched.ok()) return matched.status();
  auto outcome = DocumentOutcomeOf({in.kind, in.doc_key, in.field, in.app_type, in.payload},
                                   *existing, *matched);
  if (!outcome.ok()) return outcome.status();
  if (*outcome != v1::DOCUMENT_OUTCOME_DUPLICATE) {
    bool withdraw = *outcome == v1::DOCUMENT_OUTCOME_WITHDRAWN;
    if (auto s = Write(in, withdraw ? (*existing)->payload : in.payload, *orders, withdraw);
        !s.ok()) {
      return s;
    }
  }
  return ReceiptFor(in, *outcome);
}

absl::StatusOr<bool> Intake::AnyMatched(const OrderIds& orders) {
  bool matched = false;
  for (const auto& [ebp, order_no] : orders) {
    auto d = repo_.FindDeclaration(OrderKey(ebp, order_no));
    if (!d.ok()) return d.status();
    if (*d && (*d)->status() == v1::DECLARATION_STATUS_MATCHED) matched = true;
  }
  return matched;
}

absl::Status Intake::Write(const DeclarationDesk::Incoming& in, const std::string& payload,
                           const OrderIds& orders, bool withdraw) {
  if (auto s = repo_.SaveDocument(in.kind, in.doc_key, in.order_no, in.guid, payload, withdraw);
      !s.ok()) {
    return s;
  }
  if (!withdraw) {
    v1::DocumentReceived received;
    received.set_kind(in.kind);
    received.set_order_key(orders.empty() ? absl::StrCat("/", in.order_no)
                                          : OrderKey(orders.front().first, in.order_no));
    received.set_direction(in.direction);
    received.set_business_mode(in.business_mode);
    received.set_enterprise_code(in.sender);
    received.set_guid(in.guid);
    received.set_logistics_no(in.logistics_no);
    published_ = true;
    if (auto s = Publish(tx_, received.order_key(), received); !s.ok()) return s;
  }
  // Withdrawing an order ends its declaration and gives the buyer's quota back.
  if (withdraw && in.kind == v1::DOCUMENT_KIND_ORDER) return file_.Withdraw(in.doc_key, published_);
  // The order set may have become complete (or changed): match it again.
  auto now_orders = OrdersOf(repo_, in);
  if (!now_orders.ok()) return now_orders.status();
  for (const auto& [ebp, order_no] : *now_orders) {
    if (auto s = file_.Rematch(ebp, order_no, published_); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::DocumentReceipt> Intake::ReceiptFor(const DeclarationDesk::Incoming& in,
                                                       v1::DocumentOutcome outcome) {
  v1::DocumentReceipt receipt;
  receipt.set_kind(in.kind);
  receipt.set_guid(in.guid);
  receipt.set_outcome(outcome);
  auto orders = OrdersOf(repo_, in);
  if (!orders.ok()) return orders.status();
  std::string key =
      orders->empty()
          ? (in.kind == v1::DOCUMENT_KIND_WAYBILL ? absl::StrCat("/", in.order_no) : in.doc_key)
          : OrderKey(orders->front().first, in.order_no);
  receipt.set_order_key(key);
  auto d = repo_.FindDeclaration(key);
  if (!d.ok()) return d.status();
  receipt.set_declaration_status(*d ? (*d)->status() : v1::DECLARATION_STATUS_WAITING);
  return receipt;
}

}  // namespace parkline::declarations
