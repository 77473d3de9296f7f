#include "ceb/safe_xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace parkline::ceb::internal {
namespace {

// What one parse learned through libxml2's callbacks. The callbacks reach it through the parser
// context's _private pointer, so concurrent parses never share one.
struct ParseReport {
  bool doctype_seen = false;
  int doctype_line = 0;
  bool has_error = false;
  std::string error;
  int error_line = 0;
  int error_column = 0;
};

struct ParserCtxtFree {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

ParseReport& ReportOf(void* user_data) {
  // With the default SAX2 handlers libxml2 passes ctxt->userData, which is the context itself.
  return *static_cast<ParseReport*>(static_cast<xmlParserCtxt*>(user_data)->_private);
}

// SAX internalSubset handler: libxml2 calls it on <!DOCTYPE name ...>, before it reads the
// internal subset [...] or considers an external one. Halting here means no entity or attribute
// default is ever declared, so there is nothing to expand and no file or URL to fetch.
void RefuseDoctype(void* user_data, const xmlChar* /*name*/, const xmlChar* /*external_id*/,
                   const xmlChar* /*system_id*/) {
  auto* ctxt = static_cast<xmlParserCtxt*>(user_data);
  ParseReport& report = ReportOf(user_data);
  report.doctype_seen = true;
  report.doctype_line = ctxt->input != nullptr ? ctxt->input->line : 0;
  xmlStopParser(ctxt);
}

// Structured error handler of this parse only (instead of libxml2's default, which prints to
// stderr). Keeps the first error: later ones are usually consequences of it.
void RecordError(void* user_data, xmlError* error) {
  if (user_data == nullptr || error == nullptr || error->level < XML_ERR_ERROR) return;
  ParseReport& report = ReportOf(user_data);
  if (report.has_error) return;
  report.has_error = true;
  report.error = std::string(absl::StripAsciiWhitespace(
      View(reinterpret_cast<const xmlChar*>(error->message != nullptr ? error->message : ""))));
  report.error_line = error->line;
  report.error_column = error->int2;  // libxml2 puts the column of parser errors in int2
}

void InitLibxml2Once() {
  // xmlInitParser must not race with itself; a function-local static runs it exactly once.
  static const bool initialized = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialized;
}

}  // namespace

absl::StatusOr<XmlDocPtr> ParseUntrustedXml(absl::string_view xml, absl::string_view what,
                                            size_t max_bytes) {
  if (xml.size() > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, " is ", xml.size(), " bytes; at most ", max_bytes, " are read"));
  }
  if (xml.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " is empty"));
  InitLibxml2Once();

  std::unique_ptr<xmlParserCtxt, ParserCtxtFree> ctxt(
      xmlCreateMemoryParserCtxt(xml.data(), static_cast<int>(xml.size())));
  if (ctxt == nullptr) {
    return absl::ResourceExhaustedError("libxml2 could not allocate a parser context");
  }
  // Deliberately absent: XML_PARSE_NOENT (substitute entities), XML_PARSE_DTDLOAD,
  // XML_PARSE_DTDATTR, XML_PARSE_DTDVALID, XML_PARSE_XINCLUDE, XML_PARSE_HUGE (lift the limits).
  xmlCtxtUseOptions(
      ctxt.get(), XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
  ctxt->linenumbers = 1;  // line numbers on nodes, for error messages about fields
  ParseReport report;
  ctxt->_private = &report;
  ctxt->sax->internalSubset = RefuseDoctype;
  ctxt->sax->serror = RecordError;

  xmlParseDocument(ctxt.get());
  XmlDocPtr doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;

  if (report.doctype_seen) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " has a DOCTYPE (line ", report.doctype_line,
                     "); CEB messages have none, and it is not read"));
  }
  if (report.has_error) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is not well-formed XML: line ",
                                                   report.error_line, ", column ",
                                                   report.error_column, ": ", report.error));
  }
  if (!ctxt->wellFormed || !ctxt->nsWellFormed || doc == nullptr ||
      xmlDocGetRootElement(doc.get()) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is not well-formed XML"));
  }
  return doc;
}

absl::string_view View(const xmlChar* text) {
  return text == nullptr ? absl::string_view() : reinterpret_cast<const char*>(text);
}

bool IsElement(const xmlNode* node, absl::string_view ns, absl::string_view local_name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         View(node->ns->href) == ns && View(node->name) == local_name;
}

const xmlNode* FindChild(const xmlNode* parent, absl::string_view ns,
                         absl::string_view local_name) {
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (IsElement(child, ns, local_name)) return child;
  }
  return nullptr;
}

std::string TrimmedText(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  std::string text(absl::StripAsciiWhitespace(View(content)));
  xmlFree(content);
  return text;
}

std::string Attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
  std::string text(absl::StripAsciiWhitespace(View(value)));
  xmlFree(value);
  return text;
}

std::string DescribeElement(const xmlNode* element) {
  if (element->ns == nullptr) return absl::StrCat("<", View(element->name), "> (no namespace)");
  return absl::StrCat("<", View(element->name), "> in namespace ", View(element->ns->href));
}

}  // namespace parkline::ceb::internal
