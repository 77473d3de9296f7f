#!/usr/bin/env bash
# promtool, to test the alert rules (deploy/prometheus/rules_test.yaml): the one on PATH, or else
# the one from Debian's prometheus package, unpacked under $PARKLINE_HOME/tools (default
# .parkline/tools) on first use. Unpacked, not installed: installing the package would also start
# a Prometheus server on this machine.
#
#   tools/prometheus/promtool.sh test rules deploy/prometheus/rules_test.yaml
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
if command -v promtool >/dev/null; then exec promtool "$@"; fi
dir="${PARKLINE_HOME:-$repo/.parkline}/tools/prometheus"
bin="$dir/promtool"
if [ ! -x "$bin" ]; then
  echo "promtool: unpacking Debian's prometheus package into $dir" >&2
  mkdir -p "$dir"
  # apt-get download writes to the current folder (as root it warns that it runs unsandboxed).
  (cd "$dir" && apt-get download -qq prometheus &&
    dpkg-deb -x prometheus_*.deb unpacked && mv unpacked/usr/bin/promtool . &&
    rm -rf unpacked prometheus_*.deb)
fi
exec "$bin" "$@"
