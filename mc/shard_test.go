package mc

import (
	"strings"
	"testing"
)

// --shard auto/N from the environment of a Kubernetes Indexed Job or a Slurm array: the
// index, or an error that says what was found and what was expected.
func TestParseShardEnvironment(t *testing.T) {
	cases := []struct {
		name string
		spec string
		env  map[string]string
		want Shard
		msg  string // what the error must say; "" when no error is expected
	}{
		{"Kubernetes", "auto/3", map[string]string{EnvKubernetesIndex: "1"}, Shard{1, 3}, ""},
		{"both environments", "auto/3", map[string]string{EnvKubernetesIndex: "1", EnvSlurmTask: "2"}, Shard{},
			"both JOB_COMPLETION_INDEX=1 (Kubernetes Indexed Job) and SLURM_ARRAY_TASK_ID=2 (Slurm array) are set"},
		{"both environments agreeing", "auto/3", map[string]string{EnvKubernetesIndex: "1", EnvSlurmTask: "1"}, Shard{}, "both"},
		// --array=0-15:4 with auto/4: task ids 0, 4, 8, 12 are shards 0 … 3.
		{"stepped array", "auto/4", map[string]string{EnvSlurmTask: "8", EnvSlurmTaskMin: "0", EnvSlurmTaskStep: "4", EnvSlurmTaskCount: "4"}, Shard{2, 4}, ""},
		{"stepped array, last task", "auto/4", map[string]string{EnvSlurmTask: "12", EnvSlurmTaskMin: "0", EnvSlurmTaskStep: "4"}, Shard{3, 4}, ""},
		// --array=1-29:4 with auto/8: task ids 1, 5, …, 29.
		{"stepped array from 1", "auto/8", map[string]string{EnvSlurmTask: "29", EnvSlurmTaskMin: "1", EnvSlurmTaskStep: "4", EnvSlurmTaskCount: "8"}, Shard{7, 8}, ""},
		{"unstepped array from 1", "auto/8", map[string]string{EnvSlurmTask: "8", EnvSlurmTaskMin: "1", EnvSlurmTaskStep: "1", EnvSlurmTaskCount: "8"}, Shard{7, 8}, ""},
		{"task off the step", "auto/8", map[string]string{EnvSlurmTask: "6", EnvSlurmTaskMin: "1", EnvSlurmTaskStep: "4"}, Shard{},
			"SLURM_ARRAY_TASK_ID=6 is not SLURM_ARRAY_TASK_MIN=1 plus a multiple of SLURM_ARRAY_TASK_STEP=4"},
		{"step 0", "auto/8", map[string]string{EnvSlurmTask: "4", EnvSlurmTaskStep: "0"}, Shard{}, `SLURM_ARRAY_TASK_STEP="0" is not a positive integer`},
		{"step not a number", "auto/8", map[string]string{EnvSlurmTask: "4", EnvSlurmTaskStep: "x"}, Shard{}, `SLURM_ARRAY_TASK_STEP="x"`},
		// A rerun of shards 3 and 5 as --array=3,5 would otherwise run shards 0 and 2.
		{"array smaller than the shard count", "auto/8", map[string]string{EnvSlurmTask: "5", EnvSlurmTaskMin: "3", EnvSlurmTaskStep: "2", EnvSlurmTaskCount: "2"}, Shard{},
			"SLURM_ARRAY_TASK_COUNT=2, but auto/8 needs an array of 8 tasks"},
		{"count not a number", "auto/8", map[string]string{EnvSlurmTask: "5", EnvSlurmTaskCount: "many"}, Shard{}, "SLURM_ARRAY_TASK_COUNT=many"},
		{"stepped beyond the shards", "auto/2", map[string]string{EnvSlurmTask: "8", EnvSlurmTaskMin: "0", EnvSlurmTaskStep: "4"}, Shard{}, "index 2 is out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseShard(c.spec, func(k string) string { return c.env[k] })
			switch {
			case c.msg == "" && (err != nil || got != c.want):
				t.Errorf("ParseShard(%q) = %v, %v; want %v", c.spec, got, err, c.want)
			case c.msg != "" && (err == nil || !strings.Contains(err.Error(), c.msg)):
				t.Errorf("ParseShard(%q) = %v, %v; want an error saying %q", c.spec, got, err, c.msg)
			}
		})
	}
}
