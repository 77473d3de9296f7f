package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: parkline-enterprises
  namespace: park
spec:
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
    spec:
      containers:
        - name: enterprises
          image: parkline:0.1.0
          env:
            - name: PARKLINE_DATABASE_URL
              valueFrom:
                secretKeyRef: {name: parkline-db, key: enterprises-database-url}
`

func decode(t *testing.T, text string) ([]object, []string) {
	t.Helper()
	return checkManifests("test.yaml", strings.NewReader(text))
}

func TestAValidDeploymentDecodes(t *testing.T) {
	objects, problems := decode(t, "# a comment-only document\n---\n"+deployment)
	if len(problems) != 0 || len(objects) != 1 {
		t.Fatalf("objects %d, problems %v", len(objects), problems)
	}
}

func TestUnknownFieldsWrongTypesAndKindsAreRefused(t *testing.T) {
	for name, text := range map[string]string{
		"unknown field":   strings.Replace(deployment, "      containers:", "      containerz: []\n      containers:", 1),
		"wrong type":      strings.Replace(deployment, "image: parkline:0.1.0", "image: [parkline]", 1),
		"duplicate field": strings.Replace(deployment, "  namespace: park\n", "  namespace: park\n  namespace: other\n", 1),
		"unknown kind":    "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: park}\n",
		"bad label":       strings.Replace(deployment, "  namespace: park\n", "  namespace: park\n  labels: {\"a b\": c}\n", 1),
		"no namespace":    strings.Replace(deployment, "  namespace: park\n", "", 1),
		"selector":        strings.Replace(deployment, "      labels: {app: x}", "      labels: {app: y}", 1),
	} {
		if _, problems := decode(t, text); len(problems) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestSecretKeysAreChecked(t *testing.T) {
	objects, _ := decode(t, deployment)
	if p := checkSecretRefs("t", objects, map[string]map[string]bool{"parkline-db": {"enterprises-database-url": true}}); len(p) != 0 {
		t.Errorf("all keys there, yet: %v", p)
	}
	p := checkSecretRefs("t", objects, map[string]map[string]bool{"parkline-db": {"other": true}})
	if len(p) != 1 || !strings.Contains(p[0], `key "enterprises-database-url"`) {
		t.Errorf("a missing key: %v", p)
	}
	if p := checkSecretRefs("t", objects, map[string]map[string]bool{}); len(p) != 1 {
		t.Errorf("a missing Secret: %v", p)
	}
}

func TestPromQL(t *testing.T) {
	known := map[string]bool{"parkline_outbox_pending": true}
	if p := checkExpr("e", grafanaToPromQL(`max by (x) (rate(parkline_outbox_pending{namespace=~"$namespace"}[$__rate_interval]))`), known); len(p) != 0 {
		t.Errorf("valid: %v", p)
	}
	if p := checkExpr("e", "parkline_outbox_pendin", known); len(p) != 1 {
		t.Errorf("unknown metric: %v", p)
	}
	if p := checkExpr("e", "sum(parkline_outbox_pending", known); len(p) != 1 {
		t.Errorf("does not parse: %v", p)
	}
	if p := checkExpr("e", `{__name__=~"parkline_.*"}`, known); len(p) != 1 {
		t.Errorf("names by pattern: %v", p)
	}
}

// The names read from the sources include a literal family, a helper-built one, a histogram's
// series and the statistics catalog's kinds.
func TestCodeMetricNames(t *testing.T) {
	repo := filepath.Join("..", "..")
	known, err := codeMetricNames(repo)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"up", "parkline_outbox_pending", "grpc_server_handling_seconds_bucket",
		"parkline_clearance_receipts_total", "parkline_enterprises_resident", "parkline_trade_value_cny_total",
		"parkline_complaints_on_time_ratio", "parkline_clearance_release_seconds_bucket",
		"parkline_statistics_last_closed_day_end_timestamp_seconds"} {
		if !known[name] {
			t.Errorf("%s not found", name)
		}
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "libs"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "services"), 0o755)
	os.WriteFile(filepath.Join(dir, "libs", "m.cc"), []byte("prometheus::BuildGauge().Name(kName)"), 0o644)
	if _, err := codeMetricNames(dir); err == nil {
		t.Error("a family whose name cannot be read was accepted")
	}
}
