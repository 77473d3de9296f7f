// SIGTERM and SIGINT handled in one place, with sigwait (as userver's signal catcher does): no
// async-signal-safety traps, and the shutdown sequence runs as ordinary code on main's thread.
#ifndef PARKLINE_RUNTIME_SIGNALS_H_
#define PARKLINE_RUNTIME_SIGNALS_H_

namespace parkline::runtime {

// Blocks SIGTERM and SIGINT in the calling thread. Call first thing in main, before any thread
// starts, so that every thread inherits the mask and only WaitForTerminationSignal sees them.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives; returns its number.
int WaitForTerminationSignal();

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_SIGNALS_H_
