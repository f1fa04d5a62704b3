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

// String is the shard as --shard takes it, "INDEX/COUNT".
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
	EnvKubernetesIndex = "JOB_COMPLETION_INDEX"   // Kubernetes Indexed Job: 0 … completions−1
	EnvSlurmTask       = "SLURM_ARRAY_TASK_ID"    // Slurm job array task id
	EnvSlurmTaskMin    = "SLURM_ARRAY_TASK_MIN"   // lowest task id of the array (subtracted)
	EnvSlurmTaskStep   = "SLURM_ARRAY_TASK_STEP"  // step between task ids (--array=0-15:4: 4)
	EnvSlurmTaskCount  = "SLURM_ARRAY_TASK_COUNT" // number of tasks: must be N
)

// ParseShard reads a shard spec "I/N" (0 ≤ I < N) or "auto/N", where auto takes I from
// JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or else from a Slurm array:
// (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP, so --array=0-7,
// --array=1-8 and --array=0-28:4 all give shards 0 … 7; SLURM_ARRAY_TASK_COUNT, when set,
// must be N. Both a Kubernetes index and a Slurm task id is an error: auto could not tell
// which one the user meant. getenv looks variables up (os.Getenv; tests pass their own).
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
		i, err = autoIndex(getenv, n)
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

// autoIndex is the shard index of auto/n from the environment.
func autoIndex(getenv func(string) string, n uint64) (uint64, error) {
	k8s, task := getenv(EnvKubernetesIndex), getenv(EnvSlurmTask)
	switch {
	case k8s != "" && task != "":
		return 0, fmt.Errorf("both %s=%s (Kubernetes Indexed Job) and %s=%s (Slurm array) are set, and they may give different shards; "+
			"unset the one that does not belong to this job, or give the index (--shard I/N)", EnvKubernetesIndex, k8s, EnvSlurmTask, task)
	case k8s != "":
		i, err := strconv.ParseUint(k8s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a non-negative integer", EnvKubernetesIndex, k8s)
		}
		return i, nil
	case task != "":
		return slurmIndex(getenv, task, n)
	}
	return 0, fmt.Errorf("auto needs %s (Kubernetes Indexed Job) or %s (Slurm array) in the environment; neither is set",
		EnvKubernetesIndex, EnvSlurmTask)
}

// slurmIndex is the position of task among the task ids of a Slurm array, MIN, MIN+STEP, …
// (MIN 0 and STEP 1 when Slurm did not set them), checked against the n shards.
func slurmIndex(getenv func(string) string, task string, n uint64) (uint64, error) {
	id, err := strconv.ParseUint(task, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a non-negative integer", EnvSlurmTask, task)
	}
	var lo uint64
	if m := getenv(EnvSlurmTaskMin); m != "" {
		if lo, err = strconv.ParseUint(m, 10, 64); err != nil || lo > id {
			return 0, fmt.Errorf("%s=%q is not an integer at most %s=%d", EnvSlurmTaskMin, m, EnvSlurmTask, id)
		}
	}
	step := uint64(1)
	if v := getenv(EnvSlurmTaskStep); v != "" {
		if step, err = strconv.ParseUint(v, 10, 64); err != nil || step == 0 {
			return 0, fmt.Errorf("%s=%q is not a positive integer", EnvSlurmTaskStep, v)
		}
	}
	if (id-lo)%step != 0 {
		return 0, fmt.Errorf("%s=%d is not %s=%d plus a multiple of %s=%d: not a task of an evenly stepped array (--array=MIN-MAX:STEP); give the index (--shard I/N)",
			EnvSlurmTask, id, EnvSlurmTaskMin, lo, EnvSlurmTaskStep, step)
	}
	if v := getenv(EnvSlurmTaskCount); v != "" {
		if c, err := strconv.ParseUint(v, 10, 64); err != nil || c != n {
			// Fewer tasks than shards leave replications unrun; a list of ids (--array=3,5)
			// would be numbered from its first one, not as the shards it was meant to rerun.
			return 0, fmt.Errorf("%s=%s, but auto/%d needs an array of %d tasks; for some of the shards only, give each task its index (--shard I/%d)",
				EnvSlurmTaskCount, v, n, n, n)
		}
	}
	return (id - lo) / step, nil
}
