package main

// Whether a walk-through's Secrets carry every key the rendered pods read: a pod that names a
// missing Secret or key never starts (CreateContainerConfigError, or a volume that never mounts).

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// readSecrets reads lines "NAME KEY..." (written by tools/helm/check.sh's kubectl stand-in).
func readSecrets(path string) (map[string]map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	secrets := map[string]map[string]bool{}
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 0 {
			continue
		}
		if secrets[fields[0]] == nil {
			secrets[fields[0]] = map[string]bool{}
		}
		for _, k := range fields[1:] {
			secrets[fields[0]][k] = true
		}
	}
	return secrets, scanner.Err()
}

func keysOf(m map[string]bool) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// checkSecretRefs returns one problem per Secret or key the objects read that `secrets` lacks.
func checkSecretRefs(source string, objects []object, secrets map[string]map[string]bool) []string {
	var problems []string
	need := func(who, name, key string) {
		keys, ok := secrets[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: %s reads Secret %q, which the walk-through never creates", source, who, name))
		case key != "" && !keys[key]:
			problems = append(problems, fmt.Sprintf("%s: %s reads key %q of Secret %q, which has only: %s", source, who, key, name, keysOf(keys)))
		}
	}
	pod := func(who string, spec *corev1.PodSpec) {
		for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
			for _, e := range c.Env {
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					ref := e.ValueFrom.SecretKeyRef
					if ref.Optional == nil || !*ref.Optional {
						need(fmt.Sprintf("%s env %s", who, e.Name), ref.Name, ref.Key)
					}
				}
			}
			for _, e := range c.EnvFrom {
				if e.SecretRef != nil && (e.SecretRef.Optional == nil || !*e.SecretRef.Optional) {
					need(who+" envFrom", e.SecretRef.Name, "")
				}
			}
		}
		for _, v := range spec.Volumes {
			if v.Secret == nil || (v.Secret.Optional != nil && *v.Secret.Optional) {
				continue
			}
			need(fmt.Sprintf("%s volume %s", who, v.Name), v.Secret.SecretName, "")
			for _, item := range v.Secret.Items {
				need(fmt.Sprintf("%s volume %s", who, v.Name), v.Secret.SecretName, item.Key)
			}
		}
		for _, s := range spec.ImagePullSecrets {
			need(who+" imagePullSecrets", s.Name, "")
		}
	}
	for _, obj := range objects {
		switch o := obj.(type) {
		case *appsv1.Deployment:
			pod("Deployment "+o.Name, &o.Spec.Template.Spec)
		case *batchv1.Job:
			pod("Job "+o.Name, &o.Spec.Template.Spec)
		case *networkingv1.Ingress:
			for _, t := range o.Spec.TLS {
				need("Ingress "+o.Name+" tls", t.SecretName, "")
			}
		}
	}
	return problems
}
