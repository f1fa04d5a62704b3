package check

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// buildLogin builds deploy/kubernetes as 'kubectl apply -k' does (kustomize's krusty, the
// library kubectl embeds), from a copy in memory with the files of 'adsim nats-config' in
// login/ unless made is false, after edit has changed the copy's files (by name).
func buildLogin(t *testing.T, made bool, edit func(name string, data []byte) []byte) ([]byte, error) {
	t.Helper()
	fs := filesys.MakeFsInMemory()
	for _, pattern := range []string{"../*.yaml", "../login/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no files (%v)", pattern, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimPrefix(filepath.ToSlash(f), "../")
			if edit != nil {
				data = edit(name, data)
			}
			if err := fs.WriteFile("/k/"+name, data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if made { // stand-ins: the build only copies them into the Secrets
		for _, f := range []string{"nats.conf", "user.nk", "ca.pem", "server-cert.pem", "server-key.pem"} {
			if err := fs.WriteFile("/k/login/"+f, []byte("stand-in "+f+"\n")); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, "/k")
	if err != nil {
		return nil, err
	}
	return res.AsYaml()
}

// secretFile checks that the file at p in pod spec's container c comes from a volume of the
// Secret secret, whose data (in objs, or made by kubectl from files) holds the file's name,
// and returns "" or what is wrong.
func secretFile(spec corev1.PodSpec, c corev1.Container, p, secret string, secrets map[string]*corev1.Secret) string {
	dir, file := path.Split(p)
	for _, m := range c.VolumeMounts {
		if path.Clean(m.MountPath) != path.Clean(dir) {
			continue
		}
		for _, v := range spec.Volumes {
			if v.Name != m.Name {
				continue
			}
			if v.Secret == nil || v.Secret.SecretName != secret {
				return "volume " + v.Name + " mounted at " + m.MountPath + " is not the Secret " + secret
			}
			if secrets != nil {
				s := secrets[secret]
				if s == nil {
					return "no Secret " + secret + " in the build"
				}
				if _, ok := s.Data[file]; !ok {
					return "Secret " + secret + " holds no " + file
				}
			}
			return ""
		}
		return "no volume " + m.Name
	}
	return "nothing is mounted at " + dir
}

// argAfter is the argument after flag in args, or "".
func argAfter(args []string, flag string) string {
	i := slices.Index(args, flag)
	if i < 0 || i+1 >= len(args) {
		return ""
	}
	return args[i+1]
}

// TestLoginKustomization: 'kubectl apply -k deploy/kubernetes' makes the server of nats.yaml
// read nats.conf, with its certificate and key beside it, and the workers of workers.yaml log
// in with user.nk and trust ca.pem, over TLS to the Service by name, each file from the Secret
// that login/'s files become; login/coordinator.yaml does the same and is let through the
// NetworkPolicy. Without the files of 'adsim nats-config' the build fails naming them.
func TestLoginKustomization(t *testing.T) {
	yml, err := buildLogin(t, true, nil)
	if err != nil {
		t.Fatalf("kustomize: %v", err)
	}
	objs, err := decodeObjects(yml)
	if err != nil {
		t.Fatalf("the build: %v\n%s", err, yml)
	}
	secrets := map[string]*corev1.Secret{}
	var sts *appsv1.StatefulSet
	var dep *appsv1.Deployment
	for _, o := range objs {
		switch o := o.(type) {
		case *corev1.Secret:
			secrets[o.Name] = o
		case *appsv1.StatefulSet:
			sts = o
		case *appsv1.Deployment:
			dep = o
		}
	}
	// nats.yaml's four objects, workers.yaml's Deployment and the two Secrets.
	if len(objs) != 7 || sts == nil || dep == nil || len(secrets) != 2 {
		t.Fatalf("%d objects (StatefulSet %v, Deployment %v, %d Secrets), want 7 with both and 2 Secrets", len(objs), sts != nil, dep != nil, len(secrets))
	}

	server := sts.Spec.Template.Spec
	if len(server.Containers) != 1 {
		t.Fatalf("%d server containers, want 1", len(server.Containers))
	}
	nats := server.Containers[0]
	conf := argAfter(nats.Args, "-c")
	if conf == "" {
		t.Fatalf("server args %q: no -c FILE", nats.Args)
	}
	if msg := secretFile(server, nats, conf, "adsim-nats-server", secrets); msg != "" {
		t.Errorf("server's -c %s: %s", conf, msg)
	}
	if slices.Contains(nats.Args, "-sd") || slices.Contains(nats.Args, "--store_dir") {
		t.Errorf("server args %q: nats-server refuses a store directory on the command line with a file that names one", nats.Args)
	}
	if !slices.ContainsFunc(nats.VolumeMounts, func(m corev1.VolumeMount) bool { return m.Name == "data" && m.MountPath == "/data" }) {
		t.Errorf("server mounts %v: the claim at /data is gone (the patch replaced the mounts instead of adding to them)", nats.VolumeMounts)
	}

	for _, f := range []string{"server-cert.pem", "server-key.pem"} {
		if msg := secretFile(server, nats, path.Join(path.Dir(conf), f), "adsim-nats-server", secrets); msg != "" {
			t.Errorf("the server's %s, beside its configuration: %s", f, msg)
		}
	}

	// A client (worker or coordinator) logs in with the seed and trusts the authority, both
	// from the Secret adsim-nats-user, over TLS to the server's Service by name.
	client := func(who string, spec corev1.PodSpec, c corev1.Container) {
		for _, flag := range []string{"--nats-nkey", "--nats-ca"} {
			file := argAfter(c.Args, flag)
			if msg := secretFile(spec, c, file, "adsim-nats-user", secrets); file == "" || msg != "" {
				t.Errorf("%s args %q: %s %q: %s", who, c.Args, flag, file, msg)
			}
		}
		if url := argAfter(c.Args, "--nats"); url != "tls://adsim-nats:4222" {
			t.Errorf("%s args %q: --nats %q, want tls://adsim-nats:4222 (TLS, by the Service's name, which the certificate holds)", who, c.Args, url)
		}
	}
	worker := dep.Spec.Template.Spec
	for _, c := range worker.Containers {
		if c.Args[0] != "worker" {
			t.Errorf("worker args %q: want the worker command", c.Args)
		}
		client("worker", worker, c)
	}

	data, err := os.ReadFile("../login/coordinator.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cobjs, err := decodeObjects(data)
	if err != nil || len(cobjs) != 1 {
		t.Fatalf("login/coordinator.yaml: %d objects, %v; want a Job", len(cobjs), err)
	}
	job, ok := cobjs[0].(*batchv1.Job)
	if !ok {
		t.Fatalf("login/coordinator.yaml holds a %T, want a Job", cobjs[0])
	}
	coord := job.Spec.Template.Spec
	for _, c := range coord.Containers {
		client("coordinator", coord, c)
	}
	if job.Spec.Template.Labels["adsim-nats-client"] != "true" {
		t.Errorf("coordinator labels %v: the NetworkPolicy lets only adsim-nats-client=true through", job.Spec.Template.Labels)
	}

	// What the test would miss if it checked nothing: each edit must fail it.
	for _, c := range []struct{ file, old, new, want string }{
		{"login/workers-login.yaml", "secretName: adsim-nats-user", "secretName: adsim-nats-server", "is not the Secret adsim-nats-user"},
		{"login/workers-login.yaml", "mountPath: /etc/adsim-nats,", "mountPath: /etc/adsim,", "nothing is mounted at /etc/adsim-nats/"},
		{"login/server-login.yaml", `"-c", "/etc/nats-config/nats.conf"`, `"-c", "/etc/nats-config/server.conf"`, "holds no server.conf"},
		{"kustomization.yaml", "files: [login/user.nk, login/ca.pem]", "files: [login/user.nk]", "holds no ca.pem"},
	} {
		yml, err := buildLogin(t, true, func(name string, data []byte) []byte {
			if name == c.file {
				return []byte(strings.Replace(string(data), c.old, c.new, 1))
			}
			return data
		})
		if err != nil {
			t.Fatalf("%s edited: %v", c.file, err)
		}
		objs, _ := decodeObjects(yml)
		var got []string
		secrets := map[string]*corev1.Secret{}
		for _, o := range objs {
			if s, ok := o.(*corev1.Secret); ok {
				secrets[s.Name] = s
			}
		}
		for _, o := range objs {
			var spec corev1.PodSpec
			var flag, secret string
			switch o := o.(type) {
			case *appsv1.StatefulSet:
				spec, flag, secret = o.Spec.Template.Spec, "-c", "adsim-nats-server"
			case *appsv1.Deployment:
				spec, flag, secret = o.Spec.Template.Spec, "--nats-nkey", "adsim-nats-user"
			default:
				continue
			}
			for _, ctr := range spec.Containers {
				got = append(got, secretFile(spec, ctr, argAfter(ctr.Args, flag), secret, secrets))
				if flag == "--nats-nkey" {
					got = append(got, secretFile(spec, ctr, argAfter(ctr.Args, "--nats-ca"), secret, secrets))
				}
			}
		}
		if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, c.want) }) {
			t.Errorf("%s with %q: checks say %q, want %q", c.file, c.new, got, c.want)
		}
	}

	// Before 'adsim nats-config': kubectl refuses, naming the file.
	if _, err := buildLogin(t, false, nil); err == nil || !strings.Contains(err.Error(), "login/nats.conf") {
		t.Errorf("without login/nats.conf: %v, want an error naming it", err)
	}
}
