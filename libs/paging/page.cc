#include "paging/page.h"

#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace parkline::paging {
namespace {

// The key `token` holds, or nothing when it holds none in `format`.
std::optional<Key> KeyOf(const std::string& token, const KeyFormat& format) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return std::nullopt;
  if (format.parts <= 1) return Key{raw};
  // Split at the first parts - 1 separators only: the last part may hold the separator.
  Key key = absl::StrSplit(raw, absl::MaxSplits(format.separator, format.parts - 1));
  if (static_cast<int>(key.size()) != format.parts) return std::nullopt;
  return key;
}

}  // namespace

Page ReadPage(const common::v1::PageRequest& request, errors::Violations& v,
              const KeyFormat& format) {
  Page page;
  if (request.page_size() != 0) page.size = request.page_size();
  if (page.size < 1 || page.size > kMaxPageSize) {
    v.Add("page.page_size", "RANGE", absl::StrCat("must be 0..", kMaxPageSize));
  }
  if (request.page_token().empty()) return page;
  std::optional<Key> key = KeyOf(request.page_token(), format);
  if (key && format.number_first && !absl::SimpleAtoi((*key)[0], &page.after_number)) {
    key.reset();
  }
  if (!key) {
    v.Add("page.page_token", "PAGE_TOKEN", "is not a token this service returned");
    page.after_number = 0;
    return page;
  }
  page.after = std::move(*key);
  return page;
}

std::string TokenAfter(const Key& key, const KeyFormat& format) {
  return absl::WebSafeBase64Escape(absl::StrJoin(key, std::string(1, format.separator)));
}

}  // namespace parkline::paging
