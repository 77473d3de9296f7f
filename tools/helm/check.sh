#!/usr/bin/env bash
# The chart's checks (ctest `helm_chart`, label unit; tools/dev deps builds the tools first):
#
#  1. helm lint --strict and helm template for every helm/parkline/ci/*.yaml; every rendered
#     document decoded strictly into its Kubernetes / prometheus-operator / Gateway API type
#     (tools/chartcheck).
#  2. deploy/README.md's walk-throughs run as written: each ```sh block after a
#     "<!-- checked: ci/NAME.yaml -->" line is executed with stand-ins for kubectl (records the
#     Secrets it creates), helm (install becomes template) and parkctl; the rendered pods may read
#     only those Secrets and keys, and the helm command must use that ci file.
#  3. Settings the chart must refuse are refused, with the message naming the value.
#  4. One source: the chart's rules, topics and dashboards are links to deploy/ and tools/kafka/,
#     and `helm package` puts the linked files' contents into the package.
#  5. The dashboards' and rules' PromQL parses and reads only metrics the C++ registers.
#  6. helm/parkline/README.md is what helm-docs generates from values.yaml.
#  7. tools/chartcheck's own tests.
#
# Prints one line per check and "N passed, N failed"; exits 1 on any failure.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
command -v go >/dev/null || PATH=$PATH:/usr/local/go/bin
tool=$repo/tools/helm/helm.sh
chart=helm/parkline
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { echo "chart: ok   $*"; passed=$((passed + 1)); }
bad() { echo "chart: FAIL $*"; failed=$((failed + 1)); }
# run NAME CMD...: one check, its output shown only when it fails.
run() {
  local name=$1
  shift
  if "$@" >"$work/out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/    /' "$work/out"; fi
}

"$tool" install || { echo "chart: the tools did not build"; echo "0 passed, 1 failed"; exit 1; }
helm_bin=$("$tool" helm-path)
chartcheck=$("$tool" chartcheck-path)

# 1. Every ci values file.
for values in "$chart"/ci/*.yaml; do
  name=$(basename "$values" .yaml)
  run "lint --strict $name" "$helm_bin" lint --strict "$chart" -f "$values"
  if "$helm_bin" template parkline "$chart" -n park -f "$values" >"$work/$name.yaml" 2>"$work/err"; then
    run "decode $name" "$chartcheck" manifests "$work/$name.yaml"
  else
    bad "template $name"
    sed 's/^/    /' "$work/err"
  fi
done

# 2. The walk-throughs of deploy/README.md.
walkthrough() {
  local values=$1 block=$2 out=$3
  (
    set -e
    secrets=$out.secrets
    : >"$secrets"
    kubectl() {
      local args=("$@") i name kind
      while [ "${args[0]}" = -n ]; do args=("${args[@]:2}"); done
      case "${args[0]} ${args[1]}" in
        "create namespace") return 0 ;;
        "create secret") ;;
        *) echo "walk-through: kubectl ${args[*]}: not a step this check knows" >&2; return 1 ;;
      esac
      kind=${args[2]} name=${args[3]}
      local keys=()
      for ((i = 4; i < ${#args[@]}; i++)); do
        case "${args[i]}" in
          --from-literal=* | --from-file=*=*) keys+=("$(sed -E 's/^--from-(literal|file)=([^=]+)=.*/\2/' <<<"${args[i]}")") ;;
          --from-file=*) keys+=("$(basename "${args[i]#--from-file=}")") ;;
          -n) i=$((i + 1)) ;;
        esac
      done
      [ "$kind" = tls ] && keys+=(tls.crt tls.key)
      echo "$name ${keys[*]}" >>"$secrets"
    }
    helm() {
      [ "$1" = install ] || { echo "walk-through: helm $1: only install is checked" >&2; return 1; }
      shift
      local a found=no
      for a in "$@"; do [ "$a" = "helm/parkline/ci/$values" ] && found=yes; done
      [ $found = yes ] || { echo "walk-through: helm install does not use -f helm/parkline/ci/$values" >&2; return 1; }
      "$helm_bin" template "$@" >"$out"
    }
    parkctl() { :; }
    # shellcheck disable=SC1090
    source "$block"
    [ -s "$out" ] || { echo "walk-through: no helm install ran" >&2; return 1; }
    "$chartcheck" manifests --secrets "$secrets" "$out"
  )
}
for values in $(sed -nE 's/^<!-- checked: ci\/([a-z0-9-]+\.yaml) -->$/\1/p' deploy/README.md); do
  block=$work/walk-$values.sh
  awk -v marker="<!-- checked: ci/$values -->" '
    $0 == marker { armed = 1; next }
    armed && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }' deploy/README.md >"$block"
  if [ ! -s "$block" ]; then bad "walk-through ci/$values: no sh block after its marker"; continue; fi
  run "deploy/README.md walk-through ci/$values" walkthrough "$values" "$block" "$work/walk-$values.yaml"
done
grep -q '<!-- checked: ci/sqlite-development.yaml -->' deploy/README.md &&
  grep -q '<!-- checked: ci/postgresql-production.yaml -->' deploy/README.md ||
  bad "deploy/README.md: both walk-throughs (sqlite-development, postgresql-production) must be marked"

# 3. Refusals: each must fail and say why.
refuse() {
  local why=$1
  shift
  if "$helm_bin" template parkline "$chart" -n park -f "$chart/ci/postgresql-production.yaml" "$@" \
    >/dev/null 2>"$work/err"; then
    bad "refuses $* (rendered)"
  elif grep -q -- "$why" "$work/err"; then
    ok "refuses $*"
  else
    bad "refuses $* (but not saying '$why')"
    sed 's/^/    /' "$work/err"
  fi
}
refuse "autoscaling needs PostgreSQL" --set database.existingSecret= --set defaults.replicas=1
refuse "needs kafka.sasl.username" --set kafka.sasl.username=
refuse "SASL_PLAINTEXT sends the login" --set kafka.securityProtocol=SASL_PLAINTEXT --set kafka.tls.caSecretName=
refuse "need kafka.securityProtocol SSL" --set kafka.securityProtocol=PLAINTEXT --set kafka.sasl.passwordSecretName= --set kafka.sasl.username=
refuse "no such topic" --set kafka.topics.overrides.parkline-nope.partitions=2
refuse "both scrape every pod" --set metrics.podMonitor.enabled=true
refuse "is not enabled" --set services.logistics.enabled=false
refuse "Additional property bogus is not allowed" --set defaults.autoscaling.bogus=1
# The clearance signer: what the service would refuse at start, and keys of one service on another.
refuse "signer.type=none with PARKLINE_CUSTOMS_GATEWAY=external" \
  --set services.clearance.signer.type=none --set services.clearance.signer.existingSecret=
refuse "signer.type=pem needs signer.existingSecret" --set services.clearance.signer.existingSecret=
refuse "needs signer.keyName" --set services.clearance.signer.keyName=
refuse "needs signer.pkcs11.module" --set services.clearance.signer.type=pkcs11
refuse "needs signer.pkcs11.slot (0 or more) or signer.pkcs11.tokenLabel" \
  --set services.clearance.signer.type=pkcs11 --set services.clearance.signer.pkcs11.module=/m.so \
  --set services.clearance.signer.pkcs11.keyLabel=k
refuse "existingSecret and configMap exclude each other" --set services.clearance.customsCertificates.configMap=c
refuse "services.logistics.signer: False always fails" --set services.logistics.signer.type=pem
refuse "services.clearance.exchangeRates: False always fails" --set services.clearance.exchangeRates.configMap=r
# ...and what it must still render: drafts on purpose, with no signer mounted.
if "$helm_bin" template parkline "$chart" -n park -f "$chart/ci/postgresql-production.yaml" \
  --set services.clearance.signer.type=none --set services.clearance.signer.existingSecret= \
  --set services.clearance.allowUnsignedDrafts=true >"$work/drafts.yaml" 2>"$work/err" &&
  grep -q 'PARKLINE_ALLOW_UNSIGNED_DRAFTS' "$work/drafts.yaml" && ! grep -q '/etc/parkline/signer' "$work/drafts.yaml"; then
  ok "renders services.clearance.allowUnsignedDrafts without a signer"
else
  bad "renders services.clearance.allowUnsignedDrafts without a signer"
  sed 's/^/    /' "$work/err"
fi

# 4. One source.
for link in files/prometheus-rules.yaml:deploy/prometheus/rules.yaml files/topics.txt:tools/kafka/topics.txt \
  dashboards/parkline-overview.json:deploy/grafana/parkline-overview.json \
  dashboards/parkline-indicators.json:deploy/grafana/parkline-indicators.json; do
  inchart=$chart/${link%%:*} source=${link#*:}
  if [ -L "$inchart" ] && [ "$(realpath "$inchart")" = "$(realpath "$source")" ]; then
    ok "$inchart links to $source"
  else
    bad "$inchart must be a link to $source (one source)"
  fi
done
for f in "$chart"/dashboards/*.json; do
  [ -L "$f" ] || bad "$f is a copy: link it to deploy/grafana/"
done
for f in deploy/grafana/*.json; do
  [ -e "$chart/dashboards/$(basename "$f")" ] || bad "deploy/grafana/$(basename "$f") is not linked into $chart/dashboards/"
done
if "$helm_bin" package "$chart" -d "$work/package" >"$work/out" 2>&1 &&
  mkdir -p "$work/unpacked" && tar -xzf "$work/package"/parkline-*.tgz -C "$work/unpacked" &&
  cmp "$work/unpacked/parkline/files/prometheus-rules.yaml" deploy/prometheus/rules.yaml &&
  cmp "$work/unpacked/parkline/dashboards/parkline-overview.json" deploy/grafana/parkline-overview.json &&
  cmp "$work/unpacked/parkline/files/topics.txt" tools/kafka/topics.txt; then
  ok "helm package carries the linked files"
else
  bad "helm package carries the linked files"
  sed 's/^/    /' "$work/out"
fi

# Every topic of the list is created: by the hook Job (its TOPICS lines "name partitions
# retention") and, with Strimzi, as a KafkaTopic (spec.topicName). A service publishing to a
# topic nobody created fails at its first event.
for values in postgresql-production options; do
  if "$helm_bin" template parkline "$chart" -n park -f "$chart/ci/$values.yaml" \
    --show-only templates/kafka-topics.yaml >"$work/topics-$values.yaml" 2>"$work/err"; then
    missing=""
    for topic in $(sed -nE 's/^([a-z][^ #]*)[[:space:]]+[0-9]+.*/\1/p' tools/kafka/topics.txt); do
      grep -qE "^[[:space:]]+($topic [0-9]+ [0-9]+|topicName: $topic)\$" "$work/topics-$values.yaml" ||
        missing="$missing $topic"
    done
    if [ -z "$missing" ]; then
      ok "ci/$values.yaml creates every topic of tools/kafka/topics.txt"
    else
      bad "ci/$values.yaml does not create:$missing"
    fi
  else
    bad "template kafka-topics.yaml with ci/$values.yaml"
    sed 's/^/    /' "$work/err"
  fi
done
grep -qE '^parkline\.statistics\.v1[[:space:]]' tools/kafka/topics.txt ||
  bad "tools/kafka/topics.txt lacks parkline.statistics.v1 (the statistics publish DayClosed there)"

# 5. PromQL.
run "PromQL of deploy/grafana and deploy/prometheus" "$chartcheck" promql "$repo"

# 6. The chart's README.
if "$tool" docs --chart-search-root "$chart" --dry-run >"$work/README.md" 2>"$work/err" &&
  diff -u "$chart/README.md" "$work/README.md" >"$work/out"; then
  ok "helm/parkline/README.md is up to date (helm-docs)"
else
  bad "helm/parkline/README.md differs from helm-docs' (run: tools/helm/helm.sh docs --chart-search-root helm/parkline)"
  head -40 "$work/out" "$work/err" | sed 's/^/    /'
fi

# 7. The checker's own tests (it must refuse what it is there to refuse).
run "tools/chartcheck go test" env -C tools/chartcheck go test ./...

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
