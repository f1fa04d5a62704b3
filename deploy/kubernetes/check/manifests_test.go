package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// kinds are the Kubernetes API types of the objects deploy/kubernetes may hold, by apiVersion
// and kind: a manifest must decode into its type with no field left over.
var kinds = map[string]func() any{
	"v1 Service":                         func() any { return new(corev1.Service) },
	"v1 Secret":                          func() any { return new(corev1.Secret) },
	"v1 PersistentVolumeClaim":           func() any { return new(corev1.PersistentVolumeClaim) },
	"apps/v1 StatefulSet":                func() any { return new(appsv1.StatefulSet) },
	"apps/v1 Deployment":                 func() any { return new(appsv1.Deployment) },
	"batch/v1 Job":                       func() any { return new(batchv1.Job) },
	"networking.k8s.io/v1 NetworkPolicy": func() any { return new(networkingv1.NetworkPolicy) },
}

// decode decodes the documents of a manifest into the Kubernetes API types strictly, as
// 'kubectl apply' does by default (--validate=strict): a field the type does not have (a
// misspelt completionMode) or a value of the wrong type (completions: "8") is an error. It
// returns the number of objects decoded.
func decode(data []byte) (int, error) {
	objs, err := decodeObjects(data)
	return len(objs), err
}

// decodeObjects is decode, returning the objects (pointers to the API types).
func decodeObjects(data []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var objs []any
	for i := 1; ; i++ {
		var doc map[string]any
		if err := dec.Decode(&doc); err == io.EOF {
			return objs, nil
		} else if err != nil {
			return objs, fmt.Errorf("document %d: %w", i, err)
		}
		if len(doc) == 0 {
			continue // comments only
		}
		key := fmt.Sprintf("%v %v", doc["apiVersion"], doc["kind"])
		newObj, ok := kinds[key]
		if !ok {
			return objs, fmt.Errorf("document %d: %s is not a kind this test knows; add its type to kinds", i, key)
		}
		js, err := json.Marshal(doc)
		if err != nil {
			return objs, fmt.Errorf("document %d (%s): %w", i, key, err)
		}
		jd := json.NewDecoder(bytes.NewReader(js))
		jd.DisallowUnknownFields()
		obj := newObj()
		if err := jd.Decode(obj); err != nil {
			return objs, fmt.Errorf("document %d (%s): %w", i, key, err)
		}
		objs = append(objs, obj)
	}
}

// TestManifestsAreKubernetesObjects checks every manifest of deploy/kubernetes against the
// Kubernetes API's Go types, and that the check catches a misspelt field and values of the
// wrong type. (adsim's own tests, cmd/adsim/deploy_test.go, check the adsim command lines,
// volumes and image the manifests use.)
func TestManifestsAreKubernetesObjects(t *testing.T) {
	files, err := filepath.Glob("../*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/kubernetes (%v)", err)
	}
	// kustomization.yaml is kustomize's, not an object of the API (TestLoginKustomization
	// builds it); the coordinator of a server with a login is an object of its own.
	files = slices.DeleteFunc(files, func(p string) bool { return filepath.Base(p) == "kustomization.yaml" })
	files = append(files, "../login/coordinator.yaml")
	total := 0
	var job []byte
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := decode(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		total += n
		if filepath.Base(path) == "shards-job.yaml" {
			job = data
		}
	}
	// nats.yaml: two Services, a StatefulSet and a NetworkPolicy; shards-job.yaml: a claim
	// and a Job; shards-merge.yaml: a Job; workers.yaml: a Deployment; login/coordinator.yaml:
	// a Job.
	if total != 9 {
		t.Errorf("%d objects decoded, want 9", total)
	}
	for _, c := range []struct{ old, new, want string }{
		{"completionMode: Indexed", "completionMod: Indexed", `unknown field "completionMod"`},
		{"completions: 8", `completions: "8"`, "cannot unmarshal string"},
		{"restartPolicy: OnFailure", "restartPolicy: [OnFailure]", "cannot unmarshal array"},
		{"kind: Job", "kind: Jobs", "batch/v1 Jobs is not a kind this test knows"},
	} {
		bad := bytes.Replace(job, []byte(c.old), []byte(c.new), 1)
		if bytes.Equal(bad, job) {
			t.Fatalf("%q is not in shards-job.yaml", c.old)
		}
		if _, err := decode(bad); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.new, err, c.want)
		}
	}
}
