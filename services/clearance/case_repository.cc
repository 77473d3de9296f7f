#include "clearance/case_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/sha256.h"
#include "clearance/case_personal_data.h"
#include "secrets/sealed_box.h"

namespace parkline::clearance {
namespace {

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

// The key id of a part written before migration 3: in clear (the payload whole, the message in
// the message column), until the start-up pass seals it.
constexpr char kBeforeSealing[] = "-";

// What a sealed box is bound to: its row and which part of it.
std::string SealedPart(const std::string& case_id, const char* part) {
  return absl::StrCat("clearance/clearance_cases/", case_id, "/", part);
}

absl::Status NeedKeys(const secrets::KeyRing& keys) {
  if (keys.active() != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError("no personal-data key: cases cannot be read or stored");
}

// A case's row as stored: the rest in clear, the personal part sealed.
struct EncodedCase {
  std::string rest;
  store::Value key_id;    // NULL when there is nothing personal
  store::Value personal;  // NULL when there is nothing personal
};

absl::StatusOr<EncodedCase> Encode(const secrets::KeyRing& keys, const v1::ClearanceCase& c) {
  if (auto s = NeedKeys(keys); !s.ok()) return s;
  auto split = SplitCasePersonal(c);
  if (!split.ok()) return split.status();
  EncodedCase out;
  out.rest = std::move(split->rest);
  if (!split->personal.empty()) {
    auto sealed = secrets::Seal(keys, split->personal, SealedPart(c.case_id(), "personal"));
    if (!sealed.ok()) return sealed.status();
    out.key_id = sealed->key_id;
    out.personal = store::Blob{std::move(sealed->box)};
  }
  return out;
}

// The message's columns (message_key_id, sealed_message, message_sha256) for `xml`.
absl::StatusOr<store::Params> EncodeMessage(const secrets::KeyRing& keys,
                                            const std::string& case_id, const std::string& xml) {
  if (auto s = NeedKeys(keys); !s.ok()) return s;
  auto sealed = secrets::Seal(keys, xml, SealedPart(case_id, "message"));
  if (!sealed.ok()) return sealed.status();
  return store::Params{sealed->key_id, store::Blob{std::move(sealed->box)}, auth::Sha256Hex(xml)};
}

constexpr char kCaseColumns[] = "case_id, payload, personal_key_id, personal";
constexpr char kMessageColumns[] = "message, message_key_id, sealed_message, message_sha256";

}  // namespace

absl::StatusOr<v1::ClearanceCase> CaseRepository::Decode(const store::Row& row, int case_id,
                                                         int payload, int key_id,
                                                         int personal) const {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  if (row.IsNull(key_id) || row.IsNull(personal) || row.Text(key_id) == kBeforeSealing) {
    return JoinCasePersonal(row.Text(payload), "");  // none, erased, or still whole in clear
  }
  auto opened = secrets::Open(keys_, {row.Text(key_id), row.Text(personal)},
                              SealedPart(row.Text(case_id), "personal"));
  if (!opened.ok()) {
    return absl::Status(opened.status().code(), absl::StrCat("stored case ", row.Text(case_id),
                                                             ": ", opened.status().message()));
  }
  return JoinCasePersonal(row.Text(payload), *opened);
}

absl::StatusOr<std::optional<v1::ClearanceCase>> CaseRepository::One(
    absl::StatusOr<std::vector<store::Row>> rows) const {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<v1::ClearanceCase>();
  auto c = Decode(rows->front(), 0, 1, 2, 3);
  if (!c.ok()) return c.status();
  return std::optional<v1::ClearanceCase>(std::move(*c));
}

absl::StatusOr<std::optional<v1::ClearanceCase>> CaseRepository::Find(const std::string& id) {
  return One(tx_.Query(
      absl::StrCat("SELECT ", kCaseColumns, " FROM clearance_cases WHERE case_id = $1"), {id}));
}

absl::StatusOr<std::optional<v1::ClearanceCase>> CaseRepository::FindByOpenKey(
    const std::string& key) {
  return One(tx_.Query(
      absl::StrCat("SELECT ", kCaseColumns, " FROM clearance_cases WHERE open_key = $1"), {key}));
}

absl::Status CaseRepository::Insert(const std::string& open_key, const v1::ClearanceCase& c) {
  auto encoded = Encode(keys_, c);
  if (!encoded.ok()) return encoded.status();
  const v1::Inventory& i = c.inventory();
  return tx_
      .Execute(
          "INSERT INTO clearance_cases (case_id, open_key, status, business_mode, direction, "
          "ebp_code, ebc_code, agent_code, logistics_code, payload, updated_at, personal_key_id, "
          "personal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
          {c.case_id(), open_key, int64_t{c.status()}, c.business_mode(), int64_t{c.direction()},
           i.ebp_code(), i.ebc_code(), i.agent_code(), i.logistics_code(),
           store::Blob{std::move(encoded->rest)}, NowMicros(), encoded->key_id, encoded->personal})
      .status();
}

absl::Status CaseRepository::Update(const v1::ClearanceCase& c) {
  auto encoded = Encode(keys_, c);
  if (!encoded.ok()) return encoded.status();
  const v1::Inventory& i = c.inventory();
  auto changed = tx_.Execute(
      "UPDATE clearance_cases SET status = $2, agent_code = $3, logistics_code = $4, "
      "payload = $5, updated_at = $6, personal_key_id = $7, personal = $8 WHERE case_id = $1",
      {c.case_id(), int64_t{c.status()}, i.agent_code(), i.logistics_code(),
       store::Blob{std::move(encoded->rest)}, NowMicros(), encoded->key_id, encoded->personal});
  if (!changed.ok()) return changed.status();
  if (*changed != 1) return absl::NotFoundError(absl::StrCat("no case ", c.case_id()));
  return absl::OkStatus();
}

absl::Status CaseRepository::SaveMessage(const std::string& case_id, const std::string& xml) {
  auto columns = EncodeMessage(keys_, case_id, xml);
  if (!columns.ok()) return columns.status();
  store::Params params = {case_id};
  params.insert(params.end(), columns->begin(), columns->end());
  return tx_
      .Execute(
          "UPDATE clearance_cases SET message = NULL, message_key_id = $2, sealed_message = $3, "
          "message_sha256 = $4 WHERE case_id = $1",
          params)
      .status();
}

absl::StatusOr<std::optional<StoredMessage>> CaseRepository::DecodeMessage(const store::Row& r,
                                                                           int case_id,
                                                                           int message) const {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  // message, message_key_id, sealed_message, message_sha256 from `message` on.
  StoredMessage out;
  if (!r.IsNull(message + 3)) out.sha256 = r.Text(message + 3);
  if (!r.IsNull(message)) {  // from before migration 3, in clear until the start-up pass
    out.xml = r.Text(message);
  } else if (!r.IsNull(message + 1) && !r.IsNull(message + 2)) {
    auto opened = secrets::Open(keys_, {r.Text(message + 1), r.Text(message + 2)},
                                SealedPart(r.Text(case_id), "message"));
    if (!opened.ok()) {
      return absl::Status(opened.status().code(),
                          absl::StrCat("stored message of case ", r.Text(case_id), ": ",
                                       opened.status().message()));
    }
    out.xml = std::move(*opened);
  } else if (!out.sha256.empty()) {
    out.erased = true;
  } else {
    return std::optional<StoredMessage>();  // never submitted
  }
  return std::optional<StoredMessage>(std::move(out));
}

absl::StatusOr<std::optional<StoredMessage>> CaseRepository::FindMessage(const std::string& id) {
  auto rows = tx_.Query(
      absl::StrCat("SELECT case_id, ", kMessageColumns, " FROM clearance_cases WHERE case_id = $1"),
      {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredMessage>();
  return DecodeMessage(rows->front(), 0, 1);
}

absl::StatusOr<std::vector<v1::ClearanceCase>> CaseRepository::List(const CaseFilter& f,
                                                                    const std::string& after,
                                                                    int limit) {
  std::string sql =
      absl::StrCat("SELECT ", kCaseColumns, " FROM clearance_cases WHERE case_id > $1");
  store::Params params = {after};
  auto bind = [&](store::Value v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  };
  if (!f.enterprise_code.empty()) {
    std::string p = bind(f.enterprise_code);
    absl::StrAppend(&sql, " AND (ebp_code = ", p, " OR ebc_code = ", p, " OR agent_code = ", p,
                    " OR logistics_code = ", p, ")");
  }
  if (f.status != v1::CASE_STATUS_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND status = ", bind(int64_t{f.status}));
  }
  if (!f.statuses.empty()) {
    absl::StrAppend(&sql, " AND status IN (");
    for (size_t i = 0; i < f.statuses.size(); ++i) {
      absl::StrAppend(&sql, i > 0 ? ", " : "", bind(int64_t{f.statuses[i]}));
    }
    absl::StrAppend(&sql, ")");
  }
  if (!f.business_mode.empty())
    absl::StrAppend(&sql, " AND business_mode = ", bind(f.business_mode));
  if (f.direction != 0) absl::StrAppend(&sql, " AND direction = ", bind(int64_t{f.direction}));
  absl::StrAppend(&sql, " ORDER BY case_id LIMIT ", bind(int64_t{limit}));
  auto rows = tx_.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<v1::ClearanceCase> out;
  for (const auto& row : *rows) {
    auto c = Decode(row, 0, 1, 2, 3);
    if (!c.ok()) return c.status();
    out.push_back(std::move(*c));
  }
  return out;
}

absl::StatusOr<int> CaseRepository::ErasePersonal(const std::vector<v1::CaseStatus>& statuses,
                                                  int64_t before_micros, int limit) {
  std::string sql = "SELECT case_id, payload FROM clearance_cases WHERE status IN (";
  store::Params params;
  for (v1::CaseStatus s : statuses) {
    params.push_back(int64_t{s});
    absl::StrAppend(&sql, params.size() > 1 ? ", " : "", "$", params.size());
  }
  params.push_back(before_micros);
  params.push_back(int64_t{limit});
  absl::StrAppend(&sql, ") AND updated_at < $", params.size() - 1,
                  " AND (personal IS NOT NULL OR sealed_message IS NOT NULL OR message IS NOT "
                  "NULL OR personal_key_id = '-') ORDER BY case_id LIMIT $",
                  params.size());
  auto rows = tx_.Query(sql, params);
  if (!rows.ok()) return rows.status();
  for (const store::Row& r : *rows) {
    // The payload of a row from before migration 3 still holds the identity: cut it out too.
    auto c = JoinCasePersonal(r.Text(1), "");
    if (!c.ok()) return c.status();
    auto split = SplitCasePersonal(std::move(*c));
    if (!split.ok()) return split.status();
    if (auto s = tx_.ExecuteLater(
            "UPDATE clearance_cases SET payload = $2, personal_key_id = NULL, personal = NULL, "
            "message = NULL, message_key_id = NULL, sealed_message = NULL WHERE case_id = $1",
            {r.Text(0), store::Blob{std::move(split->rest)}});
        !s.ok()) {
      return s;
    }
  }
  return static_cast<int>(rows->size());
}

absl::StatusOr<CaseRepository::RotationBatch> CaseRepository::ResealCases(const std::string& after,
                                                                          int limit) {
  if (auto s = NeedKeys(keys_); !s.ok()) return s;
  auto rows = tx_.Query(
      absl::StrCat("SELECT ", kCaseColumns, ", ", kMessageColumns,
                   " FROM clearance_cases WHERE (personal_key_id <> $1 OR message_key_id <> $1 "
                   "OR message IS NOT NULL) AND case_id > $2 ORDER BY case_id LIMIT $3"),
      {keys_.active()->id, after, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  RotationBatch batch;
  for (const store::Row& r : *rows) {
    const std::string& case_id = r.Text(0);
    batch.next_after = case_id;
    auto c = Decode(r, 0, 1, 2, 3);
    auto message = DecodeMessage(r, 0, 4);
    if (!c.ok() || !message.ok()) {
      ++batch.left;  // its key is gone from the ring: nothing can open it any more
      continue;
    }
    auto encoded = Encode(keys_, *c);
    if (!encoded.ok()) return encoded.status();
    store::Params params = {case_id, store::Blob{std::move(encoded->rest)}, encoded->key_id,
                            encoded->personal};
    if (*message && !(*message)->erased) {
      auto columns = EncodeMessage(keys_, case_id, (*message)->xml);
      if (!columns.ok()) return columns.status();
      params.insert(params.end(), columns->begin(), columns->end());
    } else {
      params.insert(params.end(), {store::Value(), store::Value(),
                                   *message ? store::Value((*message)->sha256) : store::Value()});
    }
    if (auto s = tx_.ExecuteLater(
            "UPDATE clearance_cases SET payload = $2, personal_key_id = $3, personal = $4, "
            "message = NULL, message_key_id = $5, sealed_message = $6, message_sha256 = $7 "
            "WHERE case_id = $1",
            params);
        !s.ok()) {
      return s;
    }
    ++batch.redone;
  }
  if (static_cast<int>(rows->size()) < limit) batch.next_after.clear();
  return batch;
}

}  // namespace parkline::clearance
