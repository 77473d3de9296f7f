#include "clearance/clearance_desk.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "auth/sha256.h"
#include "clearance/case_parties.h"
#include "clearance/case_personal_data.h"
#include "clearance/case_repository.h"
#include "clearance/clearance_metrics.h"
#include "clearance/inventory_message.h"
#include "clearance/mandate_repository.h"
#include "clearance/mandate_rules.h"
#include "clearance/receipt_state_machine.h"
#include "clearance/refund_rules.h"
#include "decimal/fixed_point.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "paging/page.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "runtime/log.h"

namespace parkline::clearance {
namespace {

using google::protobuf::util::TimeUtil;

absl::TimeZone Park() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Asia/Shanghai", &tz)) tz = absl::FixedTimeZone(8 * 3600);
  return tz;
}

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// yyyyMMddHHmmssSSS in the park's time zone (customs' clock) -> microseconds since the epoch.
absl::StatusOr<int64_t> ParseReturnTime(const std::string& text, const std::string& field) {
  if (text.size() != 17 || !std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return absl::ascii_isdigit(c); })) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not yyyyMMddHHmmssSSS (17 digits)"));
  }
  // Field by field: absl's %Y would read every digit as the year.
  auto part = [&](size_t at, size_t len) {
    int v = 0;
    absl::SimpleAtoi(text.substr(at, len), &v);
    return v;
  };
  int y = part(0, 4), mo = part(4, 2), d = part(6, 2), h = part(8, 2), mi = part(10, 2),
      se = part(12, 2), millis = part(14, 3);
  absl::CivilSecond civil(y, mo, d, h, mi, se);
  if (civil.year() != y || civil.month() != mo || civil.day() != d || civil.hour() != h ||
      civil.minute() != mi || civil.second() != se) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": \"", text, "\" is not a time"));
  }
  absl::Time t = absl::FromCivil(civil, Park());
  return absl::ToUnixMicros(t) + int64_t{millis} * 1000;
}

v1::CaseFacts Facts(const v1::ClearanceCase& c) {
  v1::CaseFacts f;
  f.set_case_id(c.case_id());
  f.set_order_key(c.order_key());
  f.set_business_mode(c.business_mode());
  f.set_direction(c.direction());
  f.set_ebc_code(c.inventory().ebc_code());
  f.set_agent_code(c.inventory().agent_code());
  f.set_value_cny(c.value_cny());
  f.set_value(c.value());
  f.set_currency(c.currency());
  f.set_estimated_tax_cny(c.estimated_tax_cny());
  if (c.has_submit_time()) *f.mutable_submit_time() = c.submit_time();
  return f;
}

absl::Status Publish(store::Transaction& tx, const v1::ClearanceCase& c,
                     const google::protobuf::Message& event, absl::Time time) {
  return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, c.case_id(), event, time));
}

bool IsParty(const v1::ClearanceCase& c, const std::string& code) {
  const v1::Inventory& i = c.inventory();
  return code == i.ebp_code() || code == i.ebc_code() || code == i.agent_code() ||
         code == i.logistics_code();
}

// The sum of the lines' totalPrice, exact (N19,5). CheckInventory has named what makes it none.
absl::StatusOr<std::string> ValueOf(const v1::Inventory& inventory) {
  std::optional<int64_t> sum = GoodsValue(inventory);
  if (!sum) {
    return absl::InvalidArgumentError(
        "inventory.lines: the sum of total_price is not an amount the park can hold");
  }
  return decimal::FormatFixed(*sum, 5);
}

std::string Amount(const std::string& text) {
  auto v = decimal::ParseFixed(text, 5);
  return v.ok() ? decimal::FormatFixed(*v, 5) : text;
}

constexpr char kCny[] = "142";

// The case's goods value in the inventory's own currency; value_cny only when that is CNY, so
// that a value in dollars is never read as yuan.
void SetValue(v1::ClearanceCase& c, const std::string& value) {
  c.set_value(value);
  c.set_currency(c.inventory().currency());
  c.set_value_cny(c.currency() == kCny ? value : "");
}

// Only these pairs exist (guidance.textproto): 9710 and 9810 are export only, 1239 import only.
bool IsProcedure(const std::string& mode, dv1::Direction direction) {
  if (direction == dv1::DIRECTION_IMPORT) return mode == "9610" || mode == "1210" || mode == "1239";
  if (direction == dv1::DIRECTION_EXPORT)
    return mode == "9610" || mode == "1210" || mode == "9710" || mode == "9810";
  return false;
}

// Cases are listed by id.
paging::Key CaseKey(const v1::ClearanceCase& c) { return {c.case_id()}; }
paging::Key MandateKey(const v1::Mandate& m) { return {m.mandate_id()}; }

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

// Whether a mandate from the inventory's e-commerce enterprise to its agent is in force at `now`
// (false when it names no agent other than the enterprise: no mandate is needed then).
absl::StatusOr<bool> AgentMandateInForce(store::Transaction& tx, const v1::Inventory& inventory,
                                         absl::Time now) {
  if (inventory.agent_code().empty() || inventory.agent_code() == inventory.ebc_code()) {
    return false;
  }
  auto mandates = MandateRepository(tx).ForPair(inventory.ebc_code(), inventory.agent_code());
  if (!mandates.ok()) return mandates.status();
  return AnyMandateInForce(*mandates, inventory.ebc_code(), inventory.agent_code(), now);
}

absl::Status PublishMandate(store::Transaction& tx, const v1::Mandate& m,
                            const google::protobuf::Message& event, absl::Time time) {
  return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, m.mandate_id(), event, time));
}

// Cases sealed again, or erased, per transaction.
constexpr int kPersonalDataBatch = 200;

}  // namespace

std::string CaseIdFor(const std::string& open_key) {
  std::string h = absl::AsciiStrToUpper(auth::Sha256Hex(open_key));
  return absl::StrCat(h.substr(0, 8), "-", h.substr(8, 4), "-", h.substr(12, 4), "-",
                      h.substr(16, 4), "-", h.substr(20, 12));
}

ClearanceDesk::ClearanceDesk(store::Database& db, store::GroupCommitter& writer,
                             const MessageSigner& signer, DeskOptions options,
                             std::function<void()> events_committed, secrets::KeyRing keys)
    : db_(db),
      writer_(writer),
      signer_(signer),
      options_(std::move(options)),
      events_committed_(std::move(events_committed)),
      keys_(std::move(keys)) {}

absl::Time ClearanceDesk::Now() const { return options_.clock ? options_.clock() : absl::Now(); }

absl::StatusOr<v1::ClearanceCase> ClearanceDesk::Open(const v1::OpenCaseRequest& request,
                                                      const Viewer& viewer) {
  const v1::Inventory& inv = request.inventory();
  absl::Time now = Now();
  // The tenant rule first, so that a caller refused learns nothing from the answer (not even
  // whether what it sent is valid); checked again in the transaction that opens.
  bool may_declare = false;
  absl::Status read = store::ReadInto(
      db_, may_declare, [&](store::Transaction& tx) { return AgentMandateInForce(tx, inv, now); });
  if (!read.ok()) return read;
  if (auto s = MayOpenCase(viewer, inv, may_declare); !s.ok()) return s;
  errors::Violations v;
  if (!IsBusinessMode(request.business_mode())) {
    v.Add("business_mode", "BUSINESS_MODE", "must be 9610, 9710, 9810, 1210 or 1239");
  } else if (!IsProcedure(request.business_mode(), request.direction())) {
    v.Add("direction", "PROCEDURE",
          absl::StrCat("business mode ", request.business_mode(), " has no ",
                       dv1::Direction_Name(request.direction()), " procedure"));
  }
  // The keys SubmitCase keeps as opened (CheckCompletion): one missing here could never be
  // filled, and the (ebc_code, cop_no) would be spent on a case that cannot be sent.
  for (auto [value, name] : {std::pair{&inv.ebc_code(), "inventory.ebc_code"},
                             {&inv.ebp_code(), "inventory.ebp_code"},
                             {&inv.cop_no(), "inventory.cop_no"},
                             {&inv.order_no(), "inventory.order_no"}}) {
    if (value->empty()) v.Add(name, "REQUIRED", "is required");
  }
  CheckInventory(request.direction(), inv, "inventory", v);
  if (!request.estimated_tax_cny().empty()) {
    auto tax = decimal::ParseFixed(request.estimated_tax_cny(), 5);
    if (!tax.ok() || *tax < 0) {
      v.Add("estimated_tax_cny", "DECIMAL",
            "must be a non-negative decimal, at most 5 fraction digits");
    }
  }
  auto value = ValueOf(inv);
  if (!v.empty()) return v.ToStatus();
  if (!value.ok()) return value.status();

  std::string open_key = absl::StrCat("inventory:", inv.ebc_code(), "/", inv.cop_no());
  v1::ClearanceCase c;
  c.set_case_id(CaseIdFor(open_key));
  c.set_business_mode(request.business_mode());
  c.set_direction(request.direction());
  c.set_status(v1::CASE_STATUS_CREATED);
  *c.mutable_inventory() = inv;
  SetValue(c, *value);
  if (request.direction() == dv1::DIRECTION_IMPORT && !request.estimated_tax_cny().empty()) {
    c.set_estimated_tax_cny(Amount(request.estimated_tax_cny()));
  }
  if (request.direction() == dv1::DIRECTION_IMPORT) {
    c.mutable_tax_bill()->set_status(v1::TAX_BILL_STATUS_NOT_ISSUED);
  }
  for (auto& m : MissingFields(request.direction(), inv)) c.add_missing(m);
  *c.mutable_open_time() = Ts(now);
  *c.mutable_update_time() = Ts(now);

  v1::ClearanceCase result;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    // Who may open is decided from the mandates stored, before the case is looked up, so that a
    // caller refused learns nothing of it.
    auto mandate = AgentMandateInForce(tx, inv, now);
    if (!mandate.ok()) return mandate.status();
    if (auto s = MayOpenCase(viewer, inv, *mandate); !s.ok()) return s;
    CaseRepository repo(tx, keys_);
    auto existing = repo.FindByOpenKey(open_key);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      // A retry of the same request returns the case, to the stored case's declarant only. Once
      // submitted, the stored inventory is the completed one, so only mode, direction and tax
      // can still be compared.
      const v1::ClearanceCase& e = **existing;
      auto stored_mandate = AgentMandateInForce(tx, e.inventory(), now);
      if (!stored_mandate.ok()) return stored_mandate.status();
      if (auto s = MayRetryOpenCase(viewer, e, *stored_mandate); !s.ok()) return s;
      if (e.business_mode() != c.business_mode() || e.direction() != c.direction() ||
          e.estimated_tax_cny() != c.estimated_tax_cny() ||
          (e.status() == v1::CASE_STATUS_CREATED && !e.has_submit_time() &&
           e.inventory().SerializeAsString() != inv.SerializeAsString())) {
        return absl::AlreadyExistsError(absl::StrCat(
            "inventory ", inv.ebc_code(), "/", inv.cop_no(), " was opened with other content"));
      }
      result = e;
      return absl::OkStatus();
    }
    result = c;
    return repo.Insert(open_key, c);
  });
  if (!status.ok()) return status;
  return CaseFor(viewer, std::move(result));
}

absl::Status ClearanceDesk::ApplyMatched(store::Transaction& tx,
                                         const dv1::DeclarationMatched& matched) {
  const dv1::Declaration& d = matched.declaration();
  if (d.order_key().empty() ||
      (d.direction() != dv1::DIRECTION_IMPORT && d.direction() != dv1::DIRECTION_EXPORT)) {
    return absl::InvalidArgumentError("DeclarationMatched without order key or direction");
  }
  std::string open_key = absl::StrCat("declaration:", d.order_key());
  CaseRepository repo(tx, keys_);
  auto existing = repo.FindByOpenKey(open_key);
  if (!existing.ok()) return existing.status();
  // The same event again changes nothing. An order withdrawn before its inventory went to
  // customs and matched again reopens its own case (the same case id, from the new
  // declaration), so that it can be cleared, and released at most once.
  bool reopen = *existing && (*existing)->status() == v1::CASE_STATUS_WITHDRAWN &&
                !(*existing)->has_submit_time();
  if (*existing && !reopen) return absl::OkStatus();
  v1::ClearanceCase c;
  c.set_case_id(CaseIdFor(open_key));
  c.set_order_key(d.order_key());
  c.set_business_mode(d.business_mode().empty() ? "9610" : d.business_mode());
  c.set_direction(d.direction());
  c.set_status(v1::CASE_STATUS_CREATED);
  *c.mutable_inventory() = DraftFromDeclaration(d, options_.defaults);
  // The enterprise's inventory number: derived from the case id, 20 characters (CEB621 copNo).
  c.mutable_inventory()->set_cop_no(
      absl::StrCat("PL", absl::StrReplaceAll(c.case_id(), {{"-", ""}}).substr(0, 18)));
  c.set_value_cny(Amount(d.value_cny()));
  // The order's goods value in its currency: the draft's lines are the order's goods, whose
  // total_price the declarations service checked against the order's goods_value.
  if (auto value = ValueOf(c.inventory()); value.ok()) {
    c.set_value(*value);
    c.set_currency(c.inventory().currency());
  }
  if (d.direction() == dv1::DIRECTION_IMPORT) {
    c.set_estimated_tax_cny(Amount(d.estimated_tax()));
    c.mutable_tax_bill()->set_status(v1::TAX_BILL_STATUS_NOT_ISSUED);
  }
  for (auto& m : MissingFields(d.direction(), c.inventory())) c.add_missing(m);
  absl::Time now = absl::Now();
  *c.mutable_open_time() = Ts(now);
  *c.mutable_update_time() = Ts(now);
  if (reopen) {
    log::Info("case reopened by its declaration matched again",
              {{"case_id", c.case_id()}, {"order_key", d.order_key()}});
    return repo.Update(c);
  }
  log::Info("case opened from declaration",
            {{"case_id", c.case_id()}, {"order_key", d.order_key()}});
  return repo.Insert(open_key, c);
}

absl::Status ClearanceDesk::ApplyWithdrawn(store::Transaction& tx,
                                           const dv1::DeclarationWithdrawn& withdrawn) {
  if (withdrawn.declaration().order_key().empty()) {
    return absl::InvalidArgumentError("DeclarationWithdrawn without order key");
  }
  const std::string& order_key = withdrawn.declaration().order_key();
  CaseRepository repo(tx, keys_);
  auto existing = repo.FindByOpenKey(absl::StrCat("declaration:", order_key));
  if (!existing.ok()) return existing.status();
  if (!*existing) return absl::OkStatus();  // withdrawn before it matched: no case
  v1::ClearanceCase c = **existing;
  if (c.has_submit_time() || c.status() != v1::CASE_STATUS_CREATED) {
    // Customs has the inventory: withdrawing it is the declarant's business with customs.
    log::Warn("declaration withdrawn after its inventory was sent to customs",
              {{"case_id", c.case_id()}, {"order_key", order_key}});
    return absl::OkStatus();
  }
  c.set_status(v1::CASE_STATUS_WITHDRAWN);
  *c.mutable_update_time() = Ts(absl::Now());
  log::Info("case withdrawn with its declaration", {{"case_id", c.case_id()}});
  return repo.Update(c);
}

absl::StatusOr<v1::ClearanceCase> ClearanceDesk::Get(const std::string& case_id,
                                                     const std::string& party,
                                                     const Viewer& viewer) {
  auto found = Find(case_id, party, viewer);
  if (!found.ok()) return found.status();
  return CaseFor(viewer, std::move(*found));
}

absl::StatusOr<bool> ClearanceDesk::Visible(store::Transaction& tx, const Viewer& viewer,
                                            const v1::ClearanceCase& c, absl::Time now) {
  // The mandate matters only to a viewer that is the case's agent and nothing else.
  if (MaySeeCase(viewer, c, false)) return true;
  if (!viewer.SpeaksFor(c.inventory().agent_code())) return false;
  auto mandate = AgentMandateInForce(tx, c.inventory(), now);
  if (!mandate.ok()) return mandate.status();
  return MaySeeCase(viewer, c, *mandate);
}

absl::StatusOr<v1::ClearanceCase> ClearanceDesk::Find(const std::string& case_id,
                                                      const std::string& party,
                                                      const Viewer& viewer) {
  std::optional<v1::ClearanceCase> found;
  bool visible = false;
  absl::Time now = Now();
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto c = CaseRepository(tx, keys_).Find(case_id);
    if (!c.ok()) return c.status();
    found = std::move(*c);
    if (!found) return absl::OkStatus();
    auto v = Visible(tx, viewer, *found, now);
    if (!v.ok()) return v.status();
    visible = *v;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found || !visible || (!party.empty() && !IsParty(*found, party))) {
    return absl::NotFoundError(absl::StrCat("case_id: no case ", case_id));
  }
  return *found;
}

absl::StatusOr<v1::ListCasesResponse> ClearanceDesk::List(const v1::ListCasesRequest& request,
                                                          const Viewer& viewer) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v);
  if (!v.empty()) return v.ToStatus();
  CaseFilter filter;
  filter.enterprise_code = request.enterprise_code();
  filter.status = request.status();
  filter.business_mode = request.business_mode();
  filter.direction = request.direction();
  v1::ListCasesResponse response;
  absl::Time now = Now();
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list = CaseRepository(tx, keys_).List(filter, page.AfterPart(0), page.limit());
    if (!list.ok()) return list.status();
    response.Clear();
    response.set_next_page_token(paging::NextPageToken(*list, page.size, CaseKey));
    for (auto& c : *list) {
      auto visible = Visible(tx, viewer, c, now);
      if (!visible.ok()) return visible.status();
      if (*visible) *response.add_cases() = CaseFor(viewer, std::move(c));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ClearanceCase> ClearanceDesk::Submit(const v1::SubmitCaseRequest& request,
                                                        const Viewer& viewer) {
  v1::ClearanceCase result;
  OutgoingMessage outgoing;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    CaseRepository repo(tx, keys_);
    auto found = repo.Find(request.case_id());
    if (!found.ok()) return found.status();
    if (!*found ||
        (!request.enterprise_code().empty() && !IsParty(**found, request.enterprise_code()))) {
      return absl::NotFoundError(absl::StrCat("case_id: no case ", request.case_id()));
    }
    v1::ClearanceCase c = **found;
    absl::Time now = Now();
    auto stored_mandate = AgentMandateInForce(tx, c.inventory(), now);
    if (!stored_mandate.ok()) return stored_mandate.status();
    if (auto s = MaySubmitCase(viewer, c, *stored_mandate); !s.ok()) return s;
    if (c.status() == v1::CASE_STATUS_WITHDRAWN) {
      return absl::FailedPreconditionError(
          absl::StrCat("case ", c.case_id(), ": its declaration was withdrawn"));
    }
    if (c.has_submit_time()) {
      return absl::FailedPreconditionError(
          absl::StrCat("case ", c.case_id(), " was submitted already"));
    }
    if (request.has_inventory()) {
      const v1::Inventory& in = request.inventory();
      errors::Violations v;
      CheckCompletion(c.inventory(), in, "inventory", v);
      CheckInventory(c.direction(), in, "inventory", v);
      if (!v.empty()) return v.ToStatus();
      *c.mutable_inventory() = in;
      auto value = ValueOf(in);
      if (!value.ok()) return value.status();
      // A declaration's case keeps the declaration's value: the three documents fixed it.
      if (c.order_key().empty()) SetValue(c, *value);
    }
    // The agent the message will name, changed or not, must be one the enterprise mandated.
    auto mandate = AgentMandateInForce(tx, c.inventory(), now);
    if (!mandate.ok()) return mandate.status();
    if (auto s = MayDeclareAs(viewer, c.inventory(), *mandate); !s.ok()) return s;
    c.clear_missing();
    auto missing = MissingFields(c.direction(), c.inventory());
    if (!missing.empty()) {
      errors::Violations v;
      for (const auto& m : missing) v.Add(m, "REQUIRED", "is required before submission");
      absl::Status incomplete = v.ToStatus();
      return absl::FailedPreconditionError(
          absl::StrCat("the inventory is incomplete: ", incomplete.message()));
    }
    InventoryMessageInput input;
    input.guid = c.case_id();
    input.business_mode = c.business_mode();
    input.direction = c.direction();
    input.inventory = c.inventory();
    input.app_time = now;
    input.app_status = signer_.signs() ? 2 : 1;
    input.cop_code = c.inventory().agent_code();
    input.cop_name =
        c.inventory().agent_name().empty() ? c.inventory().ebc_name() : c.inventory().agent_name();
    input.dxp_id = options_.dxp_id;
    auto xml = WriteInventoryMessage(input);
    if (!xml.ok()) return xml.status();
    auto signed_xml = signer_.Sign(*xml);
    if (!signed_xml.ok()) {
      CountSignerFailure();
      return signed_xml.status();
    }
    *c.mutable_submit_time() = Ts(now);
    *c.mutable_update_time() = Ts(now);
    if (auto s = repo.Update(c); !s.ok()) return s;
    if (auto s = repo.SaveMessage(c.case_id(), *signed_xml); !s.ok()) return s;
    v1::ClearanceSubmitted event;
    *event.mutable_facts() = Facts(c);
    if (auto s = Publish(tx, c, event, now); !s.ok()) return s;
    outgoing = {c.case_id(), InventoryMessageType(c.direction()), *signed_xml, now};
    result = c;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (events_committed_) events_committed_();
  CountSubmitted(outgoing.message_type);
  CountSigned(signer_.algorithm());
  if (gateway_ != nullptr) {
    if (auto s = gateway_->Send(outgoing); !s.ok()) {
      CountGatewayError();
      log::Warn("inventory not sent; the gateway can fetch it",
                {{"case_id", result.case_id()}, {"error", s.ToString()}});
    }
  }
  return CaseFor(viewer, std::move(result));
}

absl::StatusOr<v1::InventoryMessage> ClearanceDesk::Message(const std::string& case_id,
                                                            const std::string& party,
                                                            const Viewer& viewer) {
  auto c = Find(case_id, party, viewer);
  if (!c.ok()) return c.status();
  std::optional<StoredMessage> stored;
  absl::Status status = store::ReadInto(db_, stored, [&](store::Transaction& tx) {
    return CaseRepository(tx, keys_).FindMessage(case_id);
  });
  if (!status.ok()) return status;
  if (!stored) {
    return absl::FailedPreconditionError(absl::StrCat("case ", case_id, " is not submitted yet"));
  }
  if (stored->erased) {
    return absl::FailedPreconditionError(
        absl::StrCat("case ", case_id,
                     ": its inventory message was erased with the buyer's personal data at the "
                     "end of the retention period (SHA-256 of what was sent: ",
                     stored->sha256, ")"));
  }
  v1::InventoryMessage out;
  out.set_case_id(case_id);
  out.set_message_type(InventoryMessageType(c->direction()));
  out.set_xml(std::move(stored->xml));
  return MessageFor(viewer, c->inventory(), std::move(out));
}

absl::StatusOr<v1::ReceiptResult> ClearanceDesk::ApplyReceipt(store::Transaction& tx,
                                                              const v1::CustomsReceipt& r,
                                                              const std::string& field,
                                                              bool& published) {
  if (r.guid().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".guid: is required"));
  }
  auto code = ParseReturnStatus(r.return_status());
  if (!code.ok())
    return absl::InvalidArgumentError(absl::StrCat(field, ".", code.status().message()));
  if (auto to = StatusOfCode(*code); !to.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".", to.status().message()));
  }
  auto micros = ParseReturnTime(r.return_time(), field + ".return_time");
  if (!micros.ok()) return micros.status();

  CaseRepository repo(tx, keys_);
  auto found = repo.Find(r.guid());
  if (!found.ok()) return found.status();
  if (!*found) return absl::NotFoundError(absl::StrCat(field, ".guid: no case ", r.guid()));
  v1::ClearanceCase c = **found;
  v1::ReceiptResult result;
  result.set_case_id(c.case_id());
  if (!c.has_submit_time()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": case ", c.case_id(), " has not been submitted to customs"));
  }
  std::vector<ReceiptCode> codes;
  std::map<std::pair<int64_t, int32_t>, std::string> infos;
  for (const v1::ReceiptEntry& e : c.receipts()) {
    int64_t t = TimeUtil::TimestampToMicroseconds(e.return_time());
    codes.push_back({e.return_status(), t});
    infos[{t, e.return_status()}] = e.return_info();
  }
  ReceiptCode incoming{*code, *micros};
  if (std::find(codes.begin(), codes.end(), incoming) != codes.end()) {
    result.set_outcome(v1::RECEIPT_OUTCOME_DUPLICATE);
    result.set_status(c.status());
    return result;
  }
  codes.push_back(incoming);
  // Customs may quote what it checked: the identity is neither stored nor published in clear.
  const std::string return_info = RedactIdentity(r.return_info(), c.inventory());
  infos[{*micros, *code}] = return_info;
  auto replay = ReplayReceipts(codes);
  if (!replay.ok()) {
    return absl::Status(replay.status().code(), absl::StrCat(field, ": case ", c.case_id(), ": ",
                                                             replay.status().message()));
  }
  v1::CaseStatus previous = c.status();
  c.clear_receipts();
  const ReplayStep* mine = nullptr;
  for (const ReplayStep& step : replay->steps) {
    v1::ReceiptEntry* e = c.add_receipts();
    e->set_return_status(step.receipt.return_status);
    *e->mutable_return_time() = TimeUtil::MicrosecondsToTimestamp(step.receipt.return_micros);
    e->set_return_info(infos[{step.receipt.return_micros, step.receipt.return_status}]);
    e->set_status(step.after);
    if (step.receipt == incoming) mine = &step;
  }
  c.set_status(replay->status);
  c.set_return_status(replay->steps.back().receipt.return_status);
  c.set_inspected(replay->inspected);
  if (!r.pre_no().empty()) c.set_pre_no(r.pre_no());
  if (!r.invt_no().empty()) c.set_invt_no(r.invt_no());
  absl::Time now = absl::Now();
  absl::Time when = absl::FromUnixMicros(*micros);
  *c.mutable_update_time() = Ts(now);
  bool released =
      replay->status == v1::CASE_STATUS_RELEASED || replay->status == v1::CASE_STATUS_CLOSED;
  if (released && !c.has_release_time()) {
    for (const ReplayStep& step : replay->steps) {
      if (step.after == v1::CASE_STATUS_RELEASED) {
        *c.mutable_release_time() = TimeUtil::MicrosecondsToTimestamp(step.receipt.return_micros);
      }
    }
  }
  if (auto s = repo.Update(c); !s.ok()) return s;

  v1::ClearanceStatusChanged changed;
  *changed.mutable_facts() = Facts(c);
  changed.set_return_status(*code);
  changed.set_status(mine->after);
  changed.set_previous_status(mine->before);
  *changed.mutable_return_time() = Ts(when);
  changed.set_return_info(return_info);
  if (auto s = Publish(tx, c, changed, when); !s.ok()) return s;
  if (c.has_release_time() && !(*found)->has_release_time()) {
    v1::ClearanceReleased event;
    *event.mutable_facts() = Facts(c);
    *event.mutable_release_time() = c.release_time();
    event.set_inspected(c.inspected());
    if (auto s = Publish(tx, c, event, when); !s.ok()) return s;
  }
  bool ended = c.status() == v1::CASE_STATUS_REJECTED || c.status() == v1::CASE_STATUS_RETURNED ||
               c.status() == v1::CASE_STATUS_ERROR;
  if (ended && !IsFinal(previous)) {
    v1::ClearanceRejected event;
    *event.mutable_facts() = Facts(c);
    event.set_return_status(c.return_status());
    event.set_status(c.status());
    *event.mutable_return_time() = Ts(when);
    event.set_return_info(return_info);
    if (auto s = Publish(tx, c, event, when); !s.ok()) return s;
  }
  published = true;
  result.set_outcome(v1::RECEIPT_OUTCOME_APPLIED);
  result.set_status(c.status());
  return result;
}

absl::StatusOr<v1::ReceiptResult> ClearanceDesk::RecordReceipt(const v1::CustomsReceipt& receipt) {
  v1::ReceiptResult result;
  bool published = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    published = false;
    auto r = ApplyReceipt(tx, receipt, "receipt", published);
    if (!r.ok()) return r.status();
    result = *r;
    return absl::OkStatus();
  });
  if (!status.ok()) {
    CountReceipt("refused");
    return status;
  }
  if (published && events_committed_) events_committed_();
  CountReceipt(result.outcome() == v1::RECEIPT_OUTCOME_DUPLICATE ? "duplicate" : "applied");
  return result;
}

absl::StatusOr<v1::SubmitReceiptMessageResponse> ClearanceDesk::RecordReceipts(
    const ceb::InventoryReturns& message) {
  v1::SubmitReceiptMessageResponse response;
  bool published = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    published = false;
    response.Clear();
    response.set_message_type(message.message_type);
    for (size_t i = 0; i < message.receipts.size(); ++i) {
      auto r = ApplyReceipt(tx, message.receipts[i], absl::StrCat("receipts[", i, "]"), published);
      if (!r.ok()) return r.status();
      *response.add_results() = *r;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    CountReceipt("refused");
    return status;
  }
  if (published && events_committed_) events_committed_();
  for (const auto& r : response.results()) {
    CountReceipt(r.outcome() == v1::RECEIPT_OUTCOME_DUPLICATE ? "duplicate" : "applied");
  }
  return response;
}

absl::StatusOr<v1::ClearanceCase> ClearanceDesk::RecordTaxBill(
    const v1::RecordTaxBillRequest& request, const Viewer& viewer) {
  errors::Violations v;
  if (request.tax_no().empty()) v.Add("tax_no", "REQUIRED", "is required");
  if (request.tax_no().size() > 50) v.Add("tax_no", "TOO_LONG", "at most 50 characters");
  v1::TaxBillStatus bill_status = v1::TAX_BILL_STATUS_UNSPECIFIED;
  if (request.status() == "1") bill_status = v1::TAX_BILL_STATUS_GENERATED;
  if (request.status() == "2") bill_status = v1::TAX_BILL_STATUS_SUMMARIZED;
  if (request.status() == "3") bill_status = v1::TAX_BILL_STATUS_VOID;
  if (bill_status == v1::TAX_BILL_STATUS_UNSPECIFIED) {
    v.Add("status", "ENUM", "must be 1 (generated), 2 (summarized) or 3 (void)");
  }
  int64_t total = 0;
  bool total_fits = true;
  for (auto [value, name] : {std::pair{&request.customs_tax(), "customs_tax"},
                             {&request.value_added_tax(), "value_added_tax"},
                             {&request.consumption_tax(), "consumption_tax"}}) {
    auto amount = decimal::ParseFixed(value->empty() ? "0" : *value, 5);
    if (!amount.ok() || *amount < 0) {
      v.Add(name, "DECIMAL", "must be a non-negative decimal, at most 5 fraction digits");
    } else if (!AddAmount(total, *amount)) {
      total_fits = false;
    }
  }
  if (!total_fits) {
    v.Add("tax_bill.total", "TOTAL_TOO_LARGE",
          absl::StrCat("customs_tax + value_added_tax + consumption_tax is over ",
                       decimal::FormatFixed(std::numeric_limits<int64_t>::max(), 5),
                       ", the largest amount held"));
  }
  if (!v.empty()) return v.ToStatus();
  v1::ClearanceCase result;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    CaseRepository repo(tx, keys_);
    auto found = repo.Find(request.case_id());
    if (!found.ok()) return found.status();
    if (!*found) return absl::NotFoundError(absl::StrCat("case_id: no case ", request.case_id()));
    v1::ClearanceCase c = **found;
    if (c.direction() != dv1::DIRECTION_IMPORT) {
      return absl::FailedPreconditionError("tax bills are for import cases only");
    }
    v1::TaxBill* bill = c.mutable_tax_bill();
    bill->set_status(bill_status);
    bill->set_tax_no(request.tax_no());
    bill->set_customs_tax(Amount(request.customs_tax().empty() ? "0" : request.customs_tax()));
    bill->set_value_added_tax(
        Amount(request.value_added_tax().empty() ? "0" : request.value_added_tax()));
    bill->set_consumption_tax(
        Amount(request.consumption_tax().empty() ? "0" : request.consumption_tax()));
    bill->set_total(decimal::FormatFixed(total, 5));
    *c.mutable_update_time() = Ts(absl::Now());
    if (auto s = repo.Update(c); !s.ok()) return s;
    result = c;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return CaseFor(viewer, std::move(result));
}

absl::StatusOr<v1::ListRefundEligibleResponse> ClearanceDesk::RefundEligible(
    const v1::ListRefundEligibleRequest& request,
    const std::function<std::vector<std::string>(const std::string&)>& requirements,
    const Viewer& viewer) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v);
  if (!v.empty()) return v.ToStatus();
  CaseFilter filter;
  filter.enterprise_code = request.enterprise_code();
  filter.statuses = {v1::CASE_STATUS_RELEASED, v1::CASE_STATUS_CLOSED};
  filter.direction = dv1::DIRECTION_EXPORT;
  v1::ListRefundEligibleResponse response;
  absl::Time now = Now();
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list = CaseRepository(tx, keys_).List(filter, page.AfterPart(0), page.limit());
    if (!list.ok()) return list.status();
    response.Clear();
    response.set_next_page_token(paging::NextPageToken(*list, page.size, CaseKey));
    for (auto& c : *list) {
      auto visible = Visible(tx, viewer, c, now);
      if (!visible.ok()) return visible.status();
      if (!*visible) continue;
      RefundEligibility eligibility = RefundEligibilityOf(c);
      if (!eligibility.eligible && !request.include_ineligible()) continue;
      v1::RefundEligibleCase* out = response.add_cases();
      out->set_eligible(eligibility.eligible);
      out->set_reason(std::move(eligibility.reason));
      for (auto& r : requirements(c.business_mode())) out->add_requirements(r);
      *out->mutable_clearance_case() = CaseFor(viewer, std::move(c));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Mandate> ClearanceDesk::GrantMandate(const v1::GrantMandateRequest& request,
                                                        const Viewer& viewer) {
  if (auto s = MayGrantMandate(viewer, request.ebc_code()); !s.ok()) return s;
  absl::Time now = Now();
  if (auto s = CheckGrant(request, now); !s.ok()) return s;
  absl::Time from = TimeOf(request.valid_from()), until = TimeOf(request.valid_until());
  v1::Mandate m;
  m.set_mandate_id(MandateIdFor(request.ebc_code(), request.agent_code(), from, until));
  m.set_ebc_code(request.ebc_code());
  m.set_agent_code(request.agent_code());
  *m.mutable_valid_from() = Ts(from);
  *m.mutable_valid_until() = Ts(until);
  *m.mutable_grant_time() = Ts(now);
  v1::Mandate result;
  bool granted = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    granted = false;
    MandateRepository repo(tx);
    auto same_pair = repo.ForPair(m.ebc_code(), m.agent_code());
    if (!same_pair.ok()) return same_pair.status();
    for (const v1::Mandate& e : *same_pair) {
      if (e.mandate_id() == m.mandate_id()) {  // a retry: the mandate as it stands
        result = e;
        return absl::OkStatus();
      }
    }
    if (auto other = OverlappingMandate(*same_pair, m.mandate_id(), from, until, now)) {
      return absl::AlreadyExistsError(
          absl::StrCat("valid_from: mandate ", other->mandate_id(), " from ", m.ebc_code(), " to ",
                       m.agent_code(), " is in force for part of this period: revoke it first"));
    }
    if (auto s = repo.Insert(m, viewer.name); !s.ok()) return s;
    v1::MandateGranted event;
    *event.mutable_mandate() = m;
    if (auto s = PublishMandate(tx, m, event, now); !s.ok()) return s;
    result = m;
    granted = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (granted && events_committed_) events_committed_();
  return result;
}

absl::StatusOr<v1::Mandate> ClearanceDesk::RevokeMandate(const v1::RevokeMandateRequest& request,
                                                         const Viewer& viewer) {
  absl::Time now = Now();
  v1::Mandate result;
  bool revoked = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    revoked = false;
    MandateRepository repo(tx);
    auto found = repo.Find(request.mandate_id());
    if (!found.ok()) return found.status();
    if (!*found ||
        (!request.enterprise_code().empty() && request.enterprise_code() != (*found)->ebc_code() &&
         request.enterprise_code() != (*found)->agent_code())) {
      return absl::NotFoundError(absl::StrCat("mandate_id: no mandate ", request.mandate_id()));
    }
    v1::Mandate m = **found;
    if (auto s = MayRevokeMandate(viewer, m); !s.ok()) return s;
    if (m.has_revoke_time()) {  // a retry: revoked already
      result = m;
      return absl::OkStatus();
    }
    if (MandateEnd(m) <= now) {
      return absl::FailedPreconditionError(
          absl::StrCat("mandate ", m.mandate_id(), " has ended already"));
    }
    *m.mutable_revoke_time() = Ts(now);
    if (auto s = repo.Revoke(m, viewer.name); !s.ok()) return s;
    v1::MandateRevoked event;
    *event.mutable_mandate() = m;
    if (auto s = PublishMandate(tx, m, event, now); !s.ok()) return s;
    result = m;
    revoked = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (revoked && events_committed_) events_committed_();
  return result;
}

absl::StatusOr<v1::ListMandatesResponse> ClearanceDesk::ListMandates(
    const v1::ListMandatesRequest& request, const Viewer& viewer) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = Now();
  v1::ListMandatesResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list =
        MandateRepository(tx).List(request.enterprise_code(), page.AfterPart(0), page.limit());
    if (!list.ok()) return list.status();
    response.Clear();
    response.set_next_page_token(paging::NextPageToken(*list, page.size, MandateKey));
    for (auto& m : *list) {
      if (!MaySeeMandate(viewer, m)) continue;
      if (request.in_force_only() && !MandateInForce(m, now)) continue;
      *response.add_mandates() = std::move(m);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<int> ClearanceDesk::ErasePersonalData(absl::Duration retention, absl::Time now) {
  int erased = 0;
  for (;;) {
    int batch = 0;
    absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
      auto n = CaseRepository(tx, keys_).ErasePersonal(
          StatusesEndingPersonalData(), absl::ToUnixMicros(now - retention), kPersonalDataBatch);
      if (!n.ok()) return n.status();
      batch = *n;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    erased += batch;
    if (batch < kPersonalDataBatch) return erased;
  }
}

absl::StatusOr<ClearanceDesk::Rotation> ClearanceDesk::RotatePersonalData() {
  Rotation done;
  std::string after;
  do {
    CaseRepository::RotationBatch batch;
    absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
      auto b = CaseRepository(tx, keys_).ResealCases(after, kPersonalDataBatch);
      if (!b.ok()) return b.status();
      batch = *b;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    done.cases += batch.redone;
    done.cases_left += batch.left;
    after = batch.next_after;
  } while (!after.empty());
  return done;
}

void FollowDeclarations(events::EventConsumer& consumer, ClearanceDesk& desk) {
  consumer.On<dv1::DeclarationMatched>(
      [&desk](store::Transaction& tx, const dv1::DeclarationMatched& m) {
        return desk.ApplyMatched(tx, m);
      });
  consumer.On<dv1::DeclarationWithdrawn>(
      [&desk](store::Transaction& tx, const dv1::DeclarationWithdrawn& m) {
        return desk.ApplyWithdrawn(tx, m);
      });
}

}  // namespace parkline::clearance
