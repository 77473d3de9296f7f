#include "complaints/vocabulary.h"

#include "absl/strings/ascii.h"

namespace parkline::complaints {

const std::vector<v1::Category>& AllCategories() {
  static const auto* all = [] {
    auto* out = new std::vector<v1::Category>;
    for (int i = v1::Category_MIN + 1; i <= v1::Category_MAX; ++i) {
      if (v1::Category_IsValid(i)) out->push_back(static_cast<v1::Category>(i));
    }
    return out;
  }();
  return *all;
}

std::string CategoryName(v1::Category category) {
  return absl::AsciiStrToLower(v1::Category_Name(category).substr(sizeof("CATEGORY_") - 1));
}

std::optional<v1::Category> ParseCategory(absl::string_view name) {
  for (v1::Category c : AllCategories()) {
    if (CategoryName(c) == name) return c;
  }
  return std::nullopt;
}

}  // namespace parkline::complaints
