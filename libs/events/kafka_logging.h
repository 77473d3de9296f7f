// Routes librdkafka's own log lines and errors into the service's JSON log, so that an operator
// reads one format.
#ifndef PARKLINE_EVENTS_KAFKA_LOGGING_H_
#define PARKLINE_EVENTS_KAFKA_LOGGING_H_

#include <librdkafka/rdkafkacpp.h>

#include <string>

#include "runtime/log.h"

namespace parkline::events {

class KafkaLogging : public RdKafka::EventCb {
 public:
  explicit KafkaLogging(std::string client) : client_(std::move(client)) {}

  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_ERROR:
        log::Write(event.fatal() ? log::Level::kError : log::Level::kWarn, "kafka error",
                   {{"client", client_},
                    {"error", RdKafka::err2str(event.err())},
                    {"detail", event.str()}});
        break;
      case RdKafka::Event::EVENT_LOG:
        log::Write(
            event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR     ? log::Level::kError
            : event.severity() <= RdKafka::Event::EVENT_SEVERITY_WARNING ? log::Level::kWarn
                                                                         : log::Level::kDebug,
            "kafka", {{"client", client_}, {"facility", event.fac()}, {"detail", event.str()}});
        break;
      default:
        break;
    }
  }

 private:
  std::string client_;
};

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_KAFKA_LOGGING_H_
