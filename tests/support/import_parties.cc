#include "tests/support/import_parties.h"

#include <utility>
#include <vector>

namespace parkline::testing {

absl::Status AdmitImportParties(ServiceUnderTest<enterprises::v1::EnterpriseService>& registry,
                                const samples::ImportCodes& codes) {
  namespace ev1 = enterprises::v1;
  const std::vector<std::pair<std::string, ev1::EnterpriseRole>> parties = {
      {codes.platform, ev1::ENTERPRISE_ROLE_ECOMMERCE_PLATFORM},
      {codes.enterprise, ev1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE},
      {codes.payment, ev1::ENTERPRISE_ROLE_PAYMENT},
      {codes.logistics, ev1::ENTERPRISE_ROLE_LOGISTICS}};
  for (const auto& [code, role] : parties) {
    ev1::AdmitEnterpriseRequest admit;
    admit.mutable_enterprise()->set_uscc(RandomUscc());
    admit.mutable_enterprise()->set_customs_code(code);
    admit.mutable_enterprise()->set_name("E2E " + code);
    admit.mutable_enterprise()->add_roles(role);
    admit.mutable_enterprise()->mutable_move_in_date()->set_year(2024);
    admit.mutable_enterprise()->mutable_move_in_date()->set_month(1);
    admit.mutable_enterprise()->mutable_move_in_date()->set_day(1);
    ev1::Enterprise out;
    absl::Status s = registry.Call(&ev1::EnterpriseService::Stub::AdmitEnterprise, admit, &out);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace parkline::testing
