#include "tests/support/ceb_reference.h"

#include <cstdlib>

namespace parkline::testing {
namespace {

constexpr char kVariable[] = "PARKLINE_CEB_REFERENCE";

}  // namespace

std::filesystem::path CebReferenceDir() {
  const char* env = std::getenv(kVariable);
  return env != nullptr && *env != '\0' ? env : PARKLINE_CEB_REFERENCE_DEFAULT;
}

std::string CebReference(const std::string& relative) {
  return (CebReferenceDir() / relative).string();
}

std::string MissingCebReference(const std::vector<std::string>& relative) {
  std::string missing;
  for (const std::string& path : relative) {
    std::error_code error;
    if (!std::filesystem::exists(CebReferenceDir() / path, error)) {
      missing += (missing.empty() ? "" : ", ") + path;
    }
  }
  if (missing.empty()) return "";
  const char* env = std::getenv(kVariable);
  const std::string origin = env != nullptr && *env != '\0'
                                 ? std::string("from ") + kVariable
                                 : std::string("the default; ") + kVariable + " is not set";
  return "customs' CEB 202205 reference files are missing: " + missing + " (looked in " +
         CebReferenceDir().string() + ", " + origin +
         "). Put there the CEB 202205 XSDs and sample messages published by customs' data centre "
         "(China e-Port, 海关跨境电商统一版系统企业对接报文规范（202205版）): xsd/ceb-import.xsd, "
         "xsd/ceb-export.xsd, xsd/dxp-terminal.xsd, xsd/dxp-transfer.xsd, "
         "xsd/xmldsig-core-schema.xsd, samples/import/CEB*Message.xml and "
         "samples/export/CEB*Message.xml; or set " +
         kVariable + " to the folder that holds them.";
}

}  // namespace parkline::testing
