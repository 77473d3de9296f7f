// SIGTERM and SIGINT handled in one place, with sigwait (as userver's signal catcher does): no
// async-signal-safety traps, and the shutdown sequence runs as ordinary code on main's thread.
#ifndef PARKLINE_RUNTIME_SIGNALS_H_
#define PARKLINE_RUNTIME_SIGNALS_H_

#include <csignal>

#include "absl/time/time.h"

namespace parkline::runtime {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread. Call first thing in main, before any
// thread starts, so that every thread inherits the mask and only WaitForTerminationSignal sees
// them.
void BlockServiceSignals();

// Waits up to `timeout` for SIGTERM, SIGINT or SIGHUP; returns its number, or 0 when the time
// passed without one.
int WaitForSignal(absl::Duration timeout);

inline bool IsTermination(int signal) { return signal == SIGTERM || signal == SIGINT; }

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_SIGNALS_H_
