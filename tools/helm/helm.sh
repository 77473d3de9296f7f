#!/usr/bin/env bash
# The chart's tools, built from the Go module proxy on first use (no release binary can be fetched
# here) and kept by version under $PARKLINE_TOOLS (default $GOPATH/parkline-tools, i.e. ~/go: it
# outlives a fresh clone, as CI makes one; Go's own module and build caches are under ~/go and
# ~/.cache/go-build).
#
#   tools/helm/helm.sh install        build whatever is missing: helm, helm-docs, chartcheck
#   tools/helm/helm.sh helm ARGS      run helm v3.16
#   tools/helm/helm.sh docs ARGS      run helm-docs
#   tools/helm/helm.sh chartcheck ARGS  run tools/chartcheck (rebuilt when its sources change)
#   tools/helm/helm.sh helm-path | chartcheck-path   build if needed, print the binary's path
#
# Cold (empty Go caches) the three take several minutes on two cores: helm alone pulls in
# client-go. Warm, a call costs nothing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
# The machine's Go (/usr/local/go) may be missing from a non-login shell's PATH.
command -v go >/dev/null || PATH=$PATH:/usr/local/go/bin
helm_version=v3.16.4
helm_docs_version=v1.14.2
tools=${PARKLINE_TOOLS:-$(go env GOPATH)/parkline-tools}

say() { echo "helm.sh: $*" >&2; }

# go_install DIR PACKAGE@VERSION [GO-FLAGS...]: builds into DIR/bin once.
go_install() {
  local dir=$1 pkg=$2
  shift 2
  [ -x "$dir/bin/$(basename "${pkg%@*}")" ] && return 0
  say "building $pkg (once; cached in $dir)"
  local started=$SECONDS
  mkdir -p "$dir"
  GOBIN="$dir/bin" GOFLAGS=-mod=mod go install "$@" "$pkg"
  say "built $pkg in $((SECONDS - started)) s"
}

# What helm's Makefile stamps: the Kubernetes version `helm template` and `helm lint` assume
# (1.31, from the client-go v0.31 it is built with); without it they assume 1.20.
k8s_version_flags() {
  local p
  for p in pkg/chartutil pkg/lint/rules; do
    printf -- '-X helm.sh/helm/v3/%s.k8sVersionMajor=1 -X helm.sh/helm/v3/%s.k8sVersionMinor=31 ' "$p" "$p"
  done
}

helm_bin() {
  # The version stamp a release build sets (helm version, and the Capabilities charts see).
  go_install "$tools/helm-$helm_version" "helm.sh/helm/v3/cmd/helm@$helm_version" \
    -ldflags "-X helm.sh/helm/v3/internal/version.version=$helm_version $(k8s_version_flags)"
  echo "$tools/helm-$helm_version/bin/helm"
}

docs_bin() {
  go_install "$tools/helm-docs-$helm_docs_version" \
    "github.com/norwoodj/helm-docs/cmd/helm-docs@$helm_docs_version"
  echo "$tools/helm-docs-$helm_docs_version/bin/helm-docs"
}

# chartcheck is the project's own: keyed by a hash of its sources so an edit rebuilds it.
chartcheck_bin() {
  local src=$repo/tools/chartcheck hash dir
  hash=$(cat "$src"/go.mod "$src"/go.sum "$src"/*.go | sha256sum | cut -c1-16)
  dir=$tools/chartcheck-$hash
  if [ ! -x "$dir/chartcheck" ]; then
    say "building tools/chartcheck (once per change; cached in $dir)"
    local started=$SECONDS
    mkdir -p "$dir"
    (cd "$src" && go build -o "$dir/chartcheck" .)
    say "built chartcheck in $((SECONDS - started)) s"
  fi
  echo "$dir/chartcheck"
}

# Helm keeps its own config and cache; a fresh clone's CI must not depend on a user's repos.
export HELM_CACHE_HOME=${HELM_CACHE_HOME:-${PARKLINE_HOME:-$repo/.parkline}/helm/cache}
export HELM_CONFIG_HOME=${HELM_CONFIG_HOME:-${PARKLINE_HOME:-$repo/.parkline}/helm/config}
export HELM_DATA_HOME=${HELM_DATA_HOME:-${PARKLINE_HOME:-$repo/.parkline}/helm/data}

command=${1:-}
shift || true
case "$command" in
  install) helm_bin >/dev/null && docs_bin >/dev/null && chartcheck_bin >/dev/null ;;
  helm) bin=$(helm_bin) && exec "$bin" "$@" ;;
  helm-path) helm_bin ;;
  chartcheck-path) chartcheck_bin ;;
  docs) bin=$(docs_bin) && exec "$bin" "$@" ;;
  chartcheck) bin=$(chartcheck_bin) && exec "$bin" "$@" ;;
  *)
    echo "usage: tools/helm/helm.sh install | helm ARGS | docs ARGS | chartcheck ARGS" >&2
    exit 2
    ;;
esac
