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
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/adsim/adsim/mc"
)

const (
	manifestPath   = "../../deploy/kubernetes/adsim-mc.yaml"
	dockerfilePath = "../../deploy/Dockerfile"
)

// deployCommands returns the adsim command lines of the Kubernetes manifest: the args of every
// container of the adsim image, and those of the comments (after `kubectl run ... --`, and in
// backquotes), with $(JOB_COMPLETION_INDEX) expanded as Kubernetes would.
func deployCommands(t *testing.T) [][]string {
	t.Helper()
	data, err := os.ReadFile(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	var cmds [][]string
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc struct {
			Spec struct {
				Template struct {
					Spec struct {
						Containers []struct {
							Image string   `yaml:"image"`
							Args  []string `yaml:"args"`
						} `yaml:"containers"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		}
		if err := dec.Decode(&doc); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", manifestPath, err)
		}
		for _, c := range doc.Spec.Template.Spec.Containers {
			if strings.HasPrefix(c.Image, "adsim:") {
				args := make([]string, len(c.Args))
				for i, a := range c.Args {
					args[i] = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", "3")
				}
				cmds = append(cmds, args)
			}
		}
	}
	quoted := regexp.MustCompile("`adsim ([^`]+)`")
	sc := bufio.NewScanner(bytes.NewReader(data))
	afterRun := false
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "#")
		if !ok {
			continue
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
	return cmds
}

// TestDeployCommands: every adsim command line in the Kubernetes manifest names a command of
// this adsim, with flags it has and values it accepts (the image's entrypoint is adsim, so the
// args start with the command).
func TestDeployCommands(t *testing.T) {
	cmds := deployCommands(t)
	if len(cmds) < 3 {
		t.Fatalf("found %d adsim command lines in %s, want the worker, the shard job and the coordinator: %q", len(cmds), manifestPath, cmds)
	}
	for _, args := range cmds {
		root := newRoot(io.Discard, io.Discard)
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
		if f := cmd.Flags().Lookup("shard"); f != nil && f.Value.String() != "" {
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
