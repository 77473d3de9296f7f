// The witness of an adversarial test: an attempt that the park refuses must change nothing, so a
// test marks what there is before it, lets the attacker try, and has the witness compare after.
// "Nothing" means every row of every table of the service's database (its own tables, the outbox,
// the consumers' records) and every record on the service's topics on the real broker: the
// witness publishes the outbox with an OutboxRelay of its own, under a topic prefix of its own,
// before it looks, so that an event a refused call appended would be seen on the topic too, not
// only in the outbox.
//
//   testing::TamperWitness witness(*db_, {"parkline.declarations.v1"});
//   witness.Mark();
//   witness.ExpectRefused("another platform withdraws the victim's order", attack());
//
// Not thread-safe; one per test.
#ifndef PARKLINE_TESTS_SUPPORT_TAMPER_WITNESS_H_
#define PARKLINE_TESTS_SUPPORT_TAMPER_WITNESS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/support/status.h"
#include "store/database.h"

namespace parkline::events {
class OutboxRelay;
}  // namespace parkline::events

namespace parkline::testing {

// Every table of `db` (SQLite or PostgreSQL) and its rows, each row rendered as text and the rows
// sorted, so that two pictures compare equal exactly when no row was added, removed or changed.
using TablePicture = std::map<std::string, std::vector<std::string>>;
TablePicture PictureOf(store::Database& db);

class TamperWitness {
 public:
  // `topics` are the topics the service publishes to, as the outbox names them.
  TamperWitness(store::Database& db, std::vector<std::string> topics);
  ~TamperWitness();

  // Publishes what the outbox holds, then records every table and the end offset of each topic.
  void Mark();

  // Publishes what the outbox holds, then fails the test (saying `what` was tried, and which
  // table's rows or which topic differ) when anything differs from the last Mark.
  void ExpectUnchanged(const std::string& what);

  // What an attempt that must fail gets: `status` is one of `codes`, and ExpectUnchanged(what).
  void ExpectRefused(const std::string& what, const grpc::Status& status,
                     const std::vector<grpc::StatusCode>& codes = {
                         grpc::StatusCode::PERMISSION_DENIED, grpc::StatusCode::NOT_FOUND});

 private:
  // Publishes the pending rows of the outbox and waits until none is left.
  void Publish();
  std::map<std::string, int64_t> TopicEnds();

  store::Database& db_;
  std::vector<std::string> topics_;
  std::string prefix_;
  std::unique_ptr<events::OutboxRelay> relay_;
  TablePicture tables_;
  std::map<std::string, int64_t> ends_;
};

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_TAMPER_WITNESS_H_
