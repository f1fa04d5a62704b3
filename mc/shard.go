package mc

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is one of Count parts of a study; Index counts from 0. Shard i of n holds the
// contiguous replication range [i·⌊N/n⌋ + min(i, N mod n), …), so the n ranges cover 0…N−1
// exactly once, in order, with sizes differing by at most one.
type Shard struct {
	Index uint64 `json:"index"`
	Count uint64 `json:"count"`
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Range returns the replications of this shard of a study of total replications.
func (s Shard) Range(total uint64) Range {
	q, r := total/s.Count, total%s.Count
	start := s.Index*q + min(s.Index, r)
	size := q
	if s.Index < r {
		size++
	}
	return Range{Start: start, End: start + size}
}

// Environment variables that give the shard index to `--shard auto/N`.
const (
	EnvKubernetesIndex = "JOB_COMPLETION_INDEX" // Kubernetes Indexed Job: 0 … completions−1
	EnvSlurmTask       = "SLURM_ARRAY_TASK_ID"  // Slurm job array task id
	EnvSlurmTaskMin    = "SLURM_ARRAY_TASK_MIN" // lowest task id of the array (subtracted)
)

// ParseShard reads a shard spec "I/N" (0 ≤ I < N) or "auto/N", where auto takes I from
// JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or else from SLURM_ARRAY_TASK_ID minus
// SLURM_ARRAY_TASK_MIN (a Slurm array; so --array=0-7 and --array=1-8 both work). getenv
// looks variables up (os.Getenv; tests pass their own).
func ParseShard(spec string, getenv func(string) string) (Shard, error) {
	is, ns, ok := strings.Cut(spec, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: expected I/N (e.g. 0/8, the first of 8 shards) or auto/N", spec)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(ns), 10, 64)
	if err != nil || n == 0 {
		return Shard{}, fmt.Errorf("shard %q: the shard count %q is not a positive integer", spec, ns)
	}
	var i uint64
	if strings.TrimSpace(is) == "auto" {
		i, err = autoIndex(getenv)
		if err != nil {
			return Shard{}, fmt.Errorf("shard %q: %w", spec, err)
		}
	} else if i, err = strconv.ParseUint(strings.TrimSpace(is), 10, 64); err != nil {
		return Shard{}, fmt.Errorf("shard %q: the shard index %q is not a non-negative integer", spec, is)
	}
	if i >= n {
		return Shard{}, fmt.Errorf("shard %q: index %d is out of range: shards of %d are numbered 0 to %d", spec, i, n, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

func autoIndex(getenv func(string) string) (uint64, error) {
	if v := getenv(EnvKubernetesIndex); v != "" {
		i, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a non-negative integer", EnvKubernetesIndex, v)
		}
		return i, nil
	}
	if v := getenv(EnvSlurmTask); v != "" {
		i, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a non-negative integer", EnvSlurmTask, v)
		}
		if m := getenv(EnvSlurmTaskMin); m != "" {
			lo, err := strconv.ParseUint(m, 10, 64)
			if err != nil || lo > i {
				return 0, fmt.Errorf("%s=%q is not an integer at most %s=%d", EnvSlurmTaskMin, m, EnvSlurmTask, i)
			}
			i -= lo
		}
		return i, nil
	}
	return 0, fmt.Errorf("auto needs %s (Kubernetes Indexed Job) or %s (Slurm array) in the environment; neither is set",
		EnvKubernetesIndex, EnvSlurmTask)
}
