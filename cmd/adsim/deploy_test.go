package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/adsim/adsim/mc"
)

const (
	manifestDir    = "../../deploy/kubernetes"
	dockerfilePath = "../../deploy/Dockerfile"
)

// manifestFiles returns the Kubernetes manifests of deploy/kubernetes (with its
// kustomization.yaml, which holds no object) and the coordinator of a server with a login,
// login/coordinator.yaml.
func manifestFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(manifestDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s (%v)", manifestDir, err)
	}
	return append(files, filepath.Join(manifestDir, "login", "coordinator.yaml"))
}

// loginPatches returns the patches of deploy/kubernetes/kustomization.yaml (login/*-login.yaml):
// parts of objects, which hold adsim command lines too.
func loginPatches(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(manifestDir, "login", "*-login.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no patches in %s/login (%v)", manifestDir, err)
	}
	return files
}

// k8sObject is what the tests read of a Kubernetes object: enough to find adsim's command lines
// and the volumes its pods use.
type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		AccessModes    []string    `yaml:"accessModes"`
		CompletionMode string      `yaml:"completionMode"`
		ClusterIP      string      `yaml:"clusterIP"`   // a Service's
		ServiceName    string      `yaml:"serviceName"` // a StatefulSet's
		PodSelector    k8sSelector `yaml:"podSelector"` // a NetworkPolicy's
		Ingress        []struct {  // a NetworkPolicy's
			From []struct {
				PodSelector *k8sSelector `yaml:"podSelector"`
			} `yaml:"from"`
			Ports []k8sPort `yaml:"ports"`
		} `yaml:"ingress"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec struct {
				Containers     []k8sContainer `yaml:"containers"`
				InitContainers []k8sContainer `yaml:"initContainers"`
				Volumes        []struct {
					Name                  string `yaml:"name"`
					PersistentVolumeClaim *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// k8sSelector is a label selector (matchLabels only: the manifests use no expressions).
type k8sSelector struct {
	MatchLabels map[string]string `yaml:"matchLabels"`
}

// k8sPort is a NetworkPolicy rule's port.
type k8sPort struct {
	Port int `yaml:"port"`
}

// k8sContainer is what the tests read of a container.
type k8sContainer struct {
	Image           string   `yaml:"image"`
	Args            []string `yaml:"args"`
	Command         []string `yaml:"command"`
	SecurityContext *struct {
		RunAsUser *int64 `yaml:"runAsUser"`
	} `yaml:"securityContext"`
	VolumeMounts []k8sMount `yaml:"volumeMounts"`
}

// k8sMount is a container's volume mount.
type k8sMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
}

// readObjects reads the objects of a manifest file.
func readObjects(t *testing.T, path string) []k8sObject {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var objs []k8sObject
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var o k8sObject
		if err := dec.Decode(&o); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if o.Kind != "" {
			objs = append(objs, o)
		}
	}
	return objs
}

// deployCommands returns the adsim command lines of the Kubernetes manifests: the args of every
// container of the adsim image, and those of the comments (after `kubectl run ... --`, in
// backquotes, and indented lines "#   adsim ..."), with $(JOB_COMPLETION_INDEX) expanded as
// Kubernetes would.
func deployCommands(t *testing.T) [][]string {
	t.Helper()
	var cmds [][]string
	for _, path := range append(manifestFiles(t), loginPatches(t)...) {
		for _, o := range readObjects(t, path) {
			for _, c := range o.Spec.Template.Spec.Containers {
				if strings.HasPrefix(c.Image, "adsim:") {
					args := make([]string, len(c.Args))
					for i, a := range c.Args {
						args[i] = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", "3")
					}
					cmds = append(cmds, args)
				}
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		quoted := regexp.MustCompile("`adsim ([^`]+)`")
		sc := bufio.NewScanner(bytes.NewReader(data))
		afterRun := false
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), "#")
			if !ok {
				continue
			}
			if strings.HasPrefix(line, "  ") && strings.HasPrefix(strings.TrimSpace(line), "adsim ") {
				cmds = append(cmds, strings.Fields(line)[1:]) // an indented example: "#   adsim nats-config ..."
			}
			line = strings.TrimSpace(line)
			if afterRun {
				cmds = append(cmds, strings.Fields(line))
			}
			afterRun = strings.HasPrefix(line, "kubectl run") && strings.HasSuffix(line, "-- \\")
			for _, m := range quoted.FindAllStringSubmatch(line, -1) {
				if !strings.Contains(m[1], "...") { // "adsim merge /results/0 ... /results/7": a pattern
					cmds = append(cmds, strings.Fields(m[1]))
				}
			}
		}
	}
	return cmds
}

// TestDeployCommands: every adsim command line in the Kubernetes manifests names a command of
// this adsim, with flags it has and values it accepts (the image's entrypoint is adsim, so the
// args start with the command).
func TestDeployCommands(t *testing.T) {
	cmds := deployCommands(t)
	seen := map[string]bool{}
	for _, args := range cmds {
		root := newRoot(io.Discard, io.Discard, nil)
		cmd, rest, err := root.Find(args)
		if err != nil || cmd == root {
			t.Errorf("%q: not an adsim command (%v)", args, err)
			continue
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("%q: %v", args, err)
			continue
		}
		if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
			t.Errorf("%q: %v", args, err)
		}
		seen[cmd.Name()] = true
		if f := cmd.Flags().Lookup("shard"); f != nil && f.Value.String() != "" {
			seen["shard"] = true
			env := func(k string) string {
				if k == "JOB_COMPLETION_INDEX" {
					return "3"
				}
				return ""
			}
			if _, err := mc.ParseShard(f.Value.String(), env); err != nil {
				t.Errorf("%q: %v", args, err)
			}
		}
	}
	for _, want := range []string{"worker", "mc", "shard", "merge", "nats-config"} {
		if !seen[want] {
			t.Errorf("no %s command line in %s, want the worker, the coordinator, the shard job, the merge and the login's: %q", want, manifestDir, cmds)
		}
	}
}

// TestDeployAlternatives: the two ways of running on Kubernetes — NATS with workers, or an
// Indexed Job of shards — are in separate files, so that applying one does not start the
// other, and each file of shards defines the claims its pods mount (ReadWriteMany, as pods on
// several nodes write to it), so that none stays Pending for a claim nothing creates.
func TestDeployAlternatives(t *testing.T) {
	claims := map[string][]string{} // defined claim -> access modes
	type use struct{ file, claim string }
	var uses []use
	var workersIn, shardsIn, natsIn []string
	for _, path := range manifestFiles(t) {
		base := filepath.Base(path)
		defined := map[string]bool{}
		var used []string
		for _, o := range readObjects(t, path) {
			switch {
			case o.Kind == "PersistentVolumeClaim":
				claims[o.Metadata.Name] = o.Spec.AccessModes
				defined[o.Metadata.Name] = true
			case o.Kind == "Deployment" && o.Metadata.Name == "adsim-worker":
				workersIn = append(workersIn, base)
			case o.Kind == "Job" && o.Spec.CompletionMode == "Indexed":
				shardsIn = append(shardsIn, base)
			case o.Kind == "StatefulSet" && o.Metadata.Name == "adsim-nats":
				natsIn = append(natsIn, base)
			}
			for _, v := range o.Spec.Template.Spec.Volumes {
				if v.PersistentVolumeClaim != nil {
					used = append(used, v.PersistentVolumeClaim.ClaimName)
					uses = append(uses, use{base, v.PersistentVolumeClaim.ClaimName})
				}
			}
		}
		for _, o := range readObjects(t, path) {
			if o.Kind == "Job" && o.Spec.CompletionMode == "Indexed" {
				for _, c := range used {
					if !defined[c] {
						t.Errorf("%s: the shard job mounts the claim %s, which the file does not define: it cannot be applied on its own", base, c)
					}
				}
			}
		}
	}
	if len(workersIn) != 1 || len(shardsIn) != 1 || len(natsIn) != 1 || workersIn[0] == shardsIn[0] || natsIn[0] == shardsIn[0] {
		t.Errorf("workers in %v, the shard job in %v, the NATS server in %v: want one file each, the shard job apart from the others", workersIn, shardsIn, natsIn)
	}
	for _, u := range uses {
		modes, ok := claims[u.claim]
		if !ok {
			t.Errorf("%s mounts the claim %s, which no manifest defines", u.file, u.claim)
		} else if !slices.Contains(modes, "ReadWriteMany") {
			t.Errorf("the claim %s is %v: the shard pods on several nodes need ReadWriteMany", u.claim, modes)
		}
	}
}

// TestDeployVolumeOwnership: every adsim pod that writes to a claim first gives the mounted
// directory to the image's nonroot user (65532) in an init container run as root: fsGroup,
// which the pods set too, is ignored for NFS and by most NFS, EFS and Azure Files CSI drivers,
// the ReadWriteMany classes the shard job needs, and adsim could not create its directory.
func TestDeployVolumeOwnership(t *testing.T) {
	checked := 0
	for _, path := range manifestFiles(t) {
		for _, o := range readObjects(t, path) {
			ps := o.Spec.Template.Spec
			claimVolumes := map[string]bool{}
			for _, v := range ps.Volumes {
				if v.PersistentVolumeClaim != nil {
					claimVolumes[v.Name] = true
				}
			}
			for _, c := range ps.Containers {
				if !strings.HasPrefix(c.Image, "adsim:") {
					continue
				}
				for _, m := range c.VolumeMounts {
					if !claimVolumes[m.Name] {
						continue
					}
					checked++
					ok := false
					for _, ic := range ps.InitContainers {
						cmd := strings.Join(ic.Command, " ")
						root := ic.SecurityContext != nil && ic.SecurityContext.RunAsUser != nil && *ic.SecurityContext.RunAsUser == 0
						mounted := slices.Contains(ic.VolumeMounts, m)
						ok = ok || (root && mounted && strings.Contains(cmd, "chown 65532:65532 "+m.MountPath))
					}
					if !ok {
						t.Errorf("%s: %s %s mounts the claim volume %s at %s with no init container, run as root, that chowns it to 65532", filepath.Base(path), o.Kind, o.Metadata.Name, m.Name, m.MountPath)
					}
				}
			}
		}
	}
	if checked < 2 {
		t.Errorf("%d adsim containers with a claim checked; want the shard job's and the merge's", checked)
	}
}

// TestDeployNATSServices: the NATS StatefulSet's governing Service is headless (clusterIP:
// None), as a StatefulSet's serviceName must be for its pods' DNS names, and the client Service
// that the adsim URLs name (adsim-nats) exists.
func TestDeployNATSServices(t *testing.T) {
	services := map[string]string{} // name -> clusterIP
	var governing []string
	for _, path := range manifestFiles(t) {
		for _, o := range readObjects(t, path) {
			switch o.Kind {
			case "Service":
				services[o.Metadata.Name] = o.Spec.ClusterIP
			case "StatefulSet":
				governing = append(governing, o.Spec.ServiceName)
			}
		}
	}
	if len(governing) == 0 {
		t.Fatal("no StatefulSet")
	}
	for _, g := range governing {
		if ip, ok := services[g]; !ok || ip != "None" {
			t.Errorf("the StatefulSet's serviceName %s: defined %v, clusterIP %q; want a headless Service (clusterIP: None)", g, ok, ip)
		}
	}
	if ip, ok := services["adsim-nats"]; !ok || ip == "None" {
		t.Errorf("the client Service adsim-nats (nats://adsim-nats:4222): defined %v, clusterIP %q", ok, ip)
	}
}

// TestStaticBuild builds adsim as deploy/Dockerfile does (no cgo, for a distroless static
// base) and checks that the binary needs no dynamic loader and runs; and that the Dockerfile
// runs that build and makes the binary its entrypoint.
func TestStaticBuild(t *testing.T) {
	data, err := os.ReadFile(dockerfilePath)
	if err != nil {
		t.Fatal(err)
	}
	var build, entry string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "RUN ") && strings.Contains(line, "go build") {
			build = line
		}
		if rest, ok := strings.CutPrefix(line, "ENTRYPOINT "); ok {
			entry = rest
		}
	}
	if !strings.Contains(build, "CGO_ENABLED=0") || !strings.HasSuffix(build, " ./cmd/adsim") {
		t.Errorf("%s: the build line %q is not a cgo-free build of ./cmd/adsim", dockerfilePath, build)
	}
	var ep []string
	if err := json.Unmarshal([]byte(entry), &ep); err != nil || len(ep) != 1 || !strings.Contains(string(data), "COPY --from=build /out/adsim "+ep[0]+"\n") {
		t.Errorf("%s: ENTRYPOINT %q is not the adsim binary the image copies", dockerfilePath, entry)
	}
	if testing.Short() {
		t.Skip("builds the adsim binary")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the image is linux/amd64")
	}
	bin := filepath.Join(t.TempDir(), "adsim")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the cgo-free build is dynamically linked (%v): it would not run on a static base image", p.Type)
		}
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "adsim ") {
		t.Errorf("adsim version: %v: %s", err, out)
	}
}

// TestDeployNATSPolicy: nats.yaml's NetworkPolicy covers the server's pods and lets through, on
// the client port, every pod that runs adsim with --nats: the workers' pod template carries
// the label it allows, and so does every coordinator the comments start with kubectl run.
func TestDeployNATSPolicy(t *testing.T) {
	var policies, servers []k8sObject
	var clients []k8sObject // objects whose adsim containers connect to the server
	for _, path := range manifestFiles(t) {
		for _, o := range readObjects(t, path) {
			switch o.Kind {
			case "NetworkPolicy":
				policies = append(policies, o)
			case "StatefulSet":
				servers = append(servers, o)
			}
			for _, c := range o.Spec.Template.Spec.Containers {
				if strings.HasPrefix(c.Image, "adsim:") && slices.Contains(c.Args, "--nats") {
					clients = append(clients, o)
				}
			}
		}
	}
	if len(policies) != 1 || len(servers) != 1 || len(clients) == 0 {
		t.Fatalf("%d NetworkPolicies, %d StatefulSets and %d adsim objects with --nats; want one, one and some", len(policies), len(servers), len(clients))
	}
	p := policies[0]
	matches := func(sel, labels map[string]string) bool {
		for k, v := range sel {
			if labels[k] != v {
				return false
			}
		}
		return len(sel) > 0
	}
	if !matches(p.Spec.PodSelector.MatchLabels, servers[0].Spec.Template.Metadata.Labels) {
		t.Errorf("the policy selects %v; the server's pods are labelled %v", p.Spec.PodSelector.MatchLabels, servers[0].Spec.Template.Metadata.Labels)
	}
	allowed := func(labels map[string]string) bool {
		for _, in := range p.Spec.Ingress {
			client := slices.ContainsFunc(in.Ports, func(pt k8sPort) bool { return pt.Port == 4222 })
			for _, f := range in.From {
				if client && f.PodSelector != nil && matches(f.PodSelector.MatchLabels, labels) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range clients {
		if !allowed(c.Spec.Template.Metadata.Labels) {
			t.Errorf("%s %s: its pods (labels %v) may not reach port 4222 under the policy", c.Kind, c.Metadata.Name, c.Spec.Template.Metadata.Labels)
		}
	}
	// The coordinators of the comments: kubectl run ... --labels=K=V,... -- \ then adsim's args.
	runs := 0
	for _, path := range manifestFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(line, "#"))
			if !strings.HasPrefix(line, "kubectl run") || strings.HasPrefix(line, "kubectl run ...") {
				continue // "kubectl run ... --overrides=…": the line above, with one flag more
			}
			runs++
			labels := map[string]string{}
			for _, f := range strings.Fields(line) {
				if v, ok := strings.CutPrefix(f, "--labels="); ok {
					for _, kv := range strings.Split(v, ",") {
						k, v, _ := strings.Cut(kv, "=")
						labels[k] = v
					}
				}
			}
			if !allowed(labels) {
				t.Errorf("%s: %q: the coordinator's pod (labels %v) may not reach the server under the policy", filepath.Base(path), line, labels)
			}
		}
	}
	if runs == 0 {
		t.Error("no kubectl run line for a coordinator in the manifests' comments")
	}
}

// TestDeployLogin: the 'adsim nats-config' line of deploy/kubernetes/kustomization.yaml writes
// the files its Secrets are made from, where it reads them; puts the server's JetStream store
// on the claim nats.yaml mounts, as login/server-login.yaml expects; names the certificate
// where that patch mounts it; and makes it for the host the clients connect to. Run as written
// (into a temporary directory), it makes them. (deploy/kubernetes/check builds the kustomization and
// checks the mounts and flags of the server, the workers and the coordinator.)
func TestDeployLogin(t *testing.T) {
	kust := filepath.Join(manifestDir, "kustomization.yaml")
	data, err := os.ReadFile(kust)
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		SecretGenerator []struct {
			Name  string   `yaml:"name"`
			Files []string `yaml:"files"`
		} `yaml:"secretGenerator"`
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatalf("%s: %v", kust, err)
	}
	var line []string
	for _, args := range deployCommands(t) {
		if len(args) > 0 && args[0] == "nats-config" {
			line = args
		}
	}
	if line == nil {
		t.Fatalf("no 'adsim nats-config' line in %s", manifestDir)
	}
	root := newRoot(io.Discard, io.Discard, nil)
	cmd, rest, err := root.Find(line)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	out, store := cmd.Flags().Lookup("out").Value.String(), cmd.Flags().Lookup("store-dir").Value.String()
	serverDir := cmd.Flags().Lookup("server-dir").Value.String()
	hosts, err := cmd.Flags().GetStringSlice("tls-host")
	if err != nil {
		t.Fatal(err)
	}
	// The files the Secrets are made from, relative to the repository's root as the line is.
	var files []string
	for _, g := range k.SecretGenerator {
		for _, f := range g.Files {
			files = append(files, filepath.Join("deploy/kubernetes", f))
		}
	}
	if len(files) != 5 {
		t.Fatalf("%s makes Secrets of %q; want five files: the configuration, the seed, the authority, the server's certificate and key", kust, files)
	}
	// The server finds the files where its patch mounts them; the clients connect by a name
	// the certificate holds.
	configMount := mountPathOf(t, filepath.Join(manifestDir, "login", "server-login.yaml"), "config")
	if configMount == "" || serverDir != configMount {
		t.Errorf("%q: --server-dir %q, want where login/server-login.yaml mounts the server's Secret, %q", line, serverDir, configMount)
	}
	clients := 0
	for _, args := range deployCommands(t) {
		if i := slices.Index(args, "--nats"); i >= 0 && slices.Contains(args, "--nats-ca") {
			clients++
			host := strings.TrimPrefix(args[i+1], "tls://")
			host, _, _ = strings.Cut(host, ":")
			if !slices.Contains(hosts, host) {
				t.Errorf("%q connects to %s; the certificate of %q holds %q", args, args[i+1], line, hosts)
			}
		}
	}
	if clients < 2 {
		t.Errorf("%d adsim command lines with --nats-ca; want the workers' and the coordinator's", clients)
	}
	dataMount := mountPathOf(t, filepath.Join(manifestDir, "nats.yaml"), "data")
	if dataMount == "" || store != dataMount {
		t.Errorf("%q: --store-dir %q, want the server's claim, mounted at %q in nats.yaml", line, store, dataMount)
	}

	// The files are secrets: login/.gitignore keeps each of them out of git.
	ignore, err := os.ReadFile(filepath.Join(manifestDir, "login", ".gitignore"))
	if err != nil {
		t.Fatal(err)
	}
	var ignored []string
	for _, l := range strings.Split(string(ignore), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			ignored = append(ignored, l)
		}
	}
	for _, f := range files {
		if !slices.Contains(ignored, filepath.Base(f)) {
			t.Errorf("%s is not in login/.gitignore: a secret could be committed", f)
		}
	}

	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := slices.Clone(line)
	args[slices.Index(args, "--out")+1] = dir
	if code := execute(args, &stdout, &stderr); code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, stderr.String())
	}
	for _, f := range files {
		if filepath.Dir(f) != out {
			t.Errorf("%s reads %s; the line writes into %s", kust, f, out)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.Base(f))); err != nil {
			t.Errorf("%q wrote no %s: %v", args, filepath.Base(f), err)
		}
	}
	conf, err := os.ReadFile(filepath.Join(dir, "nats.conf"))
	for _, want := range []string{`store_dir: "` + store + `"`, `cert_file: "` + serverDir + `/server-cert.pem"`, `key_file: "` + serverDir + `/server-key.pem"`} {
		if err != nil || !strings.Contains(string(conf), want) {
			t.Errorf("nats.conf (%v) lacks %s:\n%s", err, want, conf)
		}
	}
}

// mountPathOf is where the containers of the manifest (or patch) at path mount the volume
// named volume, or "".
func mountPathOf(t *testing.T, path, volume string) string {
	t.Helper()
	for _, o := range readObjects(t, path) {
		for _, c := range o.Spec.Template.Spec.Containers {
			for _, m := range c.VolumeMounts {
				if m.Name == volume {
					return m.MountPath
				}
			}
		}
	}
	return ""
}
