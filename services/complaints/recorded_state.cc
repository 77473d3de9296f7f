#include "complaints/recorded_state.h"

#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "auth/sha256.h"
#include "complaints/complaint_time.h"
#include "complaints/complaint_workflow.h"
#include "complaints/vocabulary.h"
#include "hashchain/hash_chain.h"

namespace parkline::complaints {
namespace {

// The fields a digest stands for: a difference names them, never shows them.
const char* DigestedFields(const std::string& key) {
  if (key == kFiledDigestKey) return "request_id, complainant, description or attachment_refs";
  if (key == "response") return "response";
  return nullptr;
}

std::string Instant(const google::protobuf::Timestamp& t) { return Rfc3339(TimeOf(t)); }

std::string Flag(bool set) { return set ? "true" : "false"; }

void Set(RecordedState& state, const std::string& field, std::string value,
         const v1::RecordEntry& entry) {
  state[field] = Recorded{std::move(value), entry.sequence()};
}

// Copies the details of `entry` that it holds, detail key -> complaint field.
void Take(const v1::RecordEntry& entry,
          std::initializer_list<std::pair<const char*, const char*>> fields, RecordedState& state) {
  for (const auto& [detail, field] : fields) {
    auto it = entry.details().find(detail);
    if (it != entry.details().end()) Set(state, field, it->second, entry);
  }
}

// What filing establishes: the FILE entry's details, and nothing decided yet.
void Filed(const v1::RecordEntry& e, RecordedState& s) {
  for (const char* undecided : {"department", "handler", "forwarded_to_uscc", "response"}) {
    Set(s, undecided, "", e);
  }
  Set(s, "satisfaction", "0", e);
  Set(s, "acknowledgement_overdue", Flag(false), e);
  Set(s, "resolution_overdue", Flag(false), e);
  Set(s, "filed_time", Instant(e.time()), e);
  Take(e,
       {{"category", "category"},
        {"channel", "channel"},
        {"target", "target"},
        {"acknowledge_by", "acknowledge_by"},
        {"resolve_by", "resolve_by"},
        {kFiledDigestKey, kFiledDigestKey}},
       s);
}

// A deadline's entry: OVERRIDE_DEADLINE commits it anew, OVERDUE marks it passed and names the
// department the complaint is with now.
void Deadline(const v1::RecordEntry& e, RecordedState& s) {
  auto kind = e.details().find("kind");
  if (kind == e.details().end()) return;
  bool ack = kind->second == v1::DeadlineKind_Name(v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  const char* overdue = ack ? "acknowledgement_overdue" : "resolution_overdue";
  if (e.action() == "OVERRIDE_DEADLINE") {
    Take(e, {{"deadline", ack ? "acknowledge_by" : "resolve_by"}}, s);
    Set(s, overdue, Flag(false), e);
  } else {
    Set(s, overdue, Flag(true), e);
    Take(e, {{"escalated_to", "department"}}, s);
  }
}

// What a later entry establishes besides its status (step_effects.h's table).
void Stepped(const v1::RecordEntry& e, RecordedState& s) {
  const std::string& action = e.action();
  if (action == ActionName(Action::kAcknowledge) || action == ActionName(Action::kAssign) ||
      action == ActionName(Action::kEscalate)) {
    Take(e,
         {{"department", "department"},
          {"handler", "handler"},
          {"forwarded_to_uscc", "forwarded_to_uscc"}},
         s);
  } else if (action == ActionName(Action::kRespond)) {
    Take(e, {{"response_sha256", "response"}}, s);
  } else if (action == ActionName(Action::kClose)) {
    Take(e, {{"satisfaction", "satisfaction"}}, s);
  } else if (action == ActionName(Action::kReopen)) {
    Take(e, {{"resolve_by", "resolve_by"}}, s);
    Set(s, "resolution_overdue", Flag(false), e);
  } else if (action == "OVERRIDE_DEADLINE" || action == "OVERDUE") {
    Deadline(e, s);
  }
}

}  // namespace

std::string FiledDigest(const v1::Complaint& c) {
  using hashchain::AppendField;
  std::string out = "parkline.complaints.filed.v1\n";
  AppendField(out, c.request_id());
  AppendField(out, v1::PartyKind_Name(c.complainant().kind()));
  AppendField(out, c.complainant().uscc());
  AppendField(out, c.description());
  AppendField(out, absl::StrCat(c.attachment_refs_size()));
  for (const std::string& ref : c.attachment_refs()) AppendField(out, ref);
  return auth::Sha256Hex(out);
}

RecordedState ReplayRecord(const std::vector<v1::RecordEntry>& entries) {
  RecordedState state;
  if (entries.empty() || entries.front().action() != "FILE") return state;
  for (const v1::RecordEntry& e : entries) {
    Set(state, "status", v1::ComplaintStatus_Name(e.to_status()), e);
    Set(state, "update_time", Instant(e.time()), e);
    if (&e == &entries.front()) {
      Filed(e, state);
    } else {
      Stepped(e, state);
    }
  }
  return state;
}

std::map<std::string, std::string> AsRecorded(const v1::Complaint& c) {
  return {
      {"status", v1::ComplaintStatus_Name(c.status())},
      {"category", CategoryName(c.category())},
      {"channel", v1::Channel_Name(c.channel())},
      {"target", absl::StrCat(v1::PartyKind_Name(c.target().kind()), " ", c.target().uscc())},
      {"filed_time", Instant(c.filed_time())},
      {"update_time", Instant(c.update_time())},
      {"acknowledge_by", Instant(c.acknowledge_by())},
      {"resolve_by", Instant(c.resolve_by())},
      {"department", c.department()},
      {"handler", c.handler()},
      {"forwarded_to_uscc", c.forwarded_to_uscc()},
      {"response", c.response().empty() ? "" : auth::Sha256Hex(c.response())},
      {"satisfaction", absl::StrCat(c.satisfaction())},
      {"acknowledgement_overdue", Flag(c.acknowledgement_overdue())},
      {"resolution_overdue", Flag(c.resolution_overdue())},
      {kFiledDigestKey, FiledDigest(c)},
  };
}

std::vector<std::string> StoredDifferences(const RecordedState& recorded,
                                           const v1::Complaint& stored) {
  std::map<std::string, std::string> now = AsRecorded(stored);
  std::vector<std::string> out;
  for (const auto& [field, was] : recorded) {
    auto it = now.find(field);
    if (it == now.end() || it->second == was.value) continue;
    if (const char* digested = DigestedFields(field)) {
      out.push_back(
          absl::StrCat(digested, ": not what entry ", was.sequence, " recorded (by its SHA-256)"));
    } else {
      out.push_back(absl::StrCat(field, ": \"", it->second, "\", where entry ", was.sequence,
                                 " recorded \"", was.value, "\""));
    }
  }
  return out;
}

std::optional<v1::RecordBreak> CheckStoredComplaint(const v1::Complaint& stored,
                                                    const std::vector<v1::RecordEntry>& record) {
  std::vector<std::string> differences = StoredDifferences(ReplayRecord(record), stored);
  if (differences.empty()) return std::nullopt;
  v1::RecordBreak b;
  b.set_complaint_id(stored.complaint_id());
  b.set_sequence(0);
  b.set_reason(absl::StrCat("the stored complaint differs from its record: ",
                            absl::StrJoin(differences, "; ")));
  return b;
}

}  // namespace parkline::complaints
