package main

// The dashboards' and alert rules' PromQL: every expression parses, and every metric it reads is
// one the services expose. The names come from the C++ itself (see codeMetricNames), so a
// renamed metric breaks this check rather than a dashboard panel in production.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"
)

var (
	// prometheus::BuildCounter()...Name("x"): the families registered through prometheus-cpp.
	buildCall   = regexp.MustCompile(`prometheus::Build(Counter|Gauge|Histogram|Summary)\(\)`)
	buildName   = regexp.MustCompile(`prometheus::Build(Counter|Gauge|Histogram|Summary)\(\)\s*\.Name\(\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"\s*\)`)
	nameLiteral = regexp.MustCompile(`"(parkline_[a-z0-9_]+)"`)
	// The statistics service's indicator families are named from its catalog
	// (services/statistics/indicator_metrics.cc): {"name", K::kKind, ...}.
	catalogEntry = regexp.MustCompile(`\{\s*"([a-z0-9_]+)",\s*K::k(Counter|Gauge|Rate)\b`)
	// ... and its histograms: const std::vector<Histogram>& Histograms() { ... {"name", "clause"
	histogramsBody = regexp.MustCompile(`(?s)const std::vector<Histogram>& Histograms\(\) \{(.*?)\n\}`)
	histogramEntry = regexp.MustCompile(`\{\s*"([a-z0-9_]+)",\s*"`)
	// The statistics' own families, built from literal names in indicator_metrics.cc.
	statisticsFamily = regexp.MustCompile(`family\(\s*"(parkline_[a-z0-9_]+)"`)
	grafanaVariable  = regexp.MustCompile(`\$\{?[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}?`)
)

// codeMetricNames returns every series name the services can expose, read from the sources under
// repo, or an error when the sources no longer look the way this reader expects (a Build call
// whose name it cannot see, an empty catalog): better a failed check than a silently short list.
func codeMetricNames(repo string) (map[string]bool, error) {
	names := map[string]bool{"up": true} // added by Prometheus to every target
	addFamily := func(name, kind string) {
		names[name] = true
		if kind == "Histogram" || kind == "Summary" {
			names[name+"_sum"] = true
			names[name+"_count"] = true
			if kind == "Histogram" {
				names[name+"_bucket"] = true
			}
		}
	}
	for _, dir := range []string{"libs", "services"} {
		err := filepath.Walk(filepath.Join(repo, dir), func(path string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			if info.IsDir() || !(strings.HasSuffix(path, ".cc") || strings.HasSuffix(path, ".h")) ||
				strings.HasSuffix(path, "_test.cc") {
				return nil
			}
			text, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			calls := buildCall.FindAllSubmatch(text, -1)
			named := buildName.FindAllSubmatch(text, -1)
			for _, m := range named {
				addFamily(string(m[2]), string(m[1]))
			}
			if len(calls) == len(named) {
				return nil
			}
			// A helper that builds families from a name parameter, e.g. Family(name, help): its
			// file's "parkline_..." literals are those names, of the helper's one kind.
			kinds := map[string]bool{}
			for _, c := range calls {
				kinds[string(c[1])] = true
			}
			for _, m := range named {
				delete(kinds, string(m[1]))
			}
			literals := nameLiteral.FindAllSubmatch(text, -1)
			if len(kinds) != 1 || len(literals) == 0 {
				return fmt.Errorf("%s: prometheus::Build* calls without a literal .Name(\"...\") whose names this check cannot read: name the family at the call, or build one kind from \"parkline_...\" literals in the file", path)
			}
			for kind := range kinds {
				for _, m := range literals {
					addFamily(string(m[1]), kind)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	catalog, err := os.ReadFile(filepath.Join(repo, "services/statistics/indicators.cc"))
	if err != nil {
		return nil, err
	}
	entries := catalogEntry.FindAllSubmatch(catalog, -1)
	if len(entries) == 0 {
		return nil, fmt.Errorf("services/statistics/indicators.cc: no catalog entry {\"name\", K::k...} found")
	}
	for _, m := range entries {
		name := "parkline_" + string(m[1])
		if string(m[2]) == "Counter" {
			name += "_total"
		}
		names[name] = true
	}
	body := histogramsBody.FindSubmatch(catalog)
	if body == nil {
		return nil, fmt.Errorf("services/statistics/indicators.cc: Histograms() not found")
	}
	for _, m := range histogramEntry.FindAllSubmatch(body[1], -1) {
		addFamily("parkline_"+string(m[1]), "Histogram")
	}
	exposed, err := os.ReadFile(filepath.Join(repo, "services/statistics/indicator_metrics.cc"))
	if err != nil {
		return nil, err
	}
	for _, m := range statisticsFamily.FindAllSubmatch(exposed, -1) {
		names[string(m[1])] = true
	}
	return names, nil
}

// grafanaToPromQL replaces Grafana's template variables with values the parser accepts.
func grafanaToPromQL(expr string) string {
	return grafanaVariable.ReplaceAllStringFunc(expr, func(v string) string {
		switch strings.Trim(v, "${}") {
		case "__rate_interval", "__interval", "__range":
			return "5m"
		}
		return "x"
	})
}

// checkExpr parses expr and checks the metric names it selects.
func checkExpr(where, expr string, known map[string]bool) []string {
	tree, err := parser.ParseExpr(expr)
	if err != nil {
		return []string{fmt.Sprintf("%s: does not parse: %v\n  %s", where, err, expr)}
	}
	var problems []string
	for _, sel := range parser.ExtractSelectors(tree) {
		for _, m := range sel {
			if m.Name != labels.MetricName {
				continue
			}
			if m.Type != labels.MatchEqual {
				problems = append(problems, fmt.Sprintf("%s: selects metric names by pattern (%s): name them", where, m))
			} else if !known[m.Value] {
				problems = append(problems, fmt.Sprintf("%s: metric %q is exposed by no service (not in the C++ sources)", where, m.Value))
			}
		}
	}
	return problems
}

// checkDashboard checks every "expr" of a Grafana dashboard JSON file; returns the count.
func checkDashboard(path string, known map[string]bool) (int, []string) {
	text, err := os.ReadFile(path)
	if err != nil {
		return 0, []string{err.Error()}
	}
	var doc interface{}
	if err := json.Unmarshal(text, &doc); err != nil {
		return 0, []string{fmt.Sprintf("%s: not JSON: %v", path, err)}
	}
	var problems []string
	count := 0
	var walk func(v interface{}, at string)
	walk = func(v interface{}, at string) {
		switch t := v.(type) {
		case map[string]interface{}:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			title, _ := t["title"].(string)
			if title != "" {
				at = title
			}
			for _, k := range keys {
				if s, ok := t[k].(string); ok && k == "expr" {
					count++
					problems = append(problems, checkExpr(fmt.Sprintf("%s: panel %q", filepath.Base(path), at), grafanaToPromQL(s), known)...)
					continue
				}
				walk(t[k], at)
			}
		case []interface{}:
			for _, x := range t {
				walk(x, at)
			}
		}
	}
	walk(doc, "")
	if count == 0 {
		problems = append(problems, fmt.Sprintf("%s: no PromQL expression found", path))
	}
	return count, problems
}

// checkRules checks every expr of a Prometheus rule file; returns the count.
func checkRules(path string, known map[string]bool) (int, []string) {
	text, err := os.ReadFile(path)
	if err != nil {
		return 0, []string{err.Error()}
	}
	var file struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Alert  string `json:"alert"`
				Record string `json:"record"`
				Expr   string `json:"expr"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.Unmarshal(text, &file); err != nil {
		return 0, []string{fmt.Sprintf("%s: %v", path, err)}
	}
	var problems []string
	count := 0
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			count++
			name := r.Alert + r.Record
			problems = append(problems, checkExpr(fmt.Sprintf("%s: %s", filepath.Base(path), name), r.Expr, known)...)
			if r.Record != "" {
				known[r.Record] = true
			}
		}
	}
	return count, problems
}
