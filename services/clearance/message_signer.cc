#include "clearance/message_signer.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace parkline::clearance {
namespace {

constexpr absl::string_view kEmptySignature =
    R"(<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>)"
    R"(<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>)"
    R"(<ds:SignatureMethod Algorithm="http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"/>)"
    R"(<ds:Reference URI=""><ds:Transforms>)"
    R"(<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>)"
    R"(</ds:Transforms>)"
    R"(<ds:DigestMethod Algorithm="http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"/>)"
    R"(<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>)"
    R"(<ds:SignatureValue></ds:SignatureValue></ds:Signature>)";

}  // namespace

absl::StatusOr<std::string> UnsignedSigner::Sign(absl::string_view xml) const {
  // The root's closing tag is the last "</" of a message this service wrote.
  size_t close = xml.rfind("</");
  if (close == absl::string_view::npos) {
    return absl::InvalidArgumentError("the message to sign has no closing root tag");
  }
  return absl::StrCat(xml.substr(0, close), kEmptySignature, xml.substr(close));
}

}  // namespace parkline::clearance

namespace parkline::clearance {

absl::StatusOr<std::string> XmlDsigSigner::Sign(absl::string_view xml) const {
  auto signed_xml = ceb::SignEnveloped(xml, *key_);
  if (!signed_xml.ok()) return signed_xml.status();
  auto verified = ceb::VerifyEnveloped(*signed_xml, {key_->certificate_der()});
  if (!verified.ok()) {
    return absl::InternalError(absl::StrCat("the message just signed does not verify (",
                                            verified.status().message(), "); not sent"));
  }
  return signed_xml;
}

}  // namespace parkline::clearance
