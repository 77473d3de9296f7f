#include "secrets/message_split.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace parkline::secrets {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The message holding the field at `path` in `root` (created in it when `create`; nullptr when
// absent and not created), and that field; INVALID_ARGUMENT for a path that is not a singular
// string field.
absl::Status Walk(Message& root, const std::string& path, bool create, Message** holder,
                  const FieldDescriptor** field) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  Message* at = &root;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = at->GetDescriptor()->FindFieldByName(parts[i]);
    bool last = i + 1 == parts.size();
    if (f == nullptr || f->is_repeated() ||
        f->cpp_type() !=
            (last ? FieldDescriptor::CPPTYPE_STRING : FieldDescriptor::CPPTYPE_MESSAGE)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not a singular string field of ",
                                                     root.GetDescriptor()->full_name()));
    }
    if (last) {
      *holder = at;
      *field = f;
      return absl::OkStatus();
    }
    if (!create && !at->GetReflection()->HasField(*at, f)) {
      *holder = nullptr;
      return absl::OkStatus();
    }
    at = at->GetReflection()->MutableMessage(at, f);
  }
  return absl::InvalidArgumentError("empty path");
}

}  // namespace

absl::StatusOr<std::string> CutFields(Message& message, const std::vector<std::string>& paths) {
  std::unique_ptr<Message> cut(message.New());
  bool any = false;
  for (const std::string& path : paths) {
    Message* from = nullptr;
    const FieldDescriptor* field = nullptr;
    if (auto s = Walk(message, path, false, &from, &field); !s.ok()) return s;
    if (from == nullptr) continue;
    std::string value = from->GetReflection()->GetString(*from, field);
    if (value.empty()) continue;
    Message* to = nullptr;
    if (auto s = Walk(*cut, path, true, &to, &field); !s.ok()) return s;
    to->GetReflection()->SetString(to, field, std::move(value));
    from->GetReflection()->ClearField(from, field);
    any = true;
  }
  return any ? cut->SerializeAsString() : std::string();
}

absl::Status JoinFields(Message& message, absl::string_view cut) {
  if (cut.empty()) return absl::OkStatus();
  std::unique_ptr<Message> part(message.New());
  if (!part->ParseFromArray(cut.data(), static_cast<int>(cut.size()))) {
    return absl::DataLossError(
        absl::StrCat("the sealed part of a ", message.GetDescriptor()->name(), " does not parse"));
  }
  message.MergeFrom(*part);
  return absl::OkStatus();
}

}  // namespace parkline::secrets
