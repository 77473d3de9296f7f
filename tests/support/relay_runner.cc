// Runs an OutboxRelay over a given SQLite database until killed: the process that the relay
// crash test kills half way. Usage: relay_runner <sqlite-url> <brokers> <batch-size>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "events/outbox_relay.h"
#include "runtime/log.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: relay_runner <sqlite-url> <brokers> <batch-size>\n");
    return 2;
  }
  parkline::log::Init("relay_runner", parkline::log::Level::kInfo);
  auto db = parkline::store::Database::Open(argv[1]);
  if (!db.ok()) return 1;
  parkline::events::RelayOptions options;
  options.brokers = argv[2];
  options.batch_size = std::atoi(argv[3]);
  options.poll_interval = absl::Milliseconds(10);
  parkline::events::OutboxRelay relay(**db, options);
  if (!relay.Start().ok()) return 1;
  while (true) pause();
}
