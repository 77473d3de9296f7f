#!/usr/bin/env bash
# The local park's fixed ports against the kernel's ephemeral ones.
#
#   tools/ports.sh wait PORT [SECONDS]   exit 0 once nothing on this host holds TCP PORT; exit 1 at
#                                        once if a listener holds it, or after SECONDS (default 75)
#                                        if a connection still does
#   tools/ports.sh reserve RANGE         add RANGE (e.g. 50051-50058) to
#                                        net.ipv4.ip_local_reserved_ports when this user may write
#                                        it, keeping what is there; otherwise say how, and go on
#
# Why: the services' gRPC ports (50051-50058) lie inside Linux's ephemeral range (32768-60999),
# and connect() picks even ports first. Any outgoing connection (a Kafka client, a test) can take
# one as its local port, and its TIME_WAIT keeps it for 60 s after it closes; binding then fails
# with "Address already in use" although nothing listens there. Reserving the ports stops new
# connections from taking them; waiting covers the ones taken before.
set -euo pipefail

say() { echo "ports: $*" >&2; }

# The kernel's state codes (include/net/tcp_states.h) of every TCP socket whose local port is $1.
states_of() {
  local hex
  hex=$(printf ':%04X' "$1")
  awk -v port="$hex" 'FNR > 1 && substr($2, length($2) - 4) == port { print $4 }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u | tr '\n' ' '
}

wait_port() {
  local port=$1 seconds=${2:-75} started=$SECONDS states told=0
  while :; do
    states=$(states_of "$port")
    [ -z "$states" ] && return 0
    if [[ " $states" == *" 0A "* ]]; then
      say "port $port is taken by a listening socket (another park left running? tools/dev down," \
        "or find it with: ss -ltnp 'sport = :$port')"
      return 1
    fi
    if [ $((SECONDS - started)) -ge "$seconds" ]; then
      say "port $port is still held by a connection after ${seconds} s (states $states); reserve" \
        "the park's ports once with: sudo sysctl -w net.ipv4.ip_local_reserved_ports=50051-50058"
      return 1
    fi
    if [ $told -eq 0 ]; then
      # 06 is TIME_WAIT: it ends by itself within 60 s.
      say "port $port is held by a connection that took it as its local port (states $states);" \
        "waiting up to ${seconds} s for it to close"
      told=1
    fi
    sleep 1
  done
}

reserve() {
  local range=$1 file=/proc/sys/net/ipv4/ip_local_reserved_ports current
  if [ ! -w "$file" ]; then
    say "cannot reserve $range against ephemeral use here; if a service cannot bind its port, run:" \
      "sudo sysctl -w net.ipv4.ip_local_reserved_ports=$range"
    return 0
  fi
  current=$(cat "$file")
  if [[ ",$current," == *",$range,"* ]]; then return 0; fi
  # The kernel takes the whole list at once: what is there stays, the range is added.
  if echo "${current:+$current,}$range" >"$file" 2>/dev/null; then
    say "reserved $range against ephemeral use (net.ipv4.ip_local_reserved_ports)"
  else
    say "could not write $file; ports $range stay in the ephemeral range"
  fi
}

case "${1:-}" in
  wait) wait_port "${2:?a port}" "${3:-75}" ;;
  reserve) reserve "${2:?a range such as 50051-50058}" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
