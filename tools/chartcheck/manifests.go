package main

// Strict decoding of rendered manifests: every document must be a kind the chart is allowed to
// render, and must decode into that kind's Go type with no unknown or duplicate field and no
// value of the wrong type, as the API server's strict field validation would refuse it.

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"
)

// KafkaTopic is Strimzi's kafka.strimzi.io/v1beta2 KafkaTopic as its CRD's schema defines it
// (Strimzi publishes no Go types): spec.topicName, partitions, replicas and config.
type KafkaTopic struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              struct {
		TopicName  string                 `json:"topicName,omitempty"`
		Partitions int32                  `json:"partitions"`
		Replicas   int32                  `json:"replicas"`
		Config     map[string]interface{} `json:"config,omitempty"`
	} `json:"spec"`
}

// object is what every decoded type shares: its metadata.
type object interface {
	GetName() string
	GetNamespace() string
	GetLabels() map[string]string
}

// kinds maps "apiVersion kind" to a constructor of its Go type.
var kinds = map[string]func() object{
	"v1 ConfigMap":                  func() object { return &corev1.ConfigMap{} },
	"v1 Secret":                     func() object { return &corev1.Secret{} },
	"v1 Service":                    func() object { return &corev1.Service{} },
	"v1 ServiceAccount":             func() object { return &corev1.ServiceAccount{} },
	"v1 PersistentVolumeClaim":      func() object { return &corev1.PersistentVolumeClaim{} },
	"apps/v1 Deployment":            func() object { return &appsv1.Deployment{} },
	"batch/v1 Job":                  func() object { return &batchv1.Job{} },
	"policy/v1 PodDisruptionBudget": func() object { return &policyv1.PodDisruptionBudget{} },
	"networking.k8s.io/v1 NetworkPolicy": func() object {
		return &networkingv1.NetworkPolicy{}
	},
	"networking.k8s.io/v1 Ingress": func() object { return &networkingv1.Ingress{} },
	"autoscaling/v2 HorizontalPodAutoscaler": func() object {
		return &autoscalingv2.HorizontalPodAutoscaler{}
	},
	"monitoring.coreos.com/v1 ServiceMonitor": func() object { return &monitoringv1.ServiceMonitor{} },
	"monitoring.coreos.com/v1 PodMonitor":     func() object { return &monitoringv1.PodMonitor{} },
	"monitoring.coreos.com/v1 PrometheusRule": func() object { return &monitoringv1.PrometheusRule{} },
	"gateway.networking.k8s.io/v1 GRPCRoute":  func() object { return &gatewayv1.GRPCRoute{} },
	"kafka.strimzi.io/v1beta2 KafkaTopic":     func() object { return &KafkaTopic{} },
}

// checkManifests decodes every document of a `helm template` output and returns one message
// per problem, each naming the document (kind/name) and the rule. Also returns the decoded
// objects so callers can check relations between them.
func checkManifests(source string, r io.Reader) ([]object, []string) {
	var problems []string
	var objects []object
	seen := map[string]bool{}
	reader := utilyaml.NewYAMLReader(bufioReader(r))
	for index := 0; ; index++ {
		doc, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: document %d: %v", source, index, err))
			break
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		var head metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &head); err != nil {
			problems = append(problems, fmt.Sprintf("%s: document %d: not YAML: %v", source, index, err))
			continue
		}
		key := head.APIVersion + " " + head.Kind
		make, ok := kinds[key]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: document %d: %q is no kind the chart may render", source, index, key))
			continue
		}
		obj := make()
		if err := yaml.UnmarshalStrict(doc, obj); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %s: %v", source, key, err))
			continue
		}
		id := fmt.Sprintf("%s %s/%s", key, obj.GetNamespace(), obj.GetName())
		if seen[id] {
			problems = append(problems, fmt.Sprintf("%s: %s: rendered twice", source, id))
		}
		seen[id] = true
		for _, msg := range validation.IsDNS1123Subdomain(obj.GetName()) {
			problems = append(problems, fmt.Sprintf("%s: %s: metadata.name: %s", source, id, msg))
		}
		if obj.GetNamespace() == "" {
			problems = append(problems, fmt.Sprintf("%s: %s: metadata.namespace is empty", source, id))
		}
		for k, v := range obj.GetLabels() {
			for _, msg := range validation.IsQualifiedName(k) {
				problems = append(problems, fmt.Sprintf("%s: %s: label %q: %s", source, id, k, msg))
			}
			for _, msg := range validation.IsValidLabelValue(v) {
				problems = append(problems, fmt.Sprintf("%s: %s: label %s=%q: %s", source, id, k, v, msg))
			}
		}
		problems = append(problems, checkObject(source, id, obj)...)
		objects = append(objects, obj)
	}
	return objects, problems
}

// checkObject adds the rules strict decoding cannot see.
func checkObject(source, id string, obj object) []string {
	var problems []string
	bad := func(format string, args ...interface{}) {
		problems = append(problems, fmt.Sprintf("%s: %s: ", source, id)+fmt.Sprintf(format, args...))
	}
	switch o := obj.(type) {
	case *appsv1.Deployment:
		checkPod(&o.Spec.Template.Spec, bad)
		if o.Spec.Selector == nil {
			bad("spec.selector is missing")
		} else {
			for k, v := range o.Spec.Selector.MatchLabels {
				if o.Spec.Template.Labels[k] != v {
					bad("the pod template lacks selector label %s=%s", k, v)
				}
			}
		}
	case *batchv1.Job:
		checkPod(&o.Spec.Template.Spec, bad)
	case *monitoringv1.PrometheusRule:
		if len(o.Spec.Groups) == 0 {
			bad("spec.groups is empty")
		}
	}
	return problems
}

// checkPod: every container's env names are unique and every volume mount names a volume.
func checkPod(spec *corev1.PodSpec, bad func(string, ...interface{})) {
	volumes := map[string]bool{}
	for _, v := range spec.Volumes {
		if volumes[v.Name] {
			bad("volume %q twice", v.Name)
		}
		volumes[v.Name] = true
	}
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		env := map[string]bool{}
		for _, e := range c.Env {
			if env[e.Name] {
				bad("container %s: env %s set twice (the later one silently wins)", c.Name, e.Name)
			}
			env[e.Name] = true
		}
		for _, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				bad("container %s: volumeMount %q names no volume", c.Name, m.Name)
			}
		}
	}
}

// stripComments drops comment-only lines so a document of comments counts as empty.
func stripComments(doc []byte) []byte {
	var out []string
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}
