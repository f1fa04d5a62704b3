package mc

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Engine identifies the build and the platform that compute replications. The rows of a study
// are bit-for-bit reproducible under one Engine only, for two reasons that have nothing to do
// with adsim's random streams:
//
//   - The Go compiler may fuse x*y + z into one fused multiply-add, rounded once (the Go
//     specification allows it). It does so on arm64, ppc64, s390x and riscv64, and on amd64
//     from GOAMD64=v3, but not on amd64 v1/v2. The same source then gives results that differ
//     in the last bits, and a last bit can flip a comparison with a random draw.
//   - The math package has assembly versions of some functions (Exp, Log, Hypot, ...) on some
//     architectures and pure-Go versions on others; they agree to within an ulp, not exactly.
//
// Measured: the default scenario run on amd64 (v1) and on arm64 (under qemu-user) gives value
// lost 55.904463047023825 and 55.90446304702383; a GOAMD64=v3 build differs from v1 in the
// tracking metrics. So that adsim never mixes such rows silently, the manifest of an output
// directory and every distributed batch and result carry the Engine, and merge and the
// distributed engine refuse rows from another one (docs/results.md, "Determinism").
type Engine struct {
	// Platform is GOARCH and its instruction-set level (GOAMD64, GOARM64, ...), e.g. "amd64/v1".
	Platform string `json:"platform"`
	// Go is the version of the Go toolchain that built the binary.
	Go string `json:"go"`
	// Build is the version-control revision the binary was built from (with "+dirty" for a
	// modified tree), else its module version; "(devel)" when the build recorded neither
	// (go build -buildvcs=false, go test).
	Build string `json:"build"`
	// Flags are the compiler flags of the build (-gcflags), which can change floating point.
	Flags string `json:"flags,omitempty"`
}

// CurrentEngine returns the Engine of the running binary, from its build information.
func CurrentEngine() Engine {
	e := Engine{Platform: runtime.GOARCH, Go: runtime.Version(), Build: "(devel)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return e
	}
	if bi.GoVersion != "" {
		e.Go = bi.GoVersion
	}
	if v := bi.Main.Version; v != "" {
		e.Build = v
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch {
		case s.Key == "GO"+strings.ToUpper(runtime.GOARCH):
			// GOAMD64=v3, GOARM64=v8.0, GO386=sse2, ...: the level that decides fusion.
			e.Platform = runtime.GOARCH + "/" + s.Value
		case s.Key == "-gcflags":
			e.Flags = s.Value
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		e.Build = rev
		if dirty {
			e.Build += "+dirty"
		}
	}
	return e
}

// String is the Engine in one line, as error messages show it.
func (e Engine) String() string {
	s := fmt.Sprintf("adsim %s on %s, %s", e.Build, e.Platform, e.Go)
	if e.Flags != "" {
		s += ", -gcflags " + e.Flags
	}
	return s
}

// Check returns nil when rows computed by other may join rows computed by e, and otherwise an
// error that names both and says why they may not.
func (e Engine) Check(other Engine) error {
	if e == other {
		return nil
	}
	return fmt.Errorf("rows from %s cannot join rows from %s: the same replication can differ in the last bits between builds, "+
		"Go versions and platforms (fused multiply-add, math assembly; docs/results.md, \"Determinism\"); "+
		"use one adsim build on one platform for the whole study", other, e)
}
