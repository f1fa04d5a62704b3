// Package check holds no code: its test decodes the manifests of deploy/kubernetes into the
// Kubernetes API's own Go types (k8s.io/api), strictly, as 'kubectl apply' does by default.
//
// It is a module of its own so that k8s.io/api and its dependencies stay out of adsim's build
// list (they would raise versions the adsim binary links, such as google.golang.org/protobuf).
// .ci/run runs it: cd deploy/kubernetes/check && go test ./...
package check
