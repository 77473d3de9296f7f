#include "ceb/xsd_validator.h"

#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ceb/ceb_reader.h"
#include "ceb/safe_xml.h"

namespace parkline::ceb {
namespace {

// The errors of one schema compilation or validation. A broken document can raise thousands;
// the first ones say enough.
struct ErrorList {
  static constexpr size_t kMaxListed = 50;
  std::vector<std::string> listed;
  size_t dropped = 0;

  std::string Joined() const {
    std::string text = absl::StrJoin(listed, "; ");
    if (dropped > 0) absl::StrAppend(&text, "; and ", dropped, " more");
    return text;
  }
};

// libxml2 structured error handler, set on one schema context only (never the global one).
void CollectError(void* user_data, xmlError* error) {
  if (user_data == nullptr || error == nullptr || error->level < XML_ERR_ERROR) return;
  auto& errors = *static_cast<ErrorList*>(user_data);
  if (errors.listed.size() >= ErrorList::kMaxListed) {
    ++errors.dropped;
    return;
  }
  absl::string_view message =
      absl::StripAsciiWhitespace(error->message != nullptr ? error->message : "unknown error");
  // Schema compilation errors name the XSD file; validation errors only a line of the document.
  std::string where = error->file != nullptr ? absl::StrCat(error->file, " ") : "";
  if (error->line > 0) absl::StrAppend(&where, "line ", error->line, ": ");
  errors.listed.push_back(absl::StrCat(where, message));
}

struct SchemaParserFree {
  void operator()(xmlSchemaParserCtxt* ctxt) const { xmlSchemaFreeParserCtxt(ctxt); }
};
struct SchemaFree {
  void operator()(xmlSchema* schema) const { xmlSchemaFree(schema); }
};
struct ValidCtxtFree {
  void operator()(xmlSchemaValidCtxt* ctxt) const { xmlSchemaFreeValidCtxt(ctxt); }
};

absl::StatusOr<std::unique_ptr<xmlSchema, SchemaFree>> CompileSchema(const std::string& xsd_path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(xsd_path, error)) {
    return absl::NotFoundError(absl::StrCat("no XSD file at ", xsd_path));
  }
  std::unique_ptr<xmlSchemaParserCtxt, SchemaParserFree> parser(
      xmlSchemaNewParserCtxt(xsd_path.c_str()));
  if (parser == nullptr) {
    return absl::ResourceExhaustedError("libxml2 could not allocate a schema parser");
  }
  ErrorList errors;
  xmlSchemaSetParserStructuredErrors(parser.get(), CollectError, &errors);
  std::unique_ptr<xmlSchema, SchemaFree> schema(xmlSchemaParse(parser.get()));
  if (schema == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the XSD ", xsd_path, " does not compile: ", errors.Joined()));
  }
  return schema;
}

}  // namespace

absl::Status ValidateAgainstXsd(absl::string_view xml, const std::string& xsd_path) {
  // The document first: a bad document should not cost a schema compilation.
  absl::StatusOr<internal::XmlDocPtr> doc =
      internal::ParseUntrustedXml(xml, "the XML document", kMaxCebMessageBytes);
  if (!doc.ok()) return doc.status();
  absl::StatusOr<std::unique_ptr<xmlSchema, SchemaFree>> schema = CompileSchema(xsd_path);
  if (!schema.ok()) return schema.status();

  std::unique_ptr<xmlSchemaValidCtxt, ValidCtxtFree> validator(
      xmlSchemaNewValidCtxt(schema->get()));
  if (validator == nullptr) {
    return absl::ResourceExhaustedError("libxml2 could not allocate a schema validator");
  }
  ErrorList errors;
  xmlSchemaSetValidStructuredErrors(validator.get(), CollectError, &errors);
  int result = xmlSchemaValidateDoc(validator.get(), doc->get());
  if (result == 0) return absl::OkStatus();
  if (result < 0) {
    return absl::InternalError(
        absl::StrCat("libxml2 failed while validating against ", xsd_path, ": ", errors.Joined()));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("not valid against ", xsd_path, ": ", errors.Joined()));
}

}  // namespace parkline::ceb
