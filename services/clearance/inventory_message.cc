#include "clearance/inventory_message.h"

#include <libxml/xmlwriter.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

struct BufferFree {
  void operator()(xmlBuffer* b) const { xmlBufferFree(b); }
};
struct WriterFree {
  void operator()(xmlTextWriter* w) const { xmlFreeTextWriter(w); }
};

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// Writes elements in the ceb namespace; remembers the first libxml2 failure.
class Writer {
 public:
  explicit Writer(xmlTextWriter* w) : w_(w) {}

  void Open(const char* name) {
    Check(xmlTextWriterStartElementNS(w_, X("ceb"), X(name), nullptr));
  }
  void Close() { Check(xmlTextWriterEndElement(w_)); }
  // A required element: written even when empty.
  void Required(const char* name, const std::string& value) {
    Check(xmlTextWriterWriteElementNS(w_, X("ceb"), X(name), nullptr, X(value.c_str())));
  }
  // An optional element: left out when empty.
  void Optional(const char* name, const std::string& value) {
    if (!value.empty()) Required(name, value);
  }
  void Check(int rc) {
    if (rc < 0) ok_ = false;
  }
  bool ok() const { return ok_; }

 private:
  xmlTextWriter* w_;
  bool ok_ = true;
};

absl::TimeZone Park() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Asia/Shanghai", &tz)) tz = absl::FixedTimeZone(8 * 3600);
  return tz;
}

void ImportHead(Writer& w, const InventoryMessageInput& in, const std::string& app_time,
                const std::string& day) {
  const v1::Inventory& i = in.inventory;
  w.Open("InventoryHead");
  w.Required("guid", in.guid);
  w.Required("appType", "1");
  w.Required("appTime", app_time);
  w.Required("appStatus", absl::StrCat(in.app_status));
  w.Required("orderNo", i.order_no());
  w.Required("ebpCode", i.ebp_code());
  w.Required("ebpName", i.ebp_name());
  w.Required("ebcCode", i.ebc_code());
  w.Required("ebcName", i.ebc_name());
  w.Required("logisticsNo", i.logistics_no());
  w.Required("logisticsCode", i.logistics_code());
  w.Required("logisticsName", i.logistics_name());
  w.Optional("copNo", i.cop_no());
  w.Required("assureCode", i.assure_code());
  w.Optional("emsNo", i.ems_no());
  w.Required("ieFlag", "I");
  w.Required("declTime", day);
  w.Required("customsCode", i.customs_code());
  w.Required("portCode", i.port_code());
  w.Optional("ieDate", i.ie_date());
  w.Required("buyerIdType", i.buyer_id_type());
  w.Required("buyerIdNumber", i.buyer_id_number());
  w.Required("buyerName", i.buyer_name());
  w.Required("buyerTelephone", i.buyer_telephone());
  w.Required("consigneeAddress", i.consignee_address());
  w.Required("agentCode", i.agent_code());
  w.Required("agentName", i.agent_name());
  w.Optional("areaCode", i.area_code());
  w.Optional("areaName", i.area_name());
  w.Required("tradeMode", in.business_mode);
  w.Required("trafMode", i.traf_mode());
  w.Optional("trafNo", i.traf_no());
  w.Optional("voyageNo", i.voyage_no());
  w.Optional("billNo", i.bill_no());
  w.Required("country", i.country());
  w.Required("freight", i.freight());
  w.Required("insuredFee", i.insured_fee());
  w.Required("currency", i.currency());
  w.Optional("wrapType", i.wrap_type());
  w.Required("packNo", absl::StrCat(i.pack_no()));
  w.Required("grossWeight", i.gross_weight());
  w.Required("netWeight", i.net_weight());
  w.Optional("note", i.note());
  w.Close();
  for (const v1::InventoryLine& l : i.lines()) {
    w.Open("InventoryList");
    w.Required("gnum", absl::StrCat(l.gnum()));
    w.Optional("itemRecordNo", l.item_record_no());
    w.Optional("itemNo", l.item_no());
    w.Optional("itemName", l.item_name());
    w.Required("gcode", l.gcode());
    w.Required("gname", l.gname());
    w.Required("gmodel", l.gmodel());
    w.Optional("barCode", l.bar_code());
    w.Required("country", l.country());
    w.Optional("tradeCountry", l.trade_country());
    w.Required("currency", l.currency());
    w.Required("qty", l.qty());
    w.Required("unit", l.unit());
    w.Required("qty1", l.qty1());
    w.Required("unit1", l.unit1());
    w.Optional("qty2", l.qty2());
    w.Optional("unit2", l.unit2());
    w.Required("price", l.price());
    w.Required("totalPrice", l.total_price());
    w.Optional("note", l.note());
    w.Close();
  }
}

void ExportHead(Writer& w, const InventoryMessageInput& in, const std::string& app_time) {
  const v1::Inventory& i = in.inventory;
  w.Open("InventoryHead");
  w.Required("guid", in.guid);
  w.Required("appType", "1");
  w.Required("appTime", app_time);
  w.Required("appStatus", absl::StrCat(in.app_status));
  w.Required("customsCode", i.customs_code());
  w.Required("ebpCode", i.ebp_code());
  w.Required("ebpName", i.ebp_name());
  w.Required("orderNo", i.order_no());
  w.Required("logisticsCode", i.logistics_code());
  w.Required("logisticsName", i.logistics_name());
  w.Required("logisticsNo", i.logistics_no());
  w.Required("copNo", i.cop_no());
  w.Required("ieFlag", "E");
  w.Required("portCode", i.port_code());
  w.Required("ieDate", i.ie_date());
  w.Required("statisticsFlag", i.statistics_flag());
  w.Required("agentCode", i.agent_code());
  w.Required("agentName", i.agent_name());
  w.Required("ebcCode", i.ebc_code());
  w.Required("ebcName", i.ebc_name());
  w.Required("ownerCode", i.owner_code());
  w.Required("ownerName", i.owner_name());
  w.Optional("emsNo", i.ems_no());
  w.Required("tradeMode", in.business_mode);
  w.Required("trafMode", i.traf_mode());
  w.Optional("trafName", i.traf_no());
  w.Optional("voyageNo", i.voyage_no());
  w.Optional("billNo", i.bill_no());
  w.Required("country", i.country());
  w.Required("POD", i.pod());
  w.Required("freight", i.freight());
  w.Required("fCurrency", i.currency());
  w.Required("fFlag", "3");  // total amount
  w.Required("insuredFee", i.insured_fee());
  w.Required("iCurrency", i.currency());
  w.Required("iFlag", "3");
  w.Required("wrapType", i.wrap_type());
  w.Required("packNo", absl::StrCat(i.pack_no()));
  w.Required("grossWeight", i.gross_weight());
  w.Required("netWeight", i.net_weight());
  w.Optional("note", i.note());
  w.Close();
  for (const v1::InventoryLine& l : i.lines()) {
    w.Open("InventoryList");
    w.Required("gnum", absl::StrCat(l.gnum()));
    w.Required("itemNo", l.item_no());
    w.Optional("itemRecordNo", l.item_record_no());
    w.Optional("itemName", l.item_name());
    w.Required("gcode", l.gcode());
    w.Required("gname", l.gname());
    w.Required("gmodel", l.gmodel());
    w.Required("barCode", l.bar_code());
    w.Required("country", l.country());
    w.Required("currency", l.currency());
    w.Required("qty", l.qty());
    w.Required("qty1", l.qty1());
    w.Optional("qty2", l.qty2());
    w.Required("unit", l.unit());
    w.Required("unit1", l.unit1());
    w.Optional("unit2", l.unit2());
    w.Required("price", l.price());
    w.Required("totalPrice", l.total_price());
    w.Optional("note", l.note());
    w.Close();
  }
}

}  // namespace

const char* InventoryMessageType(dv1::Direction direction) {
  return direction == dv1::DIRECTION_EXPORT ? "CEB603" : "CEB621";
}

absl::StatusOr<std::string> WriteInventoryMessage(const InventoryMessageInput& in) {
  if (in.direction != dv1::DIRECTION_IMPORT && in.direction != dv1::DIRECTION_EXPORT) {
    return absl::InvalidArgumentError("direction: must be import or export");
  }
  std::unique_ptr<xmlBuffer, BufferFree> buffer(xmlBufferCreate());
  if (!buffer) return absl::ResourceExhaustedError("libxml2 could not allocate a buffer");
  std::unique_ptr<xmlTextWriter, WriterFree> text(xmlNewTextWriterMemory(buffer.get(), 0));
  if (!text) return absl::ResourceExhaustedError("libxml2 could not allocate a writer");
  Writer w(text.get());
  absl::TimeZone park = Park();
  std::string app_time = absl::FormatTime("%Y%m%d%H%M%S", in.app_time, park);
  std::string day = absl::FormatTime("%Y%m%d", in.app_time, park);
  bool import = in.direction == dv1::DIRECTION_IMPORT;

  w.Check(xmlTextWriterStartDocument(text.get(), "1.0", "UTF-8", nullptr));
  std::string root = absl::StrCat(InventoryMessageType(in.direction), "Message");
  w.Check(xmlTextWriterStartElementNS(text.get(), X("ceb"), X(root.c_str()),
                                      X("http://www.chinaport.gov.cn/ceb")));
  w.Check(xmlTextWriterWriteAttribute(text.get(), X("guid"), X(in.guid.c_str())));
  w.Check(xmlTextWriterWriteAttribute(text.get(), X("version"), X("1.0")));
  w.Open("Inventory");
  if (import) {
    ImportHead(w, in, app_time, day);
  } else {
    ExportHead(w, in, app_time);
  }
  w.Close();
  w.Open("BaseTransfer");
  w.Required("copCode", in.cop_code);
  w.Required("copName", in.cop_name);
  w.Required("dxpMode", "DXP");
  w.Required("dxpId", in.dxp_id);
  w.Close();
  w.Close();  // root
  w.Check(xmlTextWriterEndDocument(text.get()));
  if (!w.ok()) return absl::InternalError("libxml2 failed writing the inventory message");
  text.reset();  // flushes into the buffer
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     xmlBufferLength(buffer.get()));
}

}  // namespace parkline::clearance
