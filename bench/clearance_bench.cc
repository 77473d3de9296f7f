// The clearance desk in process, on SQLite and then on PostgreSQL (when
// PARKLINE_TEST_POSTGRES_URL names a server): N cases opened from declarations, completed and
// submitted (inventory written with libxml2, signed, stored, ClearanceSubmitted in the outbox),
// then their receipts 2, 120, 399, 800 recorded one RPC-equivalent call each, from T threads.
// Also the time to write one CEB621 alone, and to sign (and verify) it in each suite. Prints
// throughput and latency percentiles.
//
//   build/bench/clearance_bench [cases=400] [threads=8]
//
// A benchmark, not a test: it exits 0 whenever it could measure.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ceb/signing_key.h"
#include "clearance/clearance_desk.h"
#include "clearance/inventory_message.h"
#include "clearance/sample_cases.h"
#include "clearance/schema.h"
#include "events/schema.h"
#include "parkline/declarations/v1/events.pb.h"
#include "store/group_commit.h"
#include "tests/support/signing_keys.h"
#include "tests/support/test_env.h"

namespace {

using namespace parkline;
namespace dv1 = declarations::v1;

struct Timings {
  std::vector<double> micros;
  double seconds = 0;
  std::string Summary(const char* what) {
    std::sort(micros.begin(), micros.end());
    auto pct = [&](double p) {
      return micros.empty() ? 0 : micros[size_t(p * (micros.size() - 1))];
    };
    return absl::StrCat(what, ": ", micros.size(), " in ", seconds,
                        " s = ", static_cast<int>(micros.size() / seconds), "/s, p50 ",
                        static_cast<int>(pct(0.5)), " us, p99 ", static_cast<int>(pct(0.99)),
                        " us");
  }
};

template <typename Fn>
Timings Run(int count, int threads, Fn fn) {
  Timings t;
  std::vector<std::vector<double>> per(threads);
  std::atomic<int> next{0};
  absl::Time start = absl::Now();
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w) {
    pool.emplace_back([&, w] {
      for (int i = next++; i < count; i = next++) {
        absl::Time s = absl::Now();
        fn(i);
        per[w].push_back(absl::ToDoubleMicroseconds(absl::Now() - s));
      }
    });
  }
  for (auto& th : pool) th.join();
  t.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  for (auto& p : per) t.micros.insert(t.micros.end(), p.begin(), p.end());
  return t;
}

void Bench(const std::string& backend, int cases, int threads) {
  testing::TestDatabase database(backend);
  if (database.url().empty()) {
    std::printf("%s: skipped (PARKLINE_TEST_POSTGRES_URL is not set)\n", backend.c_str());
    return;
  }
  auto db = store::Database::Open(database.url());
  if (!db.ok() || !events::ApplyEventsSchema(**db).ok() || !clearance::ApplySchema(**db).ok()) {
    std::printf("%s: cannot open the database\n", backend.c_str());
    return;
  }
  clearance::UnsignedSigner signer;
  store::GroupCommitter writer(**db);
  clearance::ClearanceDesk desk(**db, writer, signer, {}, nullptr,
                                secrets::KeyRing::Generate("bench-1"));
  std::vector<std::string> ids(cases);
  std::atomic<int> failures{0};
  Timings open = Run(cases, threads, [&](int i) {
    dv1::DeclarationMatched m;
    *m.mutable_declaration() = clearance::SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", i);
    if (!(*db)->Transact([&](store::Transaction& tx) { return desk.ApplyMatched(tx, m); }).ok()) {
      failures++;
    }
    ids[i] = clearance::CaseIdFor("declaration:" + m.declaration().order_key());
  });
  // Submitted by the sample's e-commerce enterprise, the declarant (clearance/case_parties.h).
  auth::Viewer declarant;
  declarant.codes = {clearance::SampleCodes().enterprise};
  Timings submit = Run(cases, threads, [&](int i) {
    auto c = desk.Get(ids[i], "", clearance::CustomsViewer());
    clearance::v1::SubmitCaseRequest r;
    r.set_case_id(ids[i]);
    *r.mutable_inventory() = clearance::CompleteDraft(c->inventory(), c->direction(), i);
    if (!desk.Submit(r, declarant).ok()) failures++;
  });
  const char* codes[] = {"2", "120", "399", "800"};
  Timings receipts = Run(cases * 4, threads, [&](int k) {
    // Receipts of one case in order, cases interleaved across threads.
    int i = k % cases, step = k / cases;
    clearance::v1::CustomsReceipt r;
    r.set_guid(ids[i]);
    r.set_return_status(codes[step]);
    r.set_return_time(absl::StrCat("2025030112000", step, "000"));
    r.set_return_info("bench");
    // A receipt whose predecessor another thread has not recorded yet may be refused; retry.
    for (int attempt = 0; attempt < 1000; ++attempt) {
      if (desk.RecordReceipt(r).ok()) return;
      absl::SleepFor(absl::Microseconds(200));
    }
    failures++;
  });
  std::printf("%s (%d threads)\n  %s\n  %s\n  %s\n  failures: %d\n", backend.c_str(), threads,
              open.Summary("open from declaration").c_str(),
              submit.Summary("complete + write CEB621 + sign + store").c_str(),
              receipts.Summary("receipts recorded").c_str(), failures.load());
}

}  // namespace

int main(int argc, char** argv) {
  int cases = argc > 1 ? std::atoi(argv[1]) : 400;
  int threads = argc > 2 ? std::atoi(argv[2]) : 8;
  clearance::InventoryMessageInput in;
  in.guid = "6F1D2C3B-4A59-4E6F-8A7B-0C1D2E3F4A5B";
  in.business_mode = "9610";
  in.direction = dv1::DIRECTION_IMPORT;
  in.inventory = clearance::CompleteDraft(
      clearance::DraftFromDeclaration(
          clearance::SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", 1), {}),
      dv1::DIRECTION_IMPORT, 1);
  in.app_time = absl::Now();
  Timings write = Run(20000, 1, [&](int) { clearance::WriteInventoryMessage(in).IgnoreError(); });
  std::printf("%s\n", write.Summary("CEB621 written (2 lines)").c_str());
  // The business signature, each suite: sign (C14N, digest, key) and verify what was signed, as
  // XmlDsigSigner does for every submission. Keys made here, in a PEM file.
  auto xml = clearance::WriteInventoryMessage(in);
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("parkline-bench-sign-", getpid());
  std::filesystem::create_directories(dir);
  for (ceb::SignatureSuite suite : {ceb::SignatureSuite::kSm2Sm3, ceb::SignatureSuite::kRsaSha1}) {
    std::string name(ceb::SuiteName(suite));
    auto files = testing::MakeKeyFiles(suite, dir, name);
    auto key = ceb::LoadPemSigningKey(files.key, files.certificate, "0001");
    if (!xml.ok() || !key.ok()) {
      std::printf("%s: skipped (no key)\n", name.c_str());
      continue;
    }
    clearance::XmlDsigSigner signer(std::shared_ptr<const ceb::SigningKey>(std::move(*key)));
    Timings sign = Run(2000, 1, [&](int) { signer.Sign(*xml).IgnoreError(); });
    std::printf("%s\n",
                sign.Summary(absl::StrCat("CEB621 signed and verified, ", name).c_str()).c_str());
  }
  std::filesystem::remove_all(dir);
  for (const std::string& backend : testing::StoreBackends()) Bench(backend, cases, threads);
  return 0;
}
