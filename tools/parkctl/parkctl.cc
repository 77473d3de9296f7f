// parkctl: a small command-line client for a running park.
//
//   parkctl health ADDRESS              grpc.health.v1 status of the server at ADDRESS
//   parkctl demo ENTERPRISES_ADDRESS [DECLARATIONS_ADDRESS [CLEARANCE_ADDRESS
//                [LOGISTICS_ADDRESS]]]
//                                       loads the demo park (19 units, 20 enterprises, IP, talent,
//                                       and with the second address 20 matched import
//                                       declarations; with the third, their clearance cases
//                                       completed and submitted to customs; with the fourth, their
//                                       shipments' tracking); idempotent, so it can run after
//                                       every start
//   parkctl demo-complaints COMPLAINTS_ADDRESS
//                                       files six demo complaints and takes them along the
//                                       workflow (three closed); idempotent
//   parkctl demo-quality QUALITY_ADDRESS
//                                       loads the quality records: the register (organisation,
//                                       duties, rules, guide, emergency and fire-safety plans,
//                                       manual, and a superseded visitor rule withdrawn), two
//                                       trainings and a drill, three staff certifications (one
//                                       expiring soon), an internal inspection whose two findings
//                                       opened corrective actions (one closed with evidence);
//                                       idempotent
//   parkctl demo-support SUPPORT_ADDRESS
//                                       loads the support service's demo season: activities of
//                                       every kind with registrations and attendance, offerings
//                                       and requests in every category; idempotent (after `demo`)
//   parkctl report QUALITY_ADDRESS --period FROM..TO [--out FILE] [--format html|json]
//                  [--title TEXT]
//                                       the clause 8 evidence report of the period (YYYY-MM-DD both
//                                       ends) as one HTML page (default) or its proto JSON, into
//                                       FILE or stdout
//   parkctl demo-incubation SUPPORT_ADDRESS
//                                       admits this half-year's incubator cohort (four teams and
//                                       a resident of the demo park) and records its milestones:
//                                       one graduates, one leaves; idempotent
//   parkctl demo-assessment QUALITY_ADDRESS
//                                       publishes the demo assessment scheme (7.2.1: occupancy,
//                                       scale, feedback satisfaction, a third-party survey),
//                                       records a survey and prints this month's provisional
//                                       result; idempotent
//   parkctl overview STATISTICS_ADDRESS the park's indicators now: current values, today, month
//                                       and year to date, the evaluation inputs (5.5.4)
//   parkctl token                       makes a new bearer token and prints it with the SHA-256
//                                       that goes into the tokens file
//   parkctl dev-tokens DIR              development callers, one per role: DIR/tokens.json (hashes,
//                                       for the services) and DIR/dev-tokens.txt (the tokens, for
//                                       you); kept when they exist
//   parkctl personal-data-keys new FILE [KEY_ID]
//                                       a new personal-data key file (mode 0600) for the
//                                       declarations service, one random key active; kept when
//                                       FILE exists
//   parkctl personal-data-keys rotate FILE KEY_ID
//                                       adds a new random key KEY_ID to FILE and makes it active;
//                                       the service re-seals and re-keys its rows under it when it
//                                       next starts (docs/security.md)
//
// Calls carry "authorization: Bearer $PARKLINE_TOKEN" when that is set. With PARKLINE_TLS_CA (and
// optionally PARKLINE_TLS_CLIENT_CERT and PARKLINE_TLS_CLIENT_KEY) they go over TLS.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "auth/credentials.h"
#include "auth/sha256.h"
#include "clearance/sample_cases.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "ids/ids.h"
#include "parkline/clearance/v1/clearance.grpc.pb.h"
#include "parkline/complaints/v1/complaints.grpc.pb.h"
#include "parkline/declarations/v1/declarations.grpc.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/logistics/v1/logistics.grpc.pb.h"
#include "parkline/quality/v1/quality.grpc.pb.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"
#include "parkline/support/v1/support.grpc.pb.h"
#include "samples/import_sets.h"
#include "secrets/key_ring.h"

namespace {

namespace v1 = parkline::enterprises::v1;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  if (Env("PARKLINE_TLS_CA").empty()) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ReadFile(Env("PARKLINE_TLS_CA"));
  if (!Env("PARKLINE_TLS_CLIENT_CERT").empty()) {
    tls.pem_cert_chain = ReadFile(Env("PARKLINE_TLS_CLIENT_CERT"));
    tls.pem_private_key = ReadFile(Env("PARKLINE_TLS_CLIENT_KEY"));
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(tls));
}

void Authorize(grpc::ClientContext* ctx) {
  std::string token = Env("PARKLINE_TOKEN");
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
}

std::string NewToken() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::uniform_int_distribution<int> pick(0, 61);
  std::string token = "plk_";
  for (int i = 0; i < 40; ++i) token.push_back(kAlphabet[pick(random)]);
  return token;
}

int Token() {
  std::string token = NewToken();
  std::printf("token  %s\nsha256 %s\n", token.c_str(), parkline::auth::Sha256Hex(token).c_str());
  return 0;
}

// Writes `ring` to `path` readable by its owner only, through a temporary file renamed over it,
// so a crash never leaves a half-written key file.
int WriteKeyFile(const std::string& path, const parkline::secrets::KeyRing& ring) {
  std::string temporary = path + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", temporary.c_str());
      return 1;
    }
    std::filesystem::permissions(
        temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    out << ring.ToJson();
  }
  std::filesystem::rename(temporary, path);
  return 0;
}

int PersonalDataKeys(const std::string& command, const std::string& path, const std::string& id) {
  if (command == "new") {
    if (std::ifstream(path)) return 0;  // kept: a new key would make everything sealed unreadable
    if (!parkline::secrets::IsValidKeyId(id)) {
      std::fprintf(stderr, "a key id is 1..32 characters [A-Za-z0-9._-]\n");
      return 2;
    }
    int rc = WriteKeyFile(path, parkline::secrets::KeyRing::Generate(id));
    if (rc == 0) std::printf("personal-data key %s active in %s\n", id.c_str(), path.c_str());
    return rc;
  }
  auto ring = parkline::secrets::KeyRing::Load(path);
  if (!ring.ok()) {
    std::fprintf(stderr, "%s\n", std::string(ring.status().message()).c_str());
    return 1;
  }
  auto rotated = ring->WithNewActiveKey(id);
  if (!rotated.ok()) {
    std::fprintf(stderr, "%s\n", std::string(rotated.status().message()).c_str());
    return 2;
  }
  int rc = WriteKeyFile(path, *rotated);
  if (rc == 0) {
    std::printf("personal-data key %s active in %s; restart the declarations service to re-seal\n",
                id.c_str(), path.c_str());
  }
  return rc;
}

std::string DemoUscc(int n);

int DevTokens(const std::string& dir) {
  std::string tokens_path = dir + "/tokens.json";
  std::string list_path = dir + "/dev-tokens.txt";
  if (!std::ifstream(tokens_path) || !std::ifstream(list_path)) {
    // The enterprise caller speaks for the demo park's second enterprise; the carrier for the
    // demo logistics company, Park Express, by its customs code: a carrier's code is the
    // logisticsCode of its waybills (logistics/shipment_binding.h), so that it reaches the demo
    // waybills' shipments.
    struct Caller {
      const char* role;
      std::string binding;
    };
    std::vector<Caller> callers = {
        {"park-admin", ""},
        {"park-staff", ""},
        {"enterprise", absl::StrCat(R"(, "uscc": ")", DemoUscc(2), R"(")")},
        {"customs-gateway", ""},
        {"carrier", R"(, "carrier_code": "3301960013")"},
        {"analyst", ""},
    };
    std::string json = "{\n  \"tokens\": [\n";
    std::string list;
    for (size_t i = 0; i < callers.size(); ++i) {
      std::string token = NewToken();
      absl::StrAppend(&json, "    {\"sha256\": \"", parkline::auth::Sha256Hex(token),
                      "\", \"principal\": \"dev-", callers[i].role, "\", \"roles\": [\"",
                      callers[i].role, "\"]", callers[i].binding, "}",
                      i + 1 < callers.size() ? ",\n" : "\n");
      absl::StrAppend(&list, absl::StrFormat("%-16s %s\n", callers[i].role, token));
    }
    json += "  ]\n}\n";
    std::ofstream(tokens_path) << json;
    std::ofstream(list_path) << list;
    // The list holds usable secrets: for its owner's eyes only.
    std::filesystem::permissions(
        list_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  std::fputs(ReadFile(list_path).c_str(), stdout);
  return 0;
}

int Health(const std::string& address) {
  auto stub = grpc::health::v1::Health::NewStub(Connect(address));
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&ctx, request, &response);
  if (!status.ok()) {
    std::printf("%s: %s\n", address.c_str(), status.error_message().c_str());
    return 1;
  }
  std::printf("%s: %s\n", address.c_str(),
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

// Demo USCCs: "91330100PL" + 7 digits + the GB 32100 check character.
std::string DemoUscc(int n) {
  std::string first17 = absl::StrFormat("91330100PL%07d", n);
  return first17 + parkline::ids::UsccCheckCharacter(first17);
}

template <typename Call>
bool Try(const char* what, Call call) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  Authorize(&ctx);
  grpc::Status status = call(&ctx);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.error_message().c_str());
    return false;
  }
  return true;
}

// A step of a demo's workflow: reported unless it worked or was taken by an earlier run
// (FAILED_PRECONDITION: the step does not fit the state it left).
grpc::Status Step(const char* what, const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  Authorize(&ctx);
  grpc::Status s = call(&ctx);
  if (!s.ok() && s.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
    std::fprintf(stderr, "%s: %s\n", what, s.error_message().c_str());
  }
  return s;
}

struct DemoEnterprise {
  const char* name;
  std::vector<v1::EnterpriseRole> roles;
  const char* unit;
};

int Demo(const std::string& address) {
  auto stub = v1::EnterpriseService::NewStub(Connect(address));
  struct UnitSpec {
    const char* id;
    const char* building;
    int floor;
    const char* area;
    v1::UnitPurpose purpose;
  };
  std::vector<UnitSpec> units;
  static const char* kIds[] = {"A1-0201", "A1-0202", "A1-0203", "A1-0204", "A1-0301", "A1-0302",
                               "A1-0303", "A1-0304", "A2-0101", "A2-0102", "A2-0201", "A2-0202"};
  for (const char* id : kIds) {
    units.push_back({id, std::string(id).substr(0, 2) == "A1" ? "A1" : "A2", id[4] - '0', "186.50",
                     v1::UNIT_PURPOSE_OFFICE});
  }
  for (const UnitSpec& u :
       std::vector<UnitSpec>{{"W1-01", "W1", 1, "2400", v1::UNIT_PURPOSE_WAREHOUSE},
                             {"W1-02", "W1", 1, "2400", v1::UNIT_PURPOSE_WAREHOUSE},
                             {"W1-03", "W1", 1, "1800", v1::UNIT_PURPOSE_WAREHOUSE},
                             {"B1-01", "B1", 1, "5000", v1::UNIT_PURPOSE_BONDED_WAREHOUSE},
                             {"B1-02", "B1", 1, "5000", v1::UNIT_PURPOSE_BONDED_WAREHOUSE},
                             {"S1-01", "S1", 1, "650", v1::UNIT_PURPOSE_SHOWROOM},
                             {"P1-01", "P1", 1, "900", v1::UNIT_PURPOSE_PUBLIC}}) {
    units.push_back(u);
  }
  int ok = 0;
  for (const UnitSpec& u : units) {
    v1::DefineUnitRequest request;
    request.mutable_unit()->set_unit_id(u.id);
    request.mutable_unit()->set_building(u.building);
    request.mutable_unit()->set_floor(u.floor);
    request.mutable_unit()->set_leasable_area_m2(u.area);
    request.mutable_unit()->set_purpose(u.purpose);
    v1::Unit response;
    ok += Try("DefineUnit",
              [&](grpc::ClientContext* c) { return stub->DefineUnit(c, request, &response); });
  }
  using R = v1::EnterpriseRole;
  std::vector<DemoEnterprise> enterprises = {
      {"Hangzhou Silk Road Platform Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_PLATFORM}, "A1-0201"},
      {"Westlake Global Trading Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A1-0202"},
      {"Qiantang Home Goods Export Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A1-0203"},
      {"Zhejiang Tea Online Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A1-0204"},
      {"Binjiang Electronics Cross-border Co.",
       {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE},
       "A1-0301"},
      {"Xiaoshan Apparel Direct Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A1-0302"},
      {"Yuhang Toys Worldwide Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A1-0303"},
      {"Grand Canal Beauty Import Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A1-0304"},
      {"Linping Maternal Goods Import Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A2-0101"},
      {"Fuyang Sports Export Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A2-0102"},
      {"Tonglu Pet Supplies Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A2-0201"},
      {"Jiande Health Foods Co.", {R::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE}, "A2-0202"},
      {"Park Express Logistics Co.",
       {R::ENTERPRISE_ROLE_LOGISTICS, R::ENTERPRISE_ROLE_WAREHOUSE_OPERATOR},
       "W1-01"},
      {"Eastport Supply Chain Co.", {R::ENTERPRISE_ROLE_LOGISTICS}, "W1-02"},
      {"Bonded Hub Warehousing Co.", {R::ENTERPRISE_ROLE_WAREHOUSE_OPERATOR}, "B1-01"},
      {"Zhejiang Customs Brokerage Co.", {R::ENTERPRISE_ROLE_CUSTOMS_BROKER}, ""},
      {"Park Pay Payment Services Co.", {R::ENTERPRISE_ROLE_PAYMENT}, ""},
      {"Cross-border Services Center Co.", {R::ENTERPRISE_ROLE_SERVICE_PROVIDER}, "S1-01"},
      // The providers of the support service's directory (6.4, 6.6, 6.7): a bank's park branch
      // and a law and IP firm, neither leasing a unit.
      {"Qiantang Bank Park Branch", {R::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION}, ""},
      {"Westlake IP & Law Partners", {R::ENTERPRISE_ROLE_SERVICE_PROVIDER}, ""},
  };
  int year = absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year();
  for (size_t i = 0; i < enterprises.size(); ++i) {
    const DemoEnterprise& d = enterprises[i];
    v1::AdmitEnterpriseRequest request;
    v1::Enterprise* e = request.mutable_enterprise();
    e->set_uscc(DemoUscc(static_cast<int>(i) + 1));
    e->set_customs_code(absl::StrFormat("33019600%02d", static_cast<int>(i) + 1));
    e->set_name(d.name);
    for (R role : d.roles) e->add_roles(role);
    if (*d.unit) e->add_unit_ids(d.unit);
    e->mutable_move_in_date()->set_year(2023 + static_cast<int>(i % 3));
    e->mutable_move_in_date()->set_month(1 + static_cast<int>(i % 12));
    e->mutable_move_in_date()->set_day(1);
    v1::Enterprise response;
    ok += Try("AdmitEnterprise",
              [&](grpc::ClientContext* c) { return stub->AdmitEnterprise(c, request, &response); });

    v1::RecordTalentRequest talent;
    talent.mutable_talent()->set_uscc(e->uscc());
    talent.mutable_talent()->set_year(year);
    talent.mutable_talent()->set_employees(20 + 7 * static_cast<int>(i));
    talent.mutable_talent()->set_cross_border_staff(10 + 5 * static_cast<int>(i));
    talent.mutable_talent()->set_trained_staff(5 + 2 * static_cast<int>(i));
    v1::TalentFigures talent_response;
    ok += Try("RecordTalent", [&](grpc::ClientContext* c) {
      return stub->RecordTalent(c, talent, &talent_response);
    });

    if (i % 3 == 0) {
      v1::RecordIpAssetRequest asset;
      asset.mutable_asset()->set_uscc(e->uscc());
      asset.mutable_asset()->set_kind(i % 2 ? v1::IP_ASSET_KIND_PATENT
                                            : v1::IP_ASSET_KIND_TRADEMARK);
      asset.mutable_asset()->set_registration_no(absl::StrFormat("DEMO-%06d", static_cast<int>(i)));
      asset.mutable_asset()->set_title(std::string(d.name) + " brand");
      asset.mutable_asset()->mutable_granted_date()->set_year(2022);
      asset.mutable_asset()->mutable_granted_date()->set_month(6);
      asset.mutable_asset()->mutable_granted_date()->set_day(1);
      v1::IpAsset asset_response;
      ok += Try("RecordIpAsset", [&](grpc::ClientContext* c) {
        return stub->RecordIpAsset(c, asset, &asset_response);
      });
    }
  }
  std::printf("demo park loaded: %zu units, %zu enterprises (%d calls accepted)\n", units.size(),
              enterprises.size(), ok);
  return 0;
}

// Twenty import orders of the demo platform (enterprise 1), sold by enterprise 2, paid through the
// payment company (17), carried by Park Express (13); each with its payment and waybill.
int DemoDeclarations(const std::string& address) {
  namespace dv1 = parkline::declarations::v1;
  auto stub = dv1::DeclarationService::NewStub(Connect(address));
  parkline::samples::ImportCodes codes{"3301960001", "3301960002", "3301960017", "3301960013"};
  int matched = 0;
  for (int n = 1; n <= 20; ++n) {
    auto set = parkline::samples::MakeImportSet(n, codes);
    dv1::DocumentReceipt receipt;
    // The declarations service learns the residents from the registry's events: until it has,
    // it refuses their documents (INVALID_ARGUMENT); wait for it, a little.
    for (int attempt = 0; attempt < 100; ++attempt) {
      dv1::SubmitOrderRequest order;
      *order.mutable_order() = set.order;
      grpc::ClientContext ctx;
      Authorize(&ctx);
      grpc::Status s = stub->SubmitOrder(&ctx, order, &receipt);
      if (s.error_code() != grpc::StatusCode::INVALID_ARGUMENT) break;
      if (attempt == 99) std::fprintf(stderr, "SubmitOrder: %s\n", s.error_message().c_str());
      absl::SleepFor(absl::Milliseconds(200));
    }
    dv1::SubmitPaymentRequest payment;
    *payment.mutable_payment() = set.payment;
    Try("SubmitPayment",
        [&](grpc::ClientContext* c) { return stub->SubmitPayment(c, payment, &receipt); });
    dv1::SubmitWaybillRequest waybill;
    *waybill.mutable_waybill() = set.waybill;
    if (Try("SubmitWaybill",
            [&](grpc::ClientContext* c) { return stub->SubmitWaybill(c, waybill, &receipt); }) &&
        receipt.declaration_status() == dv1::DECLARATION_STATUS_MATCHED) {
      ++matched;
    }
  }
  std::printf("demo declarations: %d of 20 matched\n", matched);
  return 0;
}

// Six complaints on different channels and categories: three closed with the complainant's
// satisfaction, one answered, one assigned, one just received. Every filing and step carries a
// request_id of its own, so a second run retries them: OK, and nothing changes. (A step an older
// run took without a key is FAILED_PRECONDITION now, and is skipped.)
int DemoComplaints(const std::string& address) {
  namespace cv1 = parkline::complaints::v1;
  auto stub = cv1::ComplaintService::NewStub(Connect(address));
  struct Demo {
    cv1::Category category;
    cv1::Channel channel;
    const char* description;
    int steps;  // how far along the workflow: 0 received ... 5 closed
  };
  const std::vector<Demo> demos = {
      {cv1::CATEGORY_FACILITIES, cv1::CHANNEL_PHONE, "The lift in building 3 is out of order.", 5},
      {cv1::CATEGORY_LOGISTICS, cv1::CHANNEL_WEB, "Parcels left in the rain at loading bay 2.", 5},
      {cv1::CATEGORY_FEES, cv1::CHANNEL_WECHAT, "The water bill counts March twice.", 5},
      {cv1::CATEGORY_CLEARANCE, cv1::CHANNEL_VISIT, "Customs inspection slots are booked out.", 4},
      {cv1::CATEGORY_PROPERTY, cv1::CHANNEL_QUESTIONNAIRE, "Cleaning of the shared kitchen.", 2},
      {cv1::CATEGORY_SERVICE_ATTITUDE, cv1::CHANNEL_PHONE, "Rude answer at the front desk.", 0},
  };
  int filed = 0;
  for (size_t i = 0; i < demos.size(); ++i) {
    const Demo& d = demos[i];
    cv1::FileComplaintRequest file;
    file.set_request_id(absl::StrCat("demo-complaint-", i + 1));
    file.mutable_complainant()->set_kind(cv1::PARTY_KIND_PUBLIC);
    file.mutable_complainant()->mutable_contact()->set_phone(absl::StrCat("+86-571-0000-000", i));
    file.mutable_target()->set_kind(cv1::PARTY_KIND_PARK_OPERATOR);
    file.set_category(d.category);
    file.set_channel(d.channel);
    file.set_description(d.description);
    cv1::Complaint c;
    if (!Try("FileComplaint",
             [&](grpc::ClientContext* ctx) { return stub->FileComplaint(ctx, file, &c); })) {
      continue;
    }
    ++filed;
    auto key = [&](const char* what) { return absl::StrCat(file.request_id(), "-", what); };
    cv1::TransitionRequest ack;
    ack.set_complaint_id(c.complaint_id());
    ack.set_request_id(key("acknowledge"));
    cv1::Complaint out;
    if (d.steps >= 1)
      Step("Acknowledge", [&](auto* x) { return stub->AcknowledgeComplaint(x, ack, &out); });
    cv1::AssignComplaintRequest assign;
    assign.set_complaint_id(c.complaint_id());
    assign.set_request_id(key("assign"));
    if (d.steps >= 2)
      Step("Assign", [&](auto* x) { return stub->AssignComplaint(x, assign, &out); });
    cv1::TransitionRequest investigate;
    investigate.set_complaint_id(c.complaint_id());
    investigate.set_request_id(key("investigate"));
    if (d.steps >= 3)
      Step("Investigate", [&](auto* x) { return stub->StartInvestigation(x, investigate, &out); });
    cv1::RespondRequest respond;
    respond.set_complaint_id(c.complaint_id());
    respond.set_request_id(key("respond"));
    respond.set_response("Fixed; thank you for telling us.");
    if (d.steps >= 4)
      Step("Respond", [&](auto* x) { return stub->RespondToComplaint(x, respond, &out); });
    cv1::CloseComplaintRequest close;
    close.set_complaint_id(c.complaint_id());
    close.set_request_id(key("close"));
    close.set_satisfaction(5 - static_cast<int>(i));
    if (d.steps >= 5) Step("Close", [&](auto* x) { return stub->CloseComplaint(x, close, &out); });
  }
  std::printf("demo complaints: %d of %zu filed\n", filed, demos.size());
  return filed == static_cast<int>(demos.size()) ? 0 : 1;
}

// The support service's demo season (GB/T 39678-2020 6.4-6.9.2): activities of every kind over
// the last five months and the next one, the demo residents' registrations (the past ones
// recorded by the park from the sign-in sheets) with attendance confirmed, one activity called
// off; offerings from the demo providers in every category (one withdrawn); requests in every
// category routed, answered and rated, one re-routed, one just filed and one given a single
// working day and left unanswered, which supervision marks overdue once that day has passed (the
// service keeps real time: nothing here is back-dated).
//
// The season is anchored to the park day of its first load: a later run finds the first activity
// and derives the same times from it, so every request is the same request again (the service
// answers what it stored; a step already taken is FAILED_PRECONDITION, and skipped).
namespace support_demo {

namespace sv1 = parkline::support::v1;

constexpr char kOrganiser[] = "Park service centre";
const absl::TimeZone kPark = absl::FixedTimeZone(8 * 3600);

struct Activity {
  sv1::ActivityKind kind;
  const char* title;
  int day;   // from the anchor (the park day of the first load)
  int hour;  // park time
  int hours;
  const char* place;  // or an https:// address
  int capacity;
  const char* partner;
  std::vector<std::pair<int, int>> registrations;  // demo enterprise, seats
  const char* cancel_reason;                       // non-empty: called off
};

const std::vector<Activity>& Season() {
  static const auto* season = new std::vector<Activity>{
      {sv1::ACTIVITY_KIND_RECRUITMENT_FAIR,
       "Spring cross-border talent fair",
       -150,
       9,
       6,
       "P1-01 Public hall",
       200,
       "Hangzhou Talent Service Center (HR intermediary)",
       {{2, 4}, {3, 3}, {4, 2}, {5, 3}, {6, 2}, {7, 4}, {8, 2}, {9, 3}},
       ""},
      {sv1::ACTIVITY_KIND_TEAM_ACTIVITY,
       "Park dragon-boat team day",
       -120,
       8,
       8,
       "Qiantang river, Binjiang pier",
       120,
       "Hangzhou Talent Service Center (HR intermediary)",
       {{2, 12}, {5, 10}, {10, 8}, {13, 15}},
       ""},
      {sv1::ACTIVITY_KIND_SPECIAL_TRAINING,
       "Export compliance for 9610 parcels",
       -90,
       14,
       3,
       "https://meet.parkline.example/compliance-9610",
       80,
       "Zhejiang Customs Brokerage Co.",
       {{2, 3}, {3, 2}, {4, 2}, {6, 3}, {11, 2}, {12, 1}},
       ""},
      {sv1::ACTIVITY_KIND_PRACTICAL_TRAINING,
       "Hands-on: declarations in the single window",
       -60,
       9,
       7,
       "A1 training room 3",
       30,
       "Hangzhou Cross-border E-commerce Academy",
       {{2, 4}, {3, 4}, {7, 3}, {8, 4}, {9, 2}},
       ""},
      {sv1::ACTIVITY_KIND_FOUNDERS_CLUB,
       "Founders' evening: the first export year",
       -45,
       19,
       2,
       "S1-01 Showroom lounge",
       40,
       "",
       {{6, 1}, {10, 2}, {11, 1}, {12, 1}},
       ""},
      {sv1::ACTIVITY_KIND_MATCHMAKING,
       "Sellers meet overseas-warehouse operators",
       -30,
       14,
       3,
       "P1-01 Public hall",
       60,
       "Park Express Logistics Co.",
       {{3, 2}, {4, 2}, {7, 2}, {9, 1}},
       ""},
      {sv1::ACTIVITY_KIND_ROADSHOW,
       "Roadshow: seed funding for cross-border start-ups",
       -14,
       14,
       4,
       "P1-01 Public hall",
       100,
       "Qiantang Angel Investors",
       {{6, 2}, {10, 2}, {11, 3}},
       ""},
      {sv1::ACTIVITY_KIND_SPECIAL_TRAINING,
       "FX settlement and hedging for sellers",
       10,
       14,
       3,
       "A1 training room 3",
       5,
       "Qiantang Bank Park Branch",
       {{2, 2}, {3, 2}, {4, 2}},
       ""},
      {sv1::ACTIVITY_KIND_ROADSHOW,
       "Roadshow: Southeast Asia market entry",
       20,
       14,
       3,
       "P1-01 Public hall",
       80,
       "Cross-border Services Center Co.",
       {{5, 2}, {8, 2}},
       "The overseas speakers' visas were not issued in time; a new date follows."},
      {sv1::ACTIVITY_KIND_RECRUITMENT_FAIR,
       "Autumn cross-border talent fair",
       30,
       9,
       6,
       "P1-01 Public hall",
       200,
       "Hangzhou Talent Service Center (HR intermediary)",
       {{2, 3}, {4, 2}, {12, 2}},
       ""},
  };
  return *season;
}

absl::Time StartOf(absl::Time anchor, const Activity& a) {
  return anchor + absl::Hours(24 * a.day + a.hour);
}

google::protobuf::Timestamp Stamp(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

// Counts the calls that failed for another reason than a step already taken.
struct Tally {
  int failed = 0;
  template <typename Call>
  bool operator()(const char* what, Call call) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    Authorize(&ctx);
    grpc::Status s = call(&ctx);
    if (s.ok()) return true;
    if (s.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
      std::fprintf(stderr, "%s: %s\n", what, s.error_message().c_str());
      ++failed;
    }
    return false;
  }
};

// The park day of the first load, from the season's first activity when it is there.
absl::Time Anchor(sv1::SupportService::Stub& stub) {
  const Activity& first = Season().front();
  sv1::ListActivitiesRequest list;
  list.set_page_size(500);
  sv1::ListActivitiesResponse activities;
  grpc::ClientContext ctx;
  Authorize(&ctx);
  if (stub.ListActivities(&ctx, list, &activities).ok()) {
    for (const auto& a : activities.activities()) {
      if (a.title() == first.title && a.organiser() == kOrganiser) {
        return absl::FromUnixSeconds(a.starts_time().seconds()) -
               absl::Hours(24 * first.day + first.hour);
      }
    }
  }
  return absl::FromCivil(absl::ToCivilDay(absl::Now(), kPark), kPark);
}

// The support service knows the residents and their roles from the registry's events: until
// they arrived it answers NOT_RESIDENT / NOT_PROVIDER. Waits for the last demo provider, a little.
bool WaitForResidents(sv1::SupportService::Stub& stub, const sv1::PublishOfferingRequest& probe,
                      sv1::Offering* out) {
  for (int attempt = 0; attempt < 150; ++attempt) {
    grpc::ClientContext ctx;
    Authorize(&ctx);
    grpc::Status s = stub.PublishOffering(&ctx, probe, out);
    if (s.ok()) return true;
    if (s.error_code() != grpc::StatusCode::FAILED_PRECONDITION || attempt == 149) {
      std::fprintf(stderr, "PublishOffering: %s\n", s.error_message().c_str());
      return false;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

struct Offer {
  int provider;
  sv1::ServiceCategory category;
  const char* title;
  const char* description;
  bool withdrawn;
};

struct Ask {
  int enterprise;
  sv1::ServiceCategory category;
  int offer;  // index into the offers, or -1 for the category
  const char* description;
  int provider;        // 0: the offering's
  int days;            // 0: left filed
  int reroute_to;      // 0: not re-routed
  const char* answer;  // empty: left unanswered
  int rating;          // 0: not rated
};

int Load(const std::string& address) {
  auto stub = sv1::SupportService::NewStub(Connect(address));
  Tally call;
  // Offerings (6.4 finance, 6.5.3 logistics solutions, 6.6 technology and IP, 6.7 legal) from
  // the demo providers: the bank (19), Park Express (13), Eastport (14), the services center (18),
  // the law and IP firm (20).
  const std::vector<Offer> offers = {
      {19, sv1::SERVICE_CATEGORY_FINANCE, "Cross-border settlement and FX accounts",
       "Multi-currency accounts, weekly settlement of platform receipts, FX at the day's rate.",
       false},
      {19, sv1::SERVICE_CATEGORY_FINANCE, "Supply-chain credit against bonded stock",
       "Revolving credit secured on goods in the park's bonded warehouses.", false},
      {13, sv1::SERVICE_CATEGORY_LOGISTICS_SOLUTIONS, "Overseas warehouses in Europe",
       "Warehousing, fulfilment and returns in Rotterdam and Frankfurt.", false},
      {14, sv1::SERVICE_CATEGORY_LOGISTICS_SOLUTIONS, "LCL consolidation to North America",
       "Weekly consolidated sea freight with unified purchasing of transport.", false},
      {18, sv1::SERVICE_CATEGORY_TECHNOLOGY_IP, "Market-access certification (CE, FCC)",
       "Testing and certification for electronics sold abroad.", false},
      {20, sv1::SERVICE_CATEGORY_TECHNOLOGY_IP, "Trademark registration abroad",
       "Madrid-system filings and watch services.", false},
      {20, sv1::SERVICE_CATEGORY_LEGAL, "Cross-border contract and dispute counsel",
       "Contracts with overseas buyers and platforms; dispute resolution.", false},
      {18, sv1::SERVICE_CATEGORY_LEGAL, "Compliance review pilot",
       "A pilot of platform-policy compliance reviews, closed after the trial.", true},
  };
  std::vector<std::string> offering_ids(offers.size());
  for (size_t i = 0; i < offers.size(); ++i) {
    const Offer& o = offers[i];
    sv1::PublishOfferingRequest p;
    p.set_request_id(absl::StrCat("demo-offering-", i + 1));
    p.set_provider_uscc(DemoUscc(o.provider));
    p.set_category(o.category);
    p.set_title(o.title);
    p.set_description(o.description);
    sv1::Offering out;
    bool published = i == 0 ? WaitForResidents(*stub, p, &out)
                            : call("PublishOffering", [&](grpc::ClientContext* c) {
                                return stub->PublishOffering(c, p, &out);
                              });
    if (!published) {
      if (i == 0) return 1;  // the support service has not learned the residents: stop here
      continue;
    }
    offering_ids[i] = out.offering_id();
    if (o.withdrawn) {
      sv1::WithdrawOfferingRequest w;
      w.set_offering_id(out.offering_id());
      w.set_provider_uscc(DemoUscc(o.provider));
      call("WithdrawOffering",
           [&](grpc::ClientContext* c) { return stub->WithdrawOffering(c, w, &out); });
    }
  }

  absl::Time anchor = Anchor(*stub);
  absl::Time now = absl::Now();
  int scheduled = 0, registered = 0, confirmed = 0;
  for (size_t i = 0; i < Season().size(); ++i) {
    const Activity& a = Season()[i];
    sv1::ScheduleActivityRequest s;
    s.set_request_id(absl::StrCat("demo-activity-", i + 1));
    s.set_kind(a.kind);
    s.set_title(a.title);
    absl::Time starts = StartOf(anchor, a), ends = starts + absl::Hours(a.hours);
    *s.mutable_starts_time() = Stamp(starts);
    *s.mutable_ends_time() = Stamp(ends);
    (absl::StartsWith(a.place, "https://") ? s.mutable_online_url() : s.mutable_place())
        ->assign(a.place);
    s.set_organiser(kOrganiser);
    s.set_capacity(a.capacity);
    s.set_partner_organisation(a.partner);
    sv1::Activity activity;
    if (!call("ScheduleActivity",
              [&](grpc::ClientContext* c) { return stub->ScheduleActivity(c, s, &activity); })) {
      continue;
    }
    ++scheduled;
    for (const auto& [enterprise, seats] : a.registrations) {
      sv1::RegisterAttendeesRequest r;
      r.set_request_id(absl::StrCat("demo-activity-", i + 1, "-enterprise-", enterprise));
      r.set_activity_id(activity.activity_id());
      r.set_enterprise_uscc(DemoUscc(enterprise));
      r.set_head_count(seats);
      sv1::Registration registration;
      if (!call("RegisterAttendees", [&](grpc::ClientContext* c) {
            return stub->RegisterAttendees(c, r, &registration);
          })) {
        continue;
      }
      ++registered;
      // After the event: most came; every third enterprise one short.
      if (ends <= now && registration.status() != sv1::REGISTRATION_STATUS_CANCELLED) {
        sv1::ConfirmAttendanceRequest c;
        c.set_registration_id(registration.registration_id());
        c.set_attended(enterprise % 3 == 0 ? seats - 1 : seats);
        confirmed += call("ConfirmAttendance", [&](grpc::ClientContext* ctx) {
          return stub->ConfirmAttendance(ctx, c, &registration);
        });
      }
    }
    if (*a.cancel_reason) {
      sv1::CancelActivityRequest c;
      c.set_activity_id(activity.activity_id());
      c.set_reason(a.cancel_reason);
      call("CancelActivity",
           [&](grpc::ClientContext* ctx) { return stub->CancelActivity(ctx, c, &activity); });
    }
  }

  // Requests in every category, along the workflow.
  const std::vector<Ask> asks = {
      {2, sv1::SERVICE_CATEGORY_FINANCE, 1, "Credit for Q3 stock against our bonded goods.", 0, 5,
       0, "Approved: a revolving line of 2M CNY against the bonded stock.", 5},
      {5, sv1::SERVICE_CATEGORY_FINANCE, -1, "Advice on hedging our USD receipts.", 19, 3, 0,
       "A forward contract per quarter fits your volumes; terms attached.", 0},
      {3, sv1::SERVICE_CATEGORY_LOGISTICS_SOLUTIONS, 2, "Fulfilment for 2,000 SKUs in Germany.", 0,
       5, 0, "Rotterdam can take them from next month; quotation attached.", 4},
      {7, sv1::SERVICE_CATEGORY_LOGISTICS_SOLUTIONS, -1, "Consolidated freight to Canada monthly.",
       14, 1, 0, "", 0},
      {4, sv1::SERVICE_CATEGORY_TECHNOLOGY_IP, 5, "Register our brand in the EU and the UK.", 0, 5,
       0, "Filed through the Madrid system; receipts attached.", 3},
      {8, sv1::SERVICE_CATEGORY_TECHNOLOGY_IP, -1, "CE marking for a new line of chargers.", 18, 10,
       20, "Test plan agreed; the lab books the chargers next week.", 4},
      {6, sv1::SERVICE_CATEGORY_LEGAL, 6, "Review our distribution contract with a US buyer.", 0, 5,
       0, "Reviewed: three clauses to renegotiate, notes attached.", 5},
      {9, sv1::SERVICE_CATEGORY_LEGAL, -1, "A platform froze our store: what can we do?", 0, 0, 0,
       "", 0},
  };
  int filed = 0, answered = 0;
  for (size_t i = 0; i < asks.size(); ++i) {
    const Ask& k = asks[i];
    sv1::FileServiceRequestRequest f;
    f.set_request_id(absl::StrCat("demo-request-", i + 1));
    f.set_enterprise_uscc(DemoUscc(k.enterprise));
    f.set_category(k.category);
    if (k.offer >= 0) f.set_offering_id(offering_ids[k.offer]);
    f.set_description(k.description);
    sv1::ServiceRequest req;
    if (!call("FileServiceRequest",
              [&](grpc::ClientContext* c) { return stub->FileServiceRequest(c, f, &req); })) {
      continue;
    }
    ++filed;
    sv1::ServiceRequest out;
    if (k.days > 0) {
      sv1::RouteServiceRequestRequest r;
      r.set_service_request_id(req.service_request_id());
      if (k.provider) r.set_provider_uscc(DemoUscc(k.provider));
      r.set_response_working_days(k.days);
      call("RouteServiceRequest",
           [&](grpc::ClientContext* c) { return stub->RouteServiceRequest(c, r, &out); });
    }
    if (k.reroute_to) {
      sv1::RerouteServiceRequestRequest r;
      r.set_service_request_id(req.service_request_id());
      r.set_provider_uscc(DemoUscc(k.reroute_to));
      r.set_reason("The services center's lab is booked out; the IP firm's partner lab takes it.");
      call("RerouteServiceRequest",
           [&](grpc::ClientContext* c) { return stub->RerouteServiceRequest(c, r, &out); });
    }
    int holder = k.reroute_to ? k.reroute_to : k.provider ? k.provider : offers[k.offer].provider;
    if (*k.answer) {
      sv1::AnswerServiceRequestRequest a;
      a.set_service_request_id(req.service_request_id());
      a.set_provider_uscc(DemoUscc(holder));
      a.set_answer(k.answer);
      answered += call("AnswerServiceRequest", [&](grpc::ClientContext* c) {
        return stub->AnswerServiceRequest(c, a, &out);
      });
    }
    if (k.rating) {
      sv1::RateServiceRequestRequest r;
      r.set_service_request_id(req.service_request_id());
      r.set_enterprise_uscc(DemoUscc(k.enterprise));
      r.set_rating(k.rating);
      call("RateServiceRequest",
           [&](grpc::ClientContext* c) { return stub->RateServiceRequest(c, r, &out); });
    }
  }
  std::printf(
      "demo support: %d activities (one cancelled), %d registrations, %d attendances confirmed "
      "now; %zu offerings (one withdrawn); %d requests (%d answered now; one left with a single "
      "working day, overdue once it passes)\n",
      scheduled, registered, confirmed, offers.size(), filed, answered);
  return call.failed == 0 ? 0 : 1;
}

}  // namespace support_demo

// This half-year's incubator cohort (6.9.1), "2026-H2": four founding teams and the demo park's
// third enterprise, each with a mentor and a plan. Tea Leaf Labs launches, exports and graduates;
// Blue Kiln raises funding; the resident creates jobs; Harbour Pixel leaves; Loom & Thread has
// just begun. Every admission and milestone has a request_id of its own (the cohort in it), so a
// second run changes nothing; a graduation or leaving taken already is FAILED_PRECONDITION and
// skipped. The resident is admitted once support's residents projection knows it (it follows
// the registry's events): tried for up to 15 s, then left out with a note.
int DemoIncubation(const std::string& address) {
  namespace sv1 = parkline::support::v1;
  auto stub = sv1::SupportService::NewStub(Connect(address));
  absl::TimeZone park = absl::FixedTimeZone(8 * 3600);
  absl::CivilDay today = absl::ToCivilDay(absl::Now(), park);
  std::string cohort = absl::StrCat(today.year(), today.month() <= 6 ? "-H1" : "-H2");
  struct Applicant {
    const char* team;  // nullptr: the demo park's third enterprise
    int founders;
    const char* mentor;
    const char* plan;
    std::vector<sv1::MilestoneKind> milestones;
    const char* ending;  // "graduate", "leave" or nullptr
  };
  const std::vector<Applicant> applicants = {
      {"Tea Leaf Labs",
       3,
       "Chen Rui",
       "Fujian white tea to Southeast Asia through 9610.",
       {sv1::MILESTONE_KIND_PRODUCT_LAUNCHED, sv1::MILESTONE_KIND_FIRST_EXPORT},
       "graduate"},
      {"Blue Kiln Ceramics",
       2,
       "Lin Yue",
       "Own-brand tea sets on a Malaysian platform.",
       {sv1::MILESTONE_KIND_FUNDING_RAISED},
       nullptr},
      {"Harbour Pixel", 4, "Wu Hao", "Phone accessories for Latin America.", {}, "leave"},
      {"Loom & Thread", 2, "Zhao Min", "Silk scarves for European boutiques.", {}, nullptr},
      {nullptr,
       0,
       "Chen Rui",
       "A second brand for the Middle East through 9710.",
       {sv1::MILESTONE_KIND_JOBS_CREATED},
       nullptr},
  };
  int admitted = 0;
  for (size_t i = 0; i < applicants.size(); ++i) {
    const Applicant& a = applicants[i];
    sv1::AdmitIncubateeRequest admit;
    admit.set_request_id(absl::StrCat("demo-incubation-", cohort, "-", i + 1));
    admit.set_cohort(cohort);
    if (a.team != nullptr) {
      admit.mutable_team()->set_name(a.team);
      admit.mutable_team()->set_founders(a.founders);
      admit.mutable_team()->set_contact_role("CEO");
    } else {
      admit.set_enterprise_uscc(DemoUscc(3));
    }
    admit.mutable_mentor()->set_name(a.mentor);
    admit.mutable_mentor()->set_organisation("Park Founders' Mentors Network");
    admit.mutable_plan()->set_summary(a.plan);
    admit.mutable_plan()->add_goals("First export order within six months");
    sv1::Incubatee incubatee;
    grpc::Status s;
    for (absl::Time give_up = absl::Now() + absl::Seconds(15);;) {
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      Authorize(&ctx);
      s = stub->AdmitIncubatee(&ctx, admit, &incubatee);
      bool not_yet = s.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
                     absl::StrContains(s.error_message(), "NOT_RESIDENT");
      if (!not_yet || absl::Now() > give_up) break;
      absl::SleepFor(absl::Seconds(1));
    }
    if (!s.ok()) {
      std::fprintf(stderr, "AdmitIncubatee %s: %s\n", a.team ? a.team : DemoUscc(3).c_str(),
                   s.error_message().c_str());
      continue;
    }
    ++admitted;
    for (size_t m = 0; m < a.milestones.size(); ++m) {
      sv1::RecordMilestoneRequest r;
      r.set_request_id(absl::StrCat(admit.request_id(), "-milestone-", m + 1));
      r.set_incubatee_id(incubatee.incubatee_id());
      r.set_kind(a.milestones[m]);
      r.mutable_date()->set_year(static_cast<int32_t>(today.year()));
      r.mutable_date()->set_month(today.month());
      r.mutable_date()->set_day(today.day());
      r.set_evidence_ref(absl::StrCat("DEMO-EVIDENCE-", i + 1, "-", m + 1));
      if (a.milestones[m] == sv1::MILESTONE_KIND_FUNDING_RAISED) {
        r.set_amount("800000.00");
        r.set_currency("CNY");
      }
      if (a.milestones[m] == sv1::MILESTONE_KIND_JOBS_CREATED) r.set_jobs(6);
      Step("RecordMilestone", [&](auto* ctx) { return stub->RecordMilestone(ctx, r, &incubatee); });
    }
    if (a.ending != nullptr && std::strcmp(a.ending, "graduate") == 0) {
      sv1::GraduateIncubateeRequest g;
      g.set_incubatee_id(incubatee.incubatee_id());
      Step("GraduateIncubatee",
           [&](auto* ctx) { return stub->GraduateIncubatee(ctx, g, &incubatee); });
    } else if (a.ending != nullptr) {
      sv1::RecordIncubateeLeftRequest l;
      l.set_incubatee_id(incubatee.incubatee_id());
      l.set_reason("The founders returned to employment.");
      Step("RecordIncubateeLeft",
           [&](auto* ctx) { return stub->RecordIncubateeLeft(ctx, l, &incubatee); });
    }
  }
  sv1::GetCohortFiguresRequest request;
  request.set_cohort(cohort);
  sv1::CohortFigures figures;
  if (!Try("GetCohortFigures", [&](grpc::ClientContext* ctx) {
        return stub->GetCohortFigures(ctx, request, &figures);
      })) {
    return 1;
  }
  std::printf("demo incubation: cohort %s, %d admitted, %d active, %d graduated, %d left\n",
              cohort.c_str(), figures.admitted(), figures.active(), figures.graduated(),
              figures.left());
  // The four teams at least: the resident depends on the registry's events having arrived.
  return admitted >= 4 ? 0 : 1;
}

std::string LabelsOf(const parkline::statistics::v1::IndicatorValue& v) {
  std::map<std::string, std::string> sorted(v.labels().begin(), v.labels().end());
  std::string out;
  for (const auto& [k, value] : sorted)
    absl::StrAppend(&out, out.empty() ? "" : ",", k, "=", value);
  return out.empty() ? "" : "{" + out + "}";
}

int Overview(const std::string& address) {
  namespace sv1 = parkline::statistics::v1;
  auto stub = sv1::StatisticsService::NewStub(Connect(address));
  grpc::ClientContext ctx;
  Authorize(&ctx);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  sv1::Overview overview;
  grpc::Status status = stub->GetOverview(&ctx, sv1::GetOverviewRequest(), &overview);
  if (!status.ok()) {
    std::fprintf(stderr, "overview: %s\n", status.error_message().c_str());
    return 1;
  }
  std::printf("Park indicators on %04d-%02d-%02d (%s)\n", overview.today().year(),
              overview.today().month(), overview.today().day(), overview.time_zone().c_str());
  for (const auto& v : overview.current()) {
    std::printf("  %-52s %16s %s\n", (v.indicator() + LabelsOf(v)).c_str(), v.value().c_str(),
                v.unit().c_str());
  }
  for (const auto& totals : overview.totals()) {
    if (totals.name() == "today") continue;
    std::printf("%s\n", totals.name().c_str());
    for (const auto& v : totals.values()) {
      if (absl::EndsWith(v.indicator(), "_bucket")) continue;
      std::printf("  %-52s %16s %s\n", (v.indicator() + LabelsOf(v)).c_str(), v.value().c_str(),
                  v.unit().c_str());
    }
  }
  // The score is the quality service's assessment result (7.2.3), not the statistics'.
  std::printf("service score: parkctl demo-assessment, or %s\n",
              overview.score().authoritative_score().c_str());
  return 0;
}

// The clearance cases the demo declarations opened (through Kafka, so they may take a moment):
// each completed by its agent and submitted; the clearance service's customs simulator answers.
int DemoClearance(const std::string& address) {
  namespace cv1 = parkline::clearance::v1;
  auto stub = cv1::ClearanceService::NewStub(Connect(address));
  int submitted = 0, seen = 0;
  for (int attempt = 0; attempt < 50 && seen < 20; ++attempt) {
    cv1::ListCasesRequest list;
    list.set_enterprise_code("3301960002");
    list.mutable_page()->set_page_size(100);
    cv1::ListCasesResponse cases;
    if (!Try("ListCases",
             [&](grpc::ClientContext* c) { return stub->ListCases(c, list, &cases); })) {
      return 1;
    }
    seen = cases.cases_size();
    for (const auto& c : cases.cases()) {
      if (c.has_submit_time()) continue;
      cv1::SubmitCaseRequest submit;
      submit.set_case_id(c.case_id());
      *submit.mutable_inventory() =
          parkline::clearance::CompleteDraft(c.inventory(), c.direction(), submitted + 1);
      cv1::ClearanceCase out;
      submitted += Try("SubmitCase", [&](grpc::ClientContext* ctx) {
        return stub->SubmitCase(ctx, submit, &out);
      });
    }
    if (seen < 20) absl::SleepFor(absl::Milliseconds(200));
  }
  std::printf("demo clearance: %d cases, %d submitted now (customs simulator answers)\n", seen,
              submitted);
  return 0;
}

// The twenty demo waybills' shipments (made by logistics from declarations' events) tracked by
// Park Express: picked up and in transit, and all but every fourth delivered. The times are
// counted from each shipment's creation, so that a second run reports the same events (stored
// once) rather than new ones.
int DemoLogistics(const std::string& address) {
  namespace lv1 = parkline::logistics::v1;
  auto stub = lv1::LogisticsService::NewStub(Connect(address));
  parkline::samples::ImportCodes codes{"3301960001", "3301960002", "3301960017", "3301960013"};
  int tracked = 0;
  for (int n = 1; n <= 20; ++n) {
    lv1::GetShipmentRequest get;
    get.mutable_key()->set_carrier_code(codes.logistics);
    get.mutable_key()->set_waybill_no(
        parkline::samples::MakeImportSet(n, codes).waybill.logistics_no());
    // The shipment exists once logistics has read the waybill's event: wait for it, a little.
    lv1::Shipment shipment;
    grpc::Status found;
    for (int attempt = 0; attempt < 100; ++attempt) {
      grpc::ClientContext ctx;
      Authorize(&ctx);
      found = stub->GetShipment(&ctx, get, &shipment);
      if (found.error_code() != grpc::StatusCode::NOT_FOUND) break;
      absl::SleepFor(absl::Milliseconds(200));
    }
    if (!found.ok()) {
      std::fprintf(stderr, "GetShipment: %s\n", found.error_message().c_str());
      continue;
    }
    lv1::ReportTrackingEventsRequest report;
    report.set_carrier_code(codes.logistics);
    std::vector<std::pair<const char*, int>> steps = {{"揽收", -120}, {"在途", -60}};
    if (n % 4 != 0) steps.insert(steps.end(), {{"派件", 5}, {"签收", 10}});
    for (const auto& [code, minutes] : steps) {
      lv1::TrackingEvent* e = report.add_events();
      e->set_waybill_no(get.key().waybill_no());
      e->set_event_code(code);
      e->mutable_event_time()->set_seconds(shipment.create_time().seconds() + minutes * 60);
      e->set_utc_offset_minutes(480);
      e->set_location("Hangzhou");
    }
    lv1::ReportTrackingEventsResponse response;
    if (Try("ReportTrackingEvents", [&](grpc::ClientContext* c) {
          return stub->ReportTrackingEvents(c, report, &response);
        })) {
      ++tracked;
    }
  }
  std::printf("demo logistics: %d of 20 shipments tracked\n", tracked);
  return 0;
}

// The quality service's records (GB/T 39678-2020 5.1.2, 5.1.3, 5.6, 7.1.4), as a park keeps
// them. Every write carries a request_id of its own, so a second run answers what the first
// stored. The one certificate that expires soon expires 20 days after the day of the run: on a
// later day its request is another one, ALREADY_EXISTS under the same id, and skipped.
int DemoQuality(const std::string& address) {
  namespace qv1 = parkline::quality::v1;
  auto stub = qv1::QualityService::NewStub(Connect(address));
  int done = 0, tried = 0;
  auto step = [&](const char* what, const std::function<grpc::Status(grpc::ClientContext*)>& call) {
    ++tried;
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    Authorize(&ctx);
    grpc::Status s = call(&ctx);
    if (s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      ++done;
      return s.ok();
    }
    std::fprintf(stderr, "%s: %s\n", what, s.error_message().c_str());
    return false;
  };
  // Evidence held in the park's document system: its address and the SHA-256 of its bytes.
  auto evidence = [](qv1::ContentReference* ref, const std::string& file) {
    ref->set_uri("https://docs.park.example/quality/" + file);
    ref->set_sha256(parkline::auth::Sha256Hex("demo evidence " + file));
  };

  struct Doc {
    qv1::DocumentKind kind;
    qv1::Visibility visibility;
    const char* title;
    const char* approved_by;
    const char* content;
  };
  const std::vector<Doc> docs = {
      {qv1::DOCUMENT_KIND_ORGANISATION_CHART, qv1::VISIBILITY_PUBLIC,
       "园区运营公司组织架构 Park operator organisation chart", "王芳 Wang Fang, general manager",
       "# 组织架构 Organisation\n\n- 总经理 General manager\n  - 综合办公室 General office\n"
       "  - 企业服务部 Enterprise services\n  - 通关物流部 Clearance and logistics\n"
       "  - 物业管理部 Facilities management\n  - 安全质量办公室 Safety and quality office\n"},
      {qv1::DOCUMENT_KIND_DEPARTMENT_DUTIES, qv1::VISIBILITY_PUBLIC, "部门职责 Department duties",
       "王芳 Wang Fang, general manager",
       "# 部门职责 Department duties\n\n"
       "企业服务部：入驻受理、政策咨询、投诉受理。Enterprise services: admission, policy advice, "
       "complaints.\n"
       "通关物流部：申报对碰、清单申报、物流跟踪。Clearance and logistics: declarations, customs "
       "inventories, tracking.\n"
       "物业管理部：楼宇、仓储、消防设施维护。Facilities: buildings, warehouses, fire equipment.\n"
       "安全质量办公室：制度管理、培训演练、检查整改。Safety and quality: rules, training and "
       "drills, inspections and corrective actions.\n"},
      {qv1::DOCUMENT_KIND_MANAGEMENT_RULE, qv1::VISIBILITY_INTERNAL,
       "安全生产管理制度 Work-safety management rules", "李强 Li Qiang, deputy general manager",
       "# 安全生产管理制度\n\n1. 各部门负责人为本部门安全第一责任人。Each head of department "
       "answers "
       "for safety in the department.\n2. 仓库每日巡查两次并记录。Warehouses are patrolled twice a "
       "day, with a log.\n3. 动火作业须事先审批。Hot work needs a permit in advance.\n"},
      {qv1::DOCUMENT_KIND_SERVICE_GUIDE, qv1::VISIBILITY_PUBLIC,
       "入驻企业服务指南 Service guide for resident enterprises", "王芳 Wang Fang, general manager",
       "# 服务指南 Service guide\n\n服务时间 Office hours: 周一至周五 8:30-17:30 Mon-Fri.\n"
       "服务热线 Hotline: 0591-8800 "
       "0000.\n入驻、报关、仓储、投诉均可在服务大厅一站办理。Admission, "
       "declarations, storage and complaints at one desk in the service hall.\n"},
      {qv1::DOCUMENT_KIND_EMERGENCY_PLAN, qv1::VISIBILITY_PUBLIC,
       "突发事件综合应急预案 Emergency response plan", "李强 Li Qiang, deputy general manager",
       "# 综合应急预案 Emergency response plan\n\n适用：火灾、台风、停电、公共卫生事件。Covers "
       "fire, "
       "typhoon, power cut, public-health events.\n应急指挥：总经理任总指挥。The general manager "
       "commands.\n集合点：1号门广场。Assembly point: gate 1 square.\n每半年至少演练一次。A drill "
       "at "
       "least every six months.\n"},
      {qv1::DOCUMENT_KIND_FIRE_SAFETY_PLAN, qv1::VISIBILITY_PUBLIC,
       "消防安全管理方案 Fire-safety plan", "李强 Li Qiang, deputy general manager",
       "# 消防安全管理方案 Fire-safety plan\n\n消防控制室24小时值班。The fire control room is "
       "staffed "
       "24 h.\n灭火器每月检查，消火栓每季度试水。Extinguishers checked monthly, hydrants tested "
       "quarterly.\n全员每年至少接受一次消防培训。Every employee is trained at least once a "
       "year.\n"},
      // Last, so that the request ids of the documents before it stay what earlier runs sent.
      {qv1::DOCUMENT_KIND_INTERNAL_MANUAL, qv1::VISIBILITY_INTERNAL,
       "园区运营内部工作手册 Park operations internal manual", "王芳 Wang Fang, general manager",
       "# 内部工作手册 Internal manual\n\n"
       "1. 入驻受理：材料齐全后三个工作日内答复。Admission: an answer within three working days "
       "of a complete file.\n"
       "2. 投诉：当日登记，指定责任部门，承诺期限内办结。Complaints: registered the same day, a "
       "responsible department named, closed by the committed date.\n"
       "3. 记录：制度、检查、整改、培训记录在质量系统中保存。Records: rules, inspections, "
       "corrective actions and training are kept in the quality system.\n"},
  };
  for (size_t i = 0; i < docs.size(); ++i) {
    qv1::PublishDocumentRequest r;
    r.set_request_id(absl::StrCat("demo-quality-doc-", i + 1));
    r.set_kind(docs[i].kind);
    r.set_title(docs[i].title);
    r.set_visibility(docs[i].visibility);
    r.set_effective_date("2026-01-01");
    r.set_approved_by(docs[i].approved_by);
    r.set_media_type("text/markdown");
    r.set_content(docs[i].content);
    qv1::DocumentVersion out;
    step("PublishDocument", [&](auto* c) { return stub->PublishDocument(c, r, &out); });
  }
  // A rule the park no longer applies: published in 2025, withdrawn when the guide took it over.
  {
    qv1::PublishDocumentRequest r;
    r.set_request_id("demo-quality-doc-visitors-2025");
    r.set_kind(qv1::DOCUMENT_KIND_MANAGEMENT_RULE);
    r.set_title("访客登记规定（2025版） Visitor registration rule (2025)");
    r.set_visibility(qv1::VISIBILITY_PUBLIC);
    r.set_effective_date("2025-01-01");
    r.set_approved_by("王芳 Wang Fang, general manager");
    r.set_media_type("text/markdown");
    r.set_content("# 访客登记 Visitors\n\n访客在1号门登记。Visitors register at gate 1.\n");
    qv1::DocumentVersion published;
    if (step("PublishDocument", [&](auto* c) { return stub->PublishDocument(c, r, &published); })) {
      qv1::WithdrawDocumentRequest w;
      w.set_request_id("demo-quality-withdraw-visitors-2025");
      w.set_document_id(published.document_id());
      w.set_expected_version(1);
      w.set_effective_date("2026-01-01");
      w.set_approved_by("王芳 Wang Fang, general manager");
      w.set_reason("并入入驻企业服务指南 Taken over by the service guide for resident enterprises");
      qv1::DocumentVersion withdrawn;
      step("WithdrawDocument", [&](auto* c) { return stub->WithdrawDocument(c, w, &withdrawn); });
    }
  }

  struct Session {
    qv1::TrainingKind kind;
    const char* date;
    const char* title;
    int count;  // 0: by names
  };
  const std::vector<Session> sessions = {
      {qv1::TRAINING_KIND_FIRE_SAFETY_EDUCATION, "2026-03-15",
       "全员消防安全知识培训 Fire-safety education for all staff", 52},
      {qv1::TRAINING_KIND_STAFF_TRAINING, "2026-06-20",
       "跨境电商通关业务培训 Cross-border clearance procedures for the service desk", 0},
      {qv1::TRAINING_KIND_EMERGENCY_DRILL, "2026-09-18",
       "仓库B区疏散演练 Warehouse B evacuation drill", 46},
  };
  for (size_t i = 0; i < sessions.size(); ++i) {
    qv1::RecordTrainingRequest r;
    r.set_request_id(absl::StrCat("demo-quality-training-", i + 1));
    r.set_kind(sessions[i].kind);
    r.set_held_date(sessions[i].date);
    r.set_title(sessions[i].title);
    if (sessions[i].count > 0) {
      r.set_attendee_count(sessions[i].count);
    } else {
      for (const char* name :
           {"陈晖 Chen Hui", "林静 Lin Jing", "黄磊 Huang Lei", "吴婷 Wu Ting"}) {
        r.add_attendee_names(name);
      }
    }
    evidence(r.mutable_evidence(), absl::StrCat("training/", sessions[i].date, "-sign-in.pdf"));
    qv1::TrainingSession out;
    step("RecordTraining", [&](auto* c) { return stub->RecordTraining(c, r, &out); });
  }

  std::string soon = absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 20),
                                      absl::FixedTimeZone(8 * 3600));
  struct Cert {
    const char* holder;
    const char* kind;
    const char* number;
    const char* issuer;
    const char* issued;
    std::string expires;
  };
  const std::vector<Cert> certs = {
      {"刘洋 Liu Yang", "消防设施操作员 Fire-safety facility operator", "350100-2025-004812",
       "福州市消防救援支队 Fuzhou fire and rescue detachment", "2025-04-10", "2028-04-09"},
      {"陈晖 Chen Hui", "特种作业操作证（低压电工）Special operations: low-voltage electrician",
       "T350102198901010000", "福建省应急管理厅 Fujian emergency management department",
       "2020-12-28", soon},
      {"张伟 Zhang Wei", "安全生产管理人员 Work-safety manager", "闽安管-2025-11873",
       "福州市应急管理局 Fuzhou emergency management bureau", "2025-07-01", "2028-06-30"},
  };
  for (size_t i = 0; i < certs.size(); ++i) {
    qv1::RecordCertificationRequest r;
    r.set_request_id(absl::StrCat("demo-quality-certification-", i + 1));
    r.set_holder(certs[i].holder);
    r.set_certificate_kind(certs[i].kind);
    r.set_number(certs[i].number);
    r.set_issuer(certs[i].issuer);
    r.set_issued_date(certs[i].issued);
    r.set_expires_date(certs[i].expires);
    qv1::Certification out;
    step("RecordCertification", [&](auto* c) { return stub->RecordCertification(c, r, &out); });
  }

  qv1::RecordInspectionRequest inspection;
  inspection.set_request_id("demo-quality-inspection-1");
  inspection.set_kind(qv1::INSPECTION_KIND_INTERNAL_PERIODIC);
  inspection.set_inspected_date("2026-11-20");
  inspection.set_inspector("周敏 Zhou Min, safety and quality office");
  inspection.set_scope(
      "仓库B区及装卸平台：安全出口、灭火器、照明 Warehouse B and loading bays: fire "
      "exits, extinguishers, lighting");
  qv1::Finding* blocked = inspection.add_findings();
  blocked->set_description("3号安全出口被托盘堵塞 Fire exit 3 blocked by pallets");
  blocked->set_owner_department("facilities-management");
  blocked->set_deadline_working_days(2);
  qv1::Finding* expired = inspection.add_findings();
  expired->set_description("B-12号灭火器超过检验期 Extinguisher B-12 past its inspection date");
  expired->set_owner_department("safety-quality-office");
  expired->set_deadline_working_days(5);
  qv1::Inspection recorded;
  if (step("RecordInspection",
           [&](auto* c) { return stub->RecordInspection(c, inspection, &recorded); }) &&
      recorded.actions_size() > 0) {
    qv1::CloseCorrectiveActionRequest close;
    close.set_action_id(recorded.actions(0).action_id());
    close.set_request_id("demo-quality-inspection-1-close-A1");
    close.set_evidence(
        "托盘已清走，出口地面划线禁放，仓库巡查表增加出口检查项。Pallets removed, the exit marked "
        "on "
        "the floor, and an exit check added to the warehouse round.");
    close.set_evidence_uri("https://docs.park.example/quality/inspection/2026-11-20-exit-3.jpg");
    qv1::Inspection out;
    step("CloseCorrectiveAction",
         [&](auto* c) { return stub->CloseCorrectiveAction(c, close, &out); });
  }
  std::printf("demo quality: %d of %d records loaded\n", done, tried);
  return done == tried ? 0 : 1;
}

// parkctl report ADDRESS --period FROM..TO [--out FILE] [--format html|json] [--title TEXT]
int Report(int argc, char** argv) {
  namespace qv1 = parkline::quality::v1;
  std::map<std::string, std::string> options = {{"--format", "html"}};
  for (int i = 3; i + 1 < argc; i += 2) options[argv[i]] = argv[i + 1];
  if ((argc - 3) % 2 != 0 || !options.count("--period") ||
      options["--period"].find("..") == std::string::npos ||
      (options["--format"] != "html" && options["--format"] != "json")) {
    std::fprintf(stderr,
                 "usage: parkctl report QUALITY_ADDRESS --period YYYY-MM-DD..YYYY-MM-DD "
                 "[--out FILE] [--format html|json] [--title TEXT]\n");
    return 2;
  }
  const std::string& period = options["--period"];
  qv1::GetEvaluationReportRequest request;
  request.set_period_from(period.substr(0, period.find("..")));
  request.set_period_to(period.substr(period.find("..") + 2));
  request.set_title(options["--title"]);
  auto stub = qv1::QualityService::NewStub(Connect(argv[2]));
  qv1::GetEvaluationReportResponse response;
  grpc::ClientContext ctx;
  // The report reads the statistics service too (each call up to its own deadline).
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
  Authorize(&ctx);
  grpc::Status s = stub->GetEvaluationReport(&ctx, request, &response);
  if (!s.ok()) {
    std::fprintf(stderr, "GetEvaluationReport: %s\n", s.error_message().c_str());
    return 1;
  }
  std::string text = response.html();
  if (options["--format"] == "json") {
    google::protobuf::util::JsonPrintOptions json;
    json.add_whitespace = true;
    text.clear();
    if (!google::protobuf::util::MessageToJsonString(response.report(), &text, json).ok()) return 1;
  }
  const auto& sum = response.report().summary();
  std::fprintf(stderr,
               "report %s..%s: %d clauses: %d evidenced, %d partial, %d missing, %d on site; %d "
               "missing items\n",
               request.period_from().c_str(), request.period_to().c_str(), sum.clauses(),
               sum.evidenced(), sum.partial(), sum.missing(), sum.on_site(), sum.missing_items());
  if (!options.count("--out")) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream out(options["--out"], std::ios::binary);
  out << text;
  if (!out.good()) {
    std::fprintf(stderr, "cannot write %s\n", options["--out"].c_str());
    return 1;
  }
  std::fprintf(stderr, "written to %s\n", options["--out"].c_str());
  return 0;
}

// The demo assessment scheme (7.2.1) and a survey (7.2.2) under fixed request ids, so a second run
// changes nothing; then this month's result so far (provisional until statistics closes its days).
int DemoAssessment(const std::string& address) {
  namespace qv1 = parkline::quality::v1;
  auto stub = qv1::QualityService::NewStub(Connect(address));
  auto component = [](const char* name, qv1::AssessmentInput input, int weight, const char* floor,
                      const char* target, const char* clause) {
    qv1::AssessmentComponent c;
    c.set_name(name);
    c.set_input(input);
    c.set_weight_bp(weight);
    c.set_direction(qv1::DIRECTION_HIGHER_BETTER);
    c.set_floor(floor);
    c.set_target(target);
    c.set_clause(clause);
    return c;
  };
  qv1::PublishAssessmentSchemeRequest scheme;
  scheme.set_request_id("demo-scheme-1");
  scheme.set_effective_from("2026-01-01");
  scheme.set_approved_by("Wang Fang, general manager");
  scheme.set_change_note("the park's first assessment scheme");
  qv1::AssessmentComponent occupancy =
      component("occupancy", qv1::ASSESSMENT_INPUT_INDICATOR, 3000, "0.5", "0.9", "5.5.4");
  occupancy.set_indicator("occupancy_ratio");
  (*occupancy.mutable_labels())["basis"] = "area";
  *scheme.add_components() = occupancy;
  qv1::AssessmentComponent scale =
      component("cross_border_scale", qv1::ASSESSMENT_INPUT_INDICATOR, 2000, "5", "15", "5.3.1");
  scale.set_indicator("cross_border_enterprises_resident");
  *scheme.add_components() = scale;
  *scheme.add_components() =
      component("feedback_satisfaction", qv1::ASSESSMENT_INPUT_FEEDBACK_SATISFACTION, 2500, "3",
                "5", "7.2.2");
  *scheme.add_components() = component(
      "third_party_survey", qv1::ASSESSMENT_INPUT_THIRD_PARTY_SURVEY, 2500, "60", "90", "7.2.2");
  qv1::AssessmentScheme published;
  bool ok = Try("PublishAssessmentScheme", [&](grpc::ClientContext* ctx) {
    return stub->PublishAssessmentScheme(ctx, scheme, &published);
  });
  absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
  qv1::RecordSurveyResultRequest survey;
  survey.set_request_id("demo-survey-1");
  survey.set_surveyor("Zhejiang Institute of Trade Surveys");
  survey.set_period_from(absl::FormatCivilTime(absl::CivilDay(absl::CivilMonth(today))));
  survey.set_period_to(absl::FormatCivilTime(today));
  survey.set_sample_size(120);
  survey.set_score("84.5");
  survey.set_evidence_uri("https://archive.park.example/surveys/demo-1.pdf");
  survey.set_evidence_sha256("5f0c2b8e1f3a6d7c9b0e4a2d8c6f1e3b7a9d5c2e0f4b6a8c1d3e5f7a9b0c2d4e");
  qv1::SurveyResult recorded;
  ok = Try("RecordSurveyResult",
           [&](grpc::ClientContext* ctx) {
             return stub->RecordSurveyResult(ctx, survey, &recorded);
           }) &&
       ok;
  qv1::ComputeAssessmentResultRequest compute;
  compute.mutable_period()->set_from(survey.period_from());
  compute.mutable_period()->set_to(survey.period_to());
  qv1::AssessmentResult result;
  if (Try("ComputeAssessmentResult", [&](grpc::ClientContext* ctx) {
        return stub->ComputeAssessmentResult(ctx, compute, &result);
      })) {
    std::printf("demo assessment: scheme v%lld, %s..%s %s %s of 100, %d components missing\n",
                static_cast<long long>(result.scheme_version()), result.period().from().c_str(),
                result.period().to().c_str(), result.final() ? "final" : "provisional",
                result.total().c_str(), result.missing_size());
  }
  return ok ? 0 : 1;
}

void Usage() {
  std::fprintf(stderr,
               "usage: parkctl health ADDRESS\n"
               "       parkctl demo ENTERPRISES_ADDRESS [DECLARATIONS_ADDRESS [CLEARANCE_ADDRESS\n"
               "                    [LOGISTICS_ADDRESS]]]\n"
               "       parkctl demo-complaints COMPLAINTS_ADDRESS\n"
               "       parkctl demo-quality QUALITY_ADDRESS\n"
               "       parkctl demo-support SUPPORT_ADDRESS\n"
               "       parkctl report QUALITY_ADDRESS --period FROM..TO [--out FILE]\n"
               "                      [--format html|json] [--title TEXT]\n"
               "       parkctl demo-incubation SUPPORT_ADDRESS\n"
               "       parkctl demo-assessment QUALITY_ADDRESS\n"
               "       parkctl overview STATISTICS_ADDRESS\n"
               "       parkctl token\n"
               "       parkctl dev-tokens DIR\n"
               "       parkctl personal-data-keys new FILE [KEY_ID]\n"
               "       parkctl personal-data-keys rotate FILE KEY_ID\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "token") == 0) return Token();
  if (argc == 3 && std::strcmp(argv[1], "dev-tokens") == 0) return DevTokens(argv[2]);
  if (argc >= 4 && argc <= 5 && std::strcmp(argv[1], "personal-data-keys") == 0 &&
      (std::strcmp(argv[2], "new") == 0 || (std::strcmp(argv[2], "rotate") == 0 && argc == 5))) {
    return PersonalDataKeys(argv[2], argv[3], argc == 5 ? argv[4] : "1");
  }
  if (argc >= 4 && argc <= 6 && std::strcmp(argv[1], "demo") == 0) {
    int rc = Demo(argv[2]);
    if (rc == 0) rc = DemoDeclarations(argv[3]);
    if (rc == 0 && argc >= 5) rc = DemoClearance(argv[4]);
    if (rc == 0 && argc == 6) rc = DemoLogistics(argv[5]);
    return rc;
  }
  if (argc >= 5 && std::strcmp(argv[1], "report") == 0) return Report(argc, argv);
  if (argc != 3) {
    Usage();
    return 2;
  }
  if (std::strcmp(argv[1], "health") == 0) return Health(argv[2]);
  if (std::strcmp(argv[1], "demo") == 0) return Demo(argv[2]);
  if (std::strcmp(argv[1], "demo-complaints") == 0) return DemoComplaints(argv[2]);
  if (std::strcmp(argv[1], "demo-quality") == 0) return DemoQuality(argv[2]);
  if (std::strcmp(argv[1], "demo-support") == 0) return support_demo::Load(argv[2]);
  if (std::strcmp(argv[1], "demo-quality") == 0) return DemoQuality(argv[2]);
  if (std::strcmp(argv[1], "demo-incubation") == 0) return DemoIncubation(argv[2]);
  if (std::strcmp(argv[1], "demo-assessment") == 0) return DemoAssessment(argv[2]);
  if (std::strcmp(argv[1], "overview") == 0) return Overview(argv[2]);
  Usage();
  return 2;
}
