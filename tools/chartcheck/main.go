// chartcheck checks what the Helm chart renders and what it ships, for CI (tools/helm/check.sh):
//
//	chartcheck manifests [--secrets F] FILE...
//	                               every document of `helm template` output decodes strictly into
//	                               the Kubernetes (k8s.io/api v0.31), prometheus-operator (v0.77),
//	                               Gateway API (v1.2) or Strimzi KafkaTopic type of its kind;
//	                               with --secrets (lines "NAME KEY..."), every Secret and key a
//	                               pod reads is among them
//	chartcheck job-script FILE     print the script of the rendered Job in FILE
//	chartcheck promql REPO         deploy/grafana/*.json and deploy/prometheus/rules.yaml: every
//	                               PromQL expression parses and reads only metrics the C++ exposes
//
// Prints one line per problem and exits 1 when there is any.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	batchv1 "k8s.io/api/batch/v1"
)

func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: chartcheck manifests FILE... | chartcheck promql REPO")
		os.Exit(2)
	}
	var problems []string
	switch os.Args[1] {
	case "manifests":
		args := os.Args[2:]
		var secrets map[string]map[string]bool
		if len(args) > 1 && args[0] == "--secrets" {
			var err error
			if secrets, err = readSecrets(args[1]); err != nil {
				fmt.Fprintln(os.Stderr, "chartcheck:", err)
				os.Exit(1)
			}
			args = args[2:]
		}
		for _, path := range args {
			f, err := os.Open(path)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			objects, p := checkManifests(filepath.Base(path), f)
			f.Close()
			problems = append(problems, p...)
			if secrets != nil {
				problems = append(problems, checkSecretRefs(filepath.Base(path), objects, secrets)...)
			}
			if len(objects) == 0 {
				problems = append(problems, path+": rendered no object")
			}
			fmt.Printf("chartcheck: %s: %d objects decoded strictly\n", filepath.Base(path), len(objects))
		}
	case "job-script":
		// The shell script a rendered Job's container runs (its first argument), so a test can run
		// the topic Job's script against a real broker.
		f, err := os.Open(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, "chartcheck:", err)
			os.Exit(1)
		}
		objects, p := checkManifests(filepath.Base(os.Args[2]), f)
		f.Close()
		problems = append(problems, p...)
		found := false
		for _, obj := range objects {
			if job, ok := obj.(*batchv1.Job); ok && len(job.Spec.Template.Spec.Containers[0].Args) > 0 {
				fmt.Print(job.Spec.Template.Spec.Containers[0].Args[0])
				found = true
			}
		}
		if !found {
			problems = append(problems, os.Args[2]+": no Job with a script")
		}
	case "promql":
		repo := os.Args[2]
		known, err := codeMetricNames(repo)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chartcheck:", err)
			os.Exit(1)
		}
		dashboards, _ := filepath.Glob(filepath.Join(repo, "deploy/grafana/*.json"))
		if len(dashboards) == 0 {
			problems = append(problems, "no deploy/grafana/*.json")
		}
		total := 0
		for _, d := range dashboards {
			n, p := checkDashboard(d, known)
			total += n
			problems = append(problems, p...)
		}
		n, p := checkRules(filepath.Join(repo, "deploy/prometheus/rules.yaml"), known)
		problems = append(problems, p...)
		fmt.Printf("chartcheck: %d dashboard and %d rule expressions against %d metric names from the C++\n", total, n, len(known))
	default:
		fmt.Fprintln(os.Stderr, "chartcheck: unknown command", os.Args[1])
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Println("chartcheck: FAIL", p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}
