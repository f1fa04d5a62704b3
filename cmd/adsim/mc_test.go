package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/adsim/adsim/internal/natstest"
)

const smallScenario = "../../mc/testdata/small.yaml"

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameOutputs checks that two mc output directories hold identical rows and summaries.
func sameOutputs(t *testing.T, what, a, b string) {
	t.Helper()
	for _, f := range []string{"rows.csv", "rows.parquet", "summary.json"} {
		if !bytes.Equal(readFile(t, filepath.Join(a, f)), readFile(t, filepath.Join(b, f))) {
			t.Errorf("%s: %s differs from the reference run", what, f)
		}
	}
}

func TestMCSameRowsWorkersShardsMerge(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "w1")
	mcRun := func(out string, extra ...string) {
		t.Helper()
		args := append([]string{"mc", smallScenario, "-n", "21", "--no-progress", "-q", "--out", out}, extra...)
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	mcRun(ref, "--workers", "1")
	mcRun(filepath.Join(dir, "w2"), "--workers", "2")
	sameOutputs(t, "--workers 2", ref, filepath.Join(dir, "w2"))
	var shards []string
	for i := 0; i < 3; i++ {
		d := filepath.Join(dir, fmt.Sprintf("s%d", i))
		mcRun(d, "--shard", fmt.Sprintf("%d/3", i))
		shards = append(shards, d)
	}
	merged := filepath.Join(dir, "merged")
	code, out, errs := runCLI(t, append([]string{"merge", "--out", merged}, shards...)...)
	if code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "replications 21") {
		t.Errorf("merge printed:\n%s", out)
	}
	sameOutputs(t, "3 shards merged", ref, merged)
	// Kubernetes Indexed Job: the shard index from the environment.
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	mcRun(filepath.Join(dir, "k1"), "--shard", "auto/3")
	if !bytes.Equal(readFile(t, filepath.Join(dir, "k1", "rows.csv")), readFile(t, filepath.Join(shards[1], "rows.csv"))) {
		t.Error("--shard auto/3 with JOB_COMPLETION_INDEX=1 differs from --shard 1/3")
	}
}

func TestMCBadInput(t *testing.T) {
	dir := t.TempDir()
	// A copy of the scenario for the cases that must not overwrite it.
	own := filepath.Join(t.TempDir(), "own.yaml")
	if err := os.WriteFile(own, readFile(t, smallScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"sweep path that does not exist", []string{"sweep", smallScenario, "--set", "raids[0].cnt=1:3:1", "-n", "2"}, `has no field "cnt"`},
		{"sweep index out of range", []string{"sweep", smallScenario, "--set", "raids[7].count=1:3:1", "-n", "2"}, "there is no [7]"},
		{"range with zero steps", []string{"sweep", smallScenario, "--set", "raids[0].count=10:200:0", "-n", "2"}, "zero steps"},
		{"range going the wrong way", []string{"sweep", smallScenario, "--set", "raids[0].count=200:10:10", "-n", "2"}, "zero steps"},
		{"sweep value the scenario refuses", []string{"sweep", smallScenario, "--set", "raids[0].count=4,-1", "-n", "2"}, "raids[0].count=-1 makes the scenario invalid: raids[0].count: found -1, expected at least 1 threat"},
		{"sweep value of the wrong type", []string{"sweep", smallScenario, "--set", "raids[0].count=2,2.5", "-n", "2"}, "expected an integer"},
		{"sweep with nothing swept", []string{"sweep", smallScenario, "--set", "raids[0].count=4", "-n", "2"}, "nothing to sweep"},
		// One malformed value is one value: the error names what is wrong with it.
		{"sweep of one malformed list", []string{"sweep", smallScenario, "--set", "c2.max_per_track_categories=[drone", "-n", "2"}, `expected its elements in brackets, e.g. [a, b] ([] for none), found "[drone"`},
		{"sweep of one bad value", []string{"sweep", smallScenario, "--set", "raids[0].count=-1", "-n", "2"}, "expected at least 1 threat"},
		{"sweep of a field swept and fixed", []string{"sweep", smallScenario, "--set", "c2.salvo=1,2", "--set", "c2.salvo=2", "-n", "2"}, "--set c2.salvo=1,2 and --set c2.salvo=2 both set c2.salvo: give each field once"},
		{"sweep of a field twice", []string{"sweep", smallScenario, "--set", "c2.salvo=1,2", "--set", "c2.salvo=2,3", "-n", "2"}, "--set c2.salvo=1,2 and --set c2.salvo=2,3 both set c2.salvo"},
		// One field named by index and by id is one field, swept or fixed.
		{"sweep of a field by index and by id", []string{"sweep", smallScenario, "--set", "raids[0].count=1:3:1", "--set", "raids[drones].count=4,5", "-n", "2"},
			"--set raids[0].count=1:3:1 and --set raids[drones].count=4,5 both set raids[0].count: give each field once"},
		{"sweep of a field by index, fixed by id", []string{"sweep", smallScenario, "--set", "raids[drones].count=5", "--set", "raids[0].count=1:3:1", "-n", "2"},
			"--set raids[drones].count=5 and --set raids[0].count=1:3:1 both set raids[0].count"},
		{"sweep of a zipped field by id and index", []string{"sweep", smallScenario, "--zip", "--set", "fire_units[pantsir].magazine.57e6=1,2", "--set", "fire_units[0].magazine.57e6=3,4", "-n", "2"},
			"both set fire_units[0].magazine.57e6"},
		{"sweep of a catalog figure by weapon index and id", []string{"sweep", smallScenario, "--set", "catalog.systems[pantsir-s1].weapons[0].pk.drone=0.5,0.6", "--set", "catalog.systems[pantsir-s1].weapons[57e6].pk.drone=0.7", "-n", "2"},
			"both set catalog.systems[pantsir-s1].weapons[57e6].pk.drone"},
		{"sweep of one value twice", []string{"sweep", smallScenario, "--set", "c2.doctrine=salvo,salvo", "-n", "2"}, "--set c2.doctrine=salvo,salvo: salvo is given twice: give each value once"},
		{"sweep of an integer written twice", []string{"sweep", smallScenario, "--set", "raids[0].count=01,1", "-n", "2"}, "--set raids[0].count=01,1: 01 and 1 are the same value of raids[0].count: give each value once"},
		{"sweep of a number written twice", []string{"sweep", smallScenario, "--set", "c2.decision_period_s=0.1,0.5,0.10", "-n", "2"}, "0.1 and 0.10 are the same value of c2.decision_period_s"},
		{"zipped sweep with a point twice", []string{"sweep", smallScenario, "--zip", "--set", "raids[0].count=2,4,2", "--set", "raids[1].count=1,1,1.0", "-n", "2"},
			"--zip: points 1 (raids[0].count=2, raids[1].count=1) and 3 (raids[0].count=2, raids[1].count=1.0) are the same: give each point once"},
		{"mc setting of a field by index and by id", []string{"mc", smallScenario, "-n", "2", "--set", "raids[0].count=2", "--set", "raids[drones].count=3"},
			"--set raids[0].count=2 and --set raids[drones].count=3 both set raids[0].count"},
		{"mc setting of a field twice", []string{"mc", smallScenario, "-n", "2", "--set", "c2.salvo=2", "--set", "c2.salvo=3"}, "--set c2.salvo=2 and --set c2.salvo=3 both set c2.salvo"},
		{"run setting of a field by index and by id", []string{"run", smallScenario, "--set", "raids[cruise].count=2", "--set", "raids[1].count=3"},
			"--set raids[cruise].count=2 and --set raids[1].count=3 both set raids[1].count"},
		{"compare setting of a field by index and by id", []string{"compare", smallScenario, smallScenario, "-n", "2", "--set", "raids[0].count=2", "--set", "raids[drones].count=3"}, "both set raids[0].count"},
		{"compare setting of B by index and by id", []string{"compare", smallScenario, smallScenario, "-n", "2", "--set-b", "raids[0].count=2", "--set-b", "raids[drones].count=3"},
			"--set-b raids[0].count=2 and --set-b raids[drones].count=3 both set raids[0].count"},
		{"sensitivity factor by index and by id", []string{"sensitivity", smallScenario, "-n", "2", "--set", "raids[0].count=2,4", "--set", "raids[drones].count=3,6"}, "both set raids[0].count"},
		{"sensitivity factor fixed by id", []string{"sensitivity", smallScenario, "-n", "2", "--set", "raids[0].count=2,4", "--set", "raids[drones].count=3"}, "both set raids[0].count"},
		{"sensitivity factor with low equal to high", []string{"sensitivity", smallScenario, "-n", "2", "--set", "raids[0].count=5,5"},
			"--set raids[0].count=5,5: a factor needs two different values, LOW,HIGH; 5 is given twice"},
		{"sensitivity factor with low equal to high, written apart", []string{"sensitivity", smallScenario, "-n", "2", "--set", "c2.decision_period_s=0.5,.50"},
			"a factor needs two different values, LOW,HIGH; 0.5 and .50 are the same value of c2.decision_period_s"},
		{"sensitivity factor written high first", []string{"sensitivity", smallScenario, "-n", "2", "--set", "raids[0].count=8,2"},
			"--set raids[0].count=8,2: found LOW 8 above HIGH 2; expected LOW,HIGH, the lower first (raids[0].count=2,8)"},
		// --picture and a --set of c2.picture say the same thing: refused, whichever comes first.
		{"sweep with --picture and a fixed picture", []string{"sweep", smallScenario, "--set", "raids[0].count=1:2:1", "--set", "c2.picture=tracked", "--picture", "perfect", "-n", "2"},
			"--picture perfect and --set c2.picture=tracked both set the air picture: give one of the two"},
		{"sweep with --picture first and a swept picture", []string{"sweep", smallScenario, "--picture", "perfect", "--set", "c2.picture=tracked,perfect", "-n", "2"},
			"--picture perfect and --set c2.picture=tracked,perfect both set the air picture"},
		{"mc with --picture and a picture set", []string{"mc", smallScenario, "-n", "2", "--set", "c2.picture=tracked", "--picture", "perfect"}, "--picture perfect and --set c2.picture=tracked both set the air picture"},
		{"run with --picture and a picture set", []string{"run", smallScenario, "--picture", "perfect", "--set", "c2.picture=tracked"}, "--picture perfect and --set c2.picture=tracked both set the air picture"},
		{"compare with --picture and a picture set", []string{"compare", smallScenario, smallScenario, "-n", "2", "--set", "c2.picture=tracked", "--picture", "perfect"}, "--picture perfect and --set c2.picture=tracked"},
		{"compare with --picture and a picture of B", []string{"compare", smallScenario, smallScenario, "-n", "2", "--set-b", "c2.picture=tracked", "--picture", "perfect"}, "--picture perfect and --set-b c2.picture=tracked"},
		{"compare with --picture-b and a picture of B", []string{"compare", smallScenario, smallScenario, "-n", "2", "--picture-b", "perfect", "--set-b", "c2.picture=tracked"}, "--picture-b perfect and --set-b c2.picture=tracked both set the air picture"},
		{"compare with --picture-b and a picture set", []string{"compare", smallScenario, smallScenario, "-n", "2", "--picture-b", "perfect", "--set", "c2.picture=tracked"}, "--picture-b perfect and --set c2.picture=tracked"},
		{"sensitivity with --picture and a picture factor", []string{"sensitivity", smallScenario, "-n", "2", "--picture", "perfect", "--set", "c2.picture=tracked,perfect"}, "--picture perfect and --set c2.picture=tracked,perfect"},
		// --check-every does nothing without --until-ci.
		{"mc checking without --until-ci", []string{"mc", smallScenario, "-n", "2", "--check-every", "5"}, "--check-every 5 is given without --until-ci"},
		{"mc checking with --until-ci 0", []string{"mc", smallScenario, "-n", "2", "--until-ci", "0", "--check-every", "5"}, "--check-every 5 is given without --until-ci"},
		{"sweep checking without --until-ci", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "--check-every", "5"}, "--check-every 5 is given without --until-ci"},
		{"mc until a negative half-width", []string{"mc", smallScenario, "-n", "2", "--until-ci", "-1"},
			"--until-ci -1: expected a half-width greater than 0 and less than 1 (e.g. 0.01 for an interval 2 points of leak rate wide), or 0 (the default) to run all -n replications"},
		{"sweep metric unknown", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "--metric", "cost"}, "expected one of leak_rate, p_any_leak, leakers, leakers_untracked, leakers_no_shot, value_lost, interceptors_fired, gun_rounds, defence_cost_usd, exchange_ratio; p_hit:ASSET"},
		{"zipped fields of unequal lengths", []string{"sweep", smallScenario, "--set", "raids[0].count=2:6:2", "--set", "raids[1].count=1,2", "--zip", "-n", "2"}, "need as many values each"},
		{"grid too large", []string{"sweep", smallScenario, "--set", "raids[0].count=1:200:1", "--set", "raids[1].count=1:100:1", "-n", "2"}, "more than 10000 points"},
		{"sweep fixed value the scenario refuses", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "--set", "c2.doctrine=charge", "-n", "2"}, "c2.doctrine=charge makes the scenario invalid"},
		{"mc setting with several values", []string{"mc", smallScenario, "-n", "2", "--set", "raids[0].count=2:6:2"}, "expected one value, found 3"},
		{"mc setting of no field", []string{"mc", smallScenario, "-n", "2", "--set", "raids[0].cnt=2"}, `has no field "cnt"`},
		{"mc setting without a value", []string{"mc", smallScenario, "-n", "2", "--set", "raids[0].count"}, "expected PATH=VALUE, e.g. raids[0].count=40"},
		// The path of a catalog figure out of range is the one the user typed, by ids, not
		// the index its class got when copied into the scenario's catalog section.
		{"mc catalog figure out of range", []string{"mc", smallScenario, "-n", "2", "--set", "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone=1.5"},
			"makes the scenario invalid: catalog.systems[pantsir-s1].weapons[57e6].pk0.drone: found 1.5, expected a probability in [0, 1]"},
		{"run setting the scenario refuses", []string{"run", smallScenario, "--set", "duration_s=-5"}, "duration_s=-5 makes the scenario invalid: duration_s: found -5"},
		{"compare setting of B", []string{"compare", smallScenario, smallScenario, "-n", "2", "--set-b", "c2.salvo=x"}, "--set-b: path \"c2.salvo\": expected an integer"},
		{"sweep until a half-width of 2", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "--until-ci", "2"}, "--until-ci 2: expected a half-width greater than 0 and less than 1"},
		{"sweep with no replications between checks", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "--until-ci", "0.1", "--check-every", "0"}, "--check-every 0"},
		{"sweep metric of no asset", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "--metric", "p_hit:nowhere"}, `--metric "p_hit:nowhere": no "nowhere" here; expected one of hq, depot`},
		{"settings with --resume", []string{"mc", "--resume", dir, "--set", "c2.salvo=2"}, "--set comes from " + dir + "/scenario.yaml"},
		{"shard 4/3", []string{"mc", smallScenario, "-n", "6", "--shard", "4/3"}, "out of range"},
		{"shard auto without environment", []string{"mc", smallScenario, "-n", "6", "--shard", "auto/3"}, "JOB_COMPLETION_INDEX"},
		{"zero replications", []string{"mc", smallScenario, "-n", "0"}, "at least 1"},
		{"zero replications between checks", []string{"mc", smallScenario, "-n", "5", "--until-ci", "0.01", "--check-every", "0"}, "--check-every 0: expected at least 1"},
		{"no such scenario", []string{"mc", "no-such-thing", "-n", "2"}, "no such file"},
		{"merge of an empty directory", []string{"merge", dir}, "not an adsim mc output directory: it has no manifest.json"},
		{"merge of a directory that does not exist", []string{"merge", filepath.Join(dir, "none")}, "none is not an adsim mc output directory: there is no such directory"},
		{"mc setting of a list", []string{"mc", smallScenario, "-n", "2", "--set", "raids[0].targets=hq"}, `path "raids[0].targets" names a list: expected its elements in brackets, e.g. [a, b] ([] for none), found "hq"; or name one element, e.g. raids[0].targets[0]`},
		{"mc setting of a list of sections", []string{"mc", smallScenario, "-n", "2", "--set", "raids=[drones]"}, `path "raids" names a list of sections, not a single value`},
		{"compare needs two", []string{"compare", smallScenario}, "expected 2 arguments (usage: adsim compare A B"},
		{"worker without a server", []string{"worker"}, "--nats URL is required"},
		{"worker with negative max batches", []string{"worker", "--nats", "nats://127.0.0.1:1", "--max-batches", "-1"}, "--max-batches -1: expected 0 (serve until interrupted) or a number of batches"},
		{"worker with an http URL", []string{"worker", "--nats", "http://127.0.0.1:8222"}, `--nats "http://127.0.0.1:8222": found the scheme "http"; expected nats://, tls://, ws:// or wss://`},
		{"mc with an http URL", []string{"mc", smallScenario, "-n", "2", "--nats", "nats://a:4222,https://b:4222"}, `found the scheme "https"`},
		{"mc with an empty server in the list", []string{"mc", smallScenario, "-n", "2", "--nats", "nats://a:4222, ,nats://b:4222"}, "found an empty server in the list"},
		{"negative ack wait", []string{"mc", smallScenario, "-n", "2", "--nats", "nats://127.0.0.1:1", "--ack-wait", "-5s"}, "--ack-wait -5s: expected at least 1s"},
		{"tiny ack wait", []string{"mc", smallScenario, "-n", "2", "--nats", "nats://127.0.0.1:1", "--ack-wait", "2ns"}, "--ack-wait 2ns: expected at least 1s"},
		{"zero ack wait", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "-n", "2", "--nats", "nats://127.0.0.1:1", "--ack-wait", "0s"}, "--ack-wait 0s: expected at least 1s"},
		{"zero batch", []string{"compare", smallScenario, smallScenario, "-n", "2", "--nats", "nats://127.0.0.1:1", "--batch", "0"}, "--batch 0: expected at least 1"},
		{"batch without --nats", []string{"mc", smallScenario, "-n", "2", "--batch", "5"}, "--batch applies to distributed runs only: give --nats URL"},
		{"ack wait without --nats", []string{"sensitivity", smallScenario, "--assumptions", "-n", "2", "--ack-wait", "5s"}, "--ack-wait applies to distributed runs only"},
		{"workers with --nats", []string{"mc", smallScenario, "-n", "2", "--nats", "nats://127.0.0.1:1", "--workers", "2"}, "with --nats the replications run on 'adsim worker' processes"},
		// The login and TLS files of a NATS server, read before anything runs.
		{"credentials without --nats", []string{"mc", smallScenario, "-n", "2", "--nats-creds", smallScenario}, "--nats-creds applies to distributed runs only: give --nats URL too"},
		{"client key without --nats", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "-n", "2", "--nats-key", smallScenario}, "--nats-key applies to distributed runs only"},
		{"missing NKey seed file", []string{"worker", "--nats", "nats://127.0.0.1:1", "--nats-nkey", filepath.Join(dir, "none.nk")},
			"--nats-nkey: NKey seed file: stat " + filepath.Join(dir, "none.nk") + ": no such file or directory"},
		{"a scenario as credentials", []string{"mc", smallScenario, "-n", "2", "--nats", "nats://127.0.0.1:1", "--nats-creds", smallScenario},
			"--nats-creds: credentials file " + smallScenario + `: found no line "-----BEGIN NATS USER JWT-----"; expected a NATS user credentials file`},
		{"a scenario as authorities", []string{"worker", "--nats", "nats://127.0.0.1:1", "--nats-ca", smallScenario}, "--nats-ca: certificate authorities " + smallScenario + ": found no PEM certificate"},
		{"credentials and NKey", []string{"compare", smallScenario, smallScenario, "-n", "2", "--nats", "nats://127.0.0.1:1", "--nats-creds", smallScenario, "--nats-nkey", smallScenario},
			"--nats-creds and --nats-nkey: expected one of them"},
		{"certificate without key", []string{"sensitivity", smallScenario, "--assumptions", "-n", "2", "--nats", "nats://127.0.0.1:1", "--nats-cert", smallScenario},
			"--nats-cert " + smallScenario + ": expected --nats-key FILE too"},
		{"empty credentials file name", []string{"mc", smallScenario, "-n", "2", "--nats", "nats://127.0.0.1:1", "--nats-creds", ""}, `--nats-creds "": found an empty value`},
		// A password in a refused URL is not repeated.
		{"password in an http URL", []string{"worker", "--nats", "http://alice:s3cret@127.0.0.1:8222"}, `--nats "http://alice:xxxxx@127.0.0.1:8222": found the scheme "http"`},
		{"unknown picture", []string{"mc", smallScenario, "-n", "2", "--picture", "ideal"}, `--picture "ideal": expected "tracked" or "perfect"`},
		{"unknown picture of B", []string{"compare", smallScenario, smallScenario, "-n", "2", "--picture-b", "truth"}, `--picture-b "truth": expected`},
		{"unknown picture in run", []string{"run", smallScenario, "--picture", "Perfect"}, `--picture "Perfect": expected`},
		{"picture with --resume", []string{"mc", "--resume", dir, "--picture", "perfect"}, "--picture comes from"},
		// An empty value, as an unset variable gives, is refused rather than read as "not
		// given": no output directory, a fresh run instead of a resumed one, the default
		// scenario.
		{"mc with an empty --out", []string{"mc", smallScenario, "-n", "2", "--out", ""}, `--out "": found an empty value (an unset variable?); expected a value`},
		{"mc with an empty --resume", []string{"mc", "--resume", ""}, `--resume "": found an empty value`},
		{"mc with an empty --shard", []string{"mc", smallScenario, "-n", "2", "--shard", ""}, `--shard "": found an empty value`},
		{"mc with an empty --nats", []string{"mc", smallScenario, "-n", "2", "--nats", " "}, `--nats " ": found an empty value (an unset variable?); expected a URL`},
		{"mc of an empty scenario argument", []string{"mc", "", "-n", "2"}, "argument 1 of adsim mc is empty (an unset variable?); expected a non-empty one (usage: adsim mc [SCENARIO] [flags])"},
		{"merge into an empty --out", []string{"merge", dir, "--out", ""}, `--out "": found an empty value`},
		{"merge of an empty directory name", []string{"merge", dir, ""}, "argument 2 of adsim merge is empty"},
		{"sweep with an empty --out", []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "-n", "2", "--out", ""}, `--out "": found an empty value`},
		{"compare with an empty --picture-b", []string{"compare", smallScenario, smallScenario, "-n", "2", "--picture-b", ""}, `--picture-b "": found an empty value`},
		{"sensitivity with an empty --match", []string{"sensitivity", smallScenario, "--assumptions", "-n", "2", "--match", ""}, `--match "": found an empty value`},
		{"run with an empty --json", []string{"run", smallScenario, "--json", ""}, `--json "": found an empty value`},
		{"worker with an empty --nats", []string{"worker", "--nats", ""}, `--nats "": found an empty value`},
		// Output files of run that would lose something.
		{"run with --events and --json one file", []string{"run", smallScenario, "--events", filepath.Join(dir, "out"), "--json", filepath.Join(dir, ".", "out")},
			"are one file: the outcome would replace the event log; give two files"},
		{"run writing its outcome over the scenario", []string{"run", own, "--json", filepath.Join(filepath.Dir(own), "..", filepath.Base(filepath.Dir(own)), "own.yaml")},
			"is the scenario file being run: writing it would replace the scenario"},
		{"run writing its events over the scenario", []string{"run", own, "--events", own}, "--events " + own + " is the scenario file being run"},
		{"run with --detections and no --events", []string{"run", smallScenario, "--detections"}, "--detections adds every radar detection to the --events log: give --events FILE too"},
		{"sweep over an unknown picture", []string{"sweep", smallScenario, "--set", "c2.picture=tracked,ideal", "-n", "2"}, "makes the scenario invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, c.args...)
			if code != exitBadInput {
				t.Errorf("exit %d, want %d: %s", code, exitBadInput, errs)
			}
			if !strings.Contains(errs, c.want) {
				t.Errorf("stderr %q lacks %q", errs, c.want)
			}
		})
	}
}

func TestCompareAndSweep(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, "compare", smallScenario, smallScenario, "-n", "6", "--no-progress")
	if code != exitOK || !strings.Contains(out, "do not differ in asset value lost") {
		t.Fatalf("compare of a scenario with itself: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "sweep", smallScenario, "--set", "fire_units[0].magazine.57e6=0:8:4", "-n", "6",
		"--no-progress", "--out", dir)
	if code != exitOK {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	if n := strings.Count(out, "\n"); n < 4 {
		t.Errorf("sweep table:\n%s", out)
	}
	for _, f := range []string{"sweep.csv", "sweep.json", "sweep.png", "sweep.svg"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if lines := bytes.Count(readFile(t, filepath.Join(dir, "sweep.csv")), []byte("\n")); lines != 4 {
		t.Errorf("sweep.csv has %d lines, want a header and 3 values", lines)
	}
}

// TestSettings runs mc, run, compare and sweep with --set: a field set on the command line
// gives the rows of a file with that field written in, the setting travels with the output
// directory, compare applies --set-b to B alone, and a sweep runs a grid and a zipped sweep.
func TestSettings(t *testing.T) {
	dir := t.TempDir()
	src := readFile(t, smallScenario)
	edited := bytes.Replace(src, []byte("  - id: drones\n    class: shahed-136\n    count: 10"), []byte("  - id: drones\n    class: shahed-136\n    count: 4"), 1)
	edited = bytes.Replace(edited, []byte("doctrine: shoot-look-shoot"), []byte("doctrine: salvo"), 1)
	if bytes.Equal(edited, src) || bytes.Count(edited, []byte("count: 4")) != 1 {
		t.Fatal("the test scenario changed: the edits did not apply")
	}
	file := filepath.Join(dir, "edited.yaml")
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	mc := func(out string, args ...string) {
		t.Helper()
		args = append([]string{"mc", "-n", "5", "--no-progress", "-q", "--out", filepath.Join(dir, out)}, args...)
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	mc("file", file)
	mc("set", smallScenario, "--set", "raids[0].count=4", "--set", "c2.doctrine=salvo")
	mc("plain", smallScenario)
	rows := func(d string) []byte { return readFile(t, filepath.Join(dir, d, "rows.csv")) }
	if !bytes.Equal(rows("file"), rows("set")) {
		t.Error("mc --set gives other rows than the same change written in the file")
	}
	if bytes.Equal(rows("plain"), rows("set")) {
		t.Error("mc --set changed nothing")
	}
	if s := readFile(t, filepath.Join(dir, "set", "scenario.yaml")); !bytes.Contains(s, []byte("count: 4")) || !bytes.Contains(s, []byte("doctrine: salvo")) {
		t.Errorf("the saved scenario lacks the settings:\n%s", s)
	}
	// run replays a row of mc --set with the same settings.
	code, stdout, errs := runCLI(t, "run", smallScenario, "--set", "raids[0].count=4", "--set", "c2.doctrine=salvo", "--replication", "3", "--json", filepath.Join(dir, "r3.json"), "-q")
	if code != exitOK {
		t.Fatalf("run --set: exit %d\n%s%s", code, stdout, errs)
	}
	if code, _, errs := runCLI(t, "run", file, "--replication", "3", "--json", filepath.Join(dir, "f3.json"), "-q"); code != exitOK {
		t.Fatalf("run of the edited file: exit %d: %s", code, errs)
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "r3.json")), readFile(t, filepath.Join(dir, "f3.json"))) {
		t.Error("run --set gives another outcome than the same change written in the file")
	}
	// compare: --set-b to B alone, so B is the edited file and A the plain scenario.
	code, byFile, errs := runCLI(t, "compare", smallScenario, file, "-n", "5", "--no-progress", "--json")
	if code != exitOK {
		t.Fatalf("compare with the edited file: exit %d: %s", code, errs)
	}
	code, bySet, errs := runCLI(t, "compare", smallScenario, smallScenario, "-n", "5", "--no-progress", "--json",
		"--set-b", "raids[0].count=4", "--set-b", "c2.doctrine=salvo")
	if code != exitOK {
		t.Fatalf("compare --set-b: exit %d: %s", code, errs)
	}
	diffs := func(js string) string { // the paired differences, without the scenarios' names
		var c map[string]json.RawMessage
		if err := json.Unmarshal([]byte(js), &c); err != nil {
			t.Fatal(err)
		}
		return string(c["value_lost"]) + string(c["interceptors_fired"])
	}
	var cmp struct {
		ValueLost struct {
			Diff struct{ Est float64 } `json:"diff"`
		} `json:"value_lost"`
	}
	if err := json.Unmarshal([]byte(bySet), &cmp); err != nil || cmp.ValueLost.Diff.Est == 0 {
		t.Errorf("compare --set-b: B (4 drones, not 10) lost as much value as A (%v):\n%s", err, bySet)
	}
	if diffs(byFile) != diffs(bySet) {
		t.Errorf("compare --set-b differs from compare with the edited file:\n%s\n%s", diffs(byFile), diffs(bySet))
	}
	// An assumption of the catalog changed for B alone: a kill probability of a rooftop
	// unit's missile against drones (pk0) cut from the catalog's to 0.05 loses more value.
	code, verdict, errs := runCLI(t, "compare", smallScenario, smallScenario, "-n", "10", "--no-progress", "-q",
		"--set-b", "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone=0.05")
	if code != exitOK || !strings.Contains(verdict, "B loses") || !strings.Contains(verdict, "more asset value than A (95 % CI), significant") {
		t.Errorf("compare with a catalog figure set for B: exit %d\n%s%s", code, verdict, errs)
	}
	// A grid (two swept fields, one fixed) and a zipped sweep.
	grid := filepath.Join(dir, "grid")
	code, stdout, errs = runCLI(t, "sweep", smallScenario, "--set", "raids[0].count=2:6:2", "--set", "c2.doctrine=shoot-look-shoot,salvo",
		"--set", "c2.picture=perfect", "-n", "3", "--no-progress", "--out", grid)
	if code != exitOK {
		t.Fatalf("grid sweep: exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "raids[0].count  c2.doctrine") || !strings.Contains(stdout, "fixed: c2.picture=perfect") {
		t.Errorf("grid table:\n%s", stdout)
	}
	csv := string(readFile(t, filepath.Join(grid, "sweep.csv")))
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "raids[0].count,c2.doctrine,replications,") ||
		!strings.HasPrefix(lines[1], "2,shoot-look-shoot,3,") || !strings.HasPrefix(lines[6], "6,salvo,3,") {
		t.Errorf("grid sweep.csv:\n%s", csv)
	}
	for _, f := range []string{"sweep.png", "sweep.svg"} {
		if _, err := os.Stat(filepath.Join(grid, f)); err != nil {
			t.Errorf("grid sweep: %v", err)
		}
	}
	if svg := readFile(t, filepath.Join(grid, "sweep.svg")); !bytes.Contains(svg, []byte("c2.doctrine=salvo")) {
		t.Error("the grid plot has no curve named for the second field's value")
	}
	// The same sweep again with another metric: every point is taken from sweep.json, and
	// the plot is of one building.
	code, _, errs = runCLI(t, "sweep", smallScenario, "--set", "raids[0].count=2:6:2", "--set", "c2.doctrine=shoot-look-shoot,salvo",
		"--set", "c2.picture=perfect", "-n", "3", "--no-progress", "-q", "--out", grid, "--metric", "p_hit:depot")
	if code != exitOK || !strings.Contains(errs, "6 of 6 points taken") {
		t.Errorf("grid sweep replotted: exit %d: %s", code, errs)
	}
	if svg := readFile(t, filepath.Join(grid, "sweep.svg")); !bytes.Contains(svg, []byte("P(depot hit)")) {
		t.Error("the plot of --metric p_hit:depot is not labelled with it")
	}
	code, stdout, errs = runCLI(t, "sweep", smallScenario, "--set", "raids[0].count=2:6:2", "--set", "raids[1].count=1:3:1", "--zip",
		"-n", "3", "--no-progress", "--picture", "perfect")
	// A zipped sweep is one line of points: a step column, and a line under the table saying
	// what it is.
	if code != exitOK || strings.Count(stdout, "\n") != 7 || !strings.Contains(stdout, "\n6               3 ") ||
		!strings.Contains(stdout, "STEP leak_rate: ") {
		t.Errorf("zipped sweep: exit %d\n%s%s", code, stdout, errs)
	}
	// Three swept fields: a table and CSV, no plot, and the reason said.
	code, _, errs = runCLI(t, "sweep", smallScenario, "--set", "raids[0].count=2,4", "--set", "raids[1].count=1,2", "--set", "c2.salvo=1,2",
		"-n", "1", "--no-progress", "-q", "--picture", "perfect", "--out", filepath.Join(dir, "three"))
	if code != exitOK || !strings.Contains(errs, "a grid of 3 fields: no plot") {
		t.Errorf("three swept fields: exit %d: %s", code, errs)
	}
}

// TestSweepUntilCI: with --until-ci each point of a sweep stops on its own, at a check, once
// its leak rate is sharp enough, and its result is exactly that of mc run to that many
// replications with the same setting.
func TestSweepUntilCI(t *testing.T) {
	dir := t.TempDir()
	const h = 0.03
	code, _, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[0].count=2:10:4", "-n", "200", "--until-ci", fmt.Sprint(h),
		"--check-every", "20", "--no-progress", "-q", "--out", dir)
	if code != exitOK {
		t.Fatalf("sweep --until-ci: exit %d: %s", code, errs)
	}
	var sw struct {
		Points []struct {
			Set    []struct{ Path, Value string }
			Result struct {
				Replications int64                         `json:"replications"`
				LeakRate     struct{ Est, Lo, Hi float64 } `json:"leak_rate"`
				ValueLost    struct{ Est float64 }         `json:"value_lost"`
			}
		}
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "sweep.json")), &sw); err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != 3 {
		t.Fatalf("%d points, want 3", len(sw.Points))
	}
	stops := map[int64]bool{}
	for _, p := range sw.Points {
		r := p.Result
		stops[r.Replications] = true
		if r.Replications%20 != 0 || r.Replications > 200 {
			t.Errorf("%s=%s stopped after %d replications, not at a check", p.Set[0].Path, p.Set[0].Value, r.Replications)
		}
		if hw := (r.LeakRate.Hi - r.LeakRate.Lo) / 2; r.Replications < 200 && hw > h {
			t.Errorf("%s=%s stopped at ± %.4f, wider than ± %g", p.Set[0].Path, p.Set[0].Value, hw, h)
		}
		out := filepath.Join(dir, "mc"+p.Set[0].Value)
		if code, _, errs := runCLI(t, "mc", smallScenario, "--set", "raids[0].count="+p.Set[0].Value, "-n", fmt.Sprint(r.Replications),
			"--no-progress", "-q", "--out", out); code != exitOK {
			t.Fatalf("mc: exit %d: %s", code, errs)
		}
		var one struct {
			ValueLost struct{ Est float64 } `json:"value_lost"`
		}
		if err := json.Unmarshal(readFile(t, filepath.Join(out, "summary.json")), &one); err != nil {
			t.Fatal(err)
		}
		if one.ValueLost.Est != r.ValueLost.Est {
			t.Errorf("%s: the sweep's point (%g) is not mc's first %d replications (%g)", p.Set[0].Value, r.ValueLost.Est, r.Replications, one.ValueLost.Est)
		}
	}
	if len(stops) < 2 {
		t.Errorf("every point stopped after the same number of replications %v: the test shows nothing", stops)
	}
}

// TestPicture runs the perfect air picture from the command line: the flag reaches the
// summary and the saved scenario (so shards, remote workers and --resume run the same
// picture), compare measures B's picture against A's, and sweep takes the picture as values.
func TestPicture(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "perfect")
	for _, w := range []string{"1", "2"} {
		if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "6", "--no-progress", "-q", "--picture", "perfect", "--workers", w, "--out", out+w); code != exitOK {
			t.Fatalf("mc --picture perfect --workers %s: exit %d: %s", w, code, errs)
		}
	}
	sameOutputs(t, "--picture perfect --workers 2", out+"1", out+"2")
	out += "1"
	if s := readFile(t, filepath.Join(out, "summary.json")); !bytes.Contains(s, []byte(`"picture": "perfect"`)) {
		t.Errorf("summary.json does not name the perfect picture:\n%.300s", s)
	}
	if s := readFile(t, filepath.Join(out, "scenario.yaml")); !bytes.Contains(s, []byte("picture: perfect")) {
		t.Errorf("the saved scenario lacks the picture:\n%s", s)
	}
	code, stdout, errs := runCLI(t, "compare", smallScenario, smallScenario, "-n", "4", "--no-progress", "--picture-b", "perfect")
	if code != exitOK || !strings.Contains(stdout, "B: "+smallScenario+" with c2.picture=perfect") {
		t.Errorf("compare --picture-b perfect: exit %d\n%s%s", code, stdout, errs)
	}
	code, stdout, errs = runCLI(t, "sweep", smallScenario, "--set", "c2.picture=tracked,perfect", "-n", "4", "--no-progress")
	if code != exitOK || !strings.Contains(stdout, "perfect") {
		t.Errorf("sweep over the picture: exit %d\n%s%s", code, stdout, errs)
	}
	// A boolean field swept: the study is written back to YAML and read again.
	code, stdout, errs = runCLI(t, "sweep", smallScenario, "--set", "c2.cueing=false,true", "-n", "2", "--no-progress")
	if code != exitOK || !strings.Contains(stdout, "true") {
		t.Errorf("sweep over a boolean: exit %d\n%s%s", code, stdout, errs)
	}
	code, stdout, errs = runCLI(t, "run", smallScenario, "--picture", "perfect")
	if code != exitOK || !strings.Contains(stdout, "air picture: perfect") {
		t.Errorf("run --picture perfect: exit %d\n%s%s", code, stdout, errs)
	}
	// The mixed picture: named in the summary, summary.json and run's outcome; refused with
	// the perfect picture, which is perfect for every category already.
	mixed := filepath.Join(dir, "mixed")
	code, stdout, errs = runCLI(t, "mc", smallScenario, "-n", "4", "--no-progress", "--set", "c2.perfect_categories=[drone]", "--out", mixed)
	if code != exitOK || !strings.Contains(stdout, "air picture: tracked, perfect for drone\n") {
		t.Errorf("mc with c2.perfect_categories: exit %d\n%s%s", code, stdout, errs)
	}
	if s := readFile(t, filepath.Join(mixed, "summary.json")); !bytes.Contains(s, []byte(`"picture": "tracked",`+"\n"+`  "perfect_categories": [`+"\n"+`    "drone"`)) {
		t.Errorf("summary.json does not name the mixed picture:\n%.400s", s)
	}
	code, stdout, errs = runCLI(t, "run", smallScenario, "--set", "c2.perfect_categories=[drone]")
	if code != exitOK || !strings.Contains(stdout, "air picture (tracked, perfect for drone): mean OSPA") {
		t.Errorf("run with c2.perfect_categories: exit %d\n%s%s", code, stdout, errs)
	}
	for _, args := range [][]string{{"run"}, {"mc", "-n", "2"}} {
		cmd := args[0]
		code, _, errs = runCLI(t, append(args, smallScenario, "--picture", "perfect", "--set", "c2.perfect_categories=[drone]")...)
		if code != exitBadInput || !strings.Contains(errs, "c2.perfect_categories") {
			t.Errorf("%s --picture perfect with c2.perfect_categories: exit %d, want %d naming the field: %s", cmd, code, exitBadInput, errs)
		}
	}
}

// lockedBuffer collects a process's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) add(s string) { l.mu.Lock(); l.b.WriteString(s + "\n"); l.mu.Unlock() }
func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestMCOverNATSWithAWorkerKilled runs replications through a real JetStream server (the
// nats-server Go module, in this process) and three `adsim worker` processes built from this
// package, kills one of them in the middle of a batch, and checks that the rows are those of
// a local run: the killed worker's batch was redelivered and nothing was lost or counted twice.
func TestMCOverNATSWithAWorkerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the adsim binary and starts processes")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "adsim")
	// Without version-control stamping, like this test binary: the workers' mc.Engine must be
	// the coordinator's, or they refuse its batches.
	build := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	url := natstest.Start(t, filepath.Join(dir, "js"))

	// The reference: a local run of the default scenario (about 0.1 s per replication, so a
	// batch of 2 takes long enough to be killed in the middle).
	const n = "16"
	ref := filepath.Join(dir, "local")
	if code, _, errs := runCLI(t, "mc", "capital", "-n", n, "--no-progress", "-q", "--out", ref); code != exitOK {
		t.Fatalf("local run: exit %d: %s", code, errs)
	}

	logs := make([]*lockedBuffer, 3)
	procs := make([]*exec.Cmd, 3)
	killed := make(chan string, 1) // the batch the killed worker was working on
	for i := range procs {
		logs[i] = &lockedBuffer{}
		cmd := exec.Command(bin, "worker", "--nats", url, "--workers", "1", "--name", fmt.Sprintf("w%d", i), "-v")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs[i] = cmd
		defer func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}()
		started := regexp.MustCompile(`batch (\[\d+, \d+\)) of job \S+: started`)
		go func(i int) {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				logs[i].add(sc.Text())
				// Kill worker 0 as soon as it starts its first batch: it dies mid-batch.
				if m := started.FindStringSubmatch(sc.Text()); i == 0 && m != nil {
					select {
					case killed <- m[1]:
						_ = procs[0].Process.Kill()
					default:
					}
				}
			}
		}(i)
	}
	// Wait until every worker is connected, so that all three take part.
	for deadline := time.Now().Add(30 * time.Second); ; {
		ready := 0
		for _, l := range logs {
			if strings.Contains(l.String(), ": serving ") {
				ready++
			}
		}
		if ready == len(logs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("workers not ready after 30 s:\n%s%s%s", logs[0], logs[1], logs[2])
		}
		time.Sleep(20 * time.Millisecond)
	}
	remote := filepath.Join(dir, "remote")
	code, _, errs := runCLI(t, "mc", "capital", "-n", n, "--nats", url, "--batch", "2", "--ack-wait", "2s",
		"--no-progress", "-q", "--out", remote)
	if code != exitOK {
		t.Fatalf("mc --nats: exit %d: %s\nworker logs:\n%s%s%s", code, errs, logs[0], logs[1], logs[2])
	}
	sameOutputs(t, "through NATS with a worker killed", ref, remote)
	t.Logf("worker logs:\n%s%s%s", logs[0], logs[1], logs[2])
	select {
	case b := <-killed:
		redone := fmt.Sprintf("batch %s of job", b)
		if !strings.Contains(logs[1].String()+logs[2].String(), redone) {
			t.Errorf("the killed worker's batch %s was not redone by another worker:\n%s%s", b, logs[1], logs[2])
		}
	default:
		t.Log("worker 0 got no batch before the others finished; the redelivery was not exercised")
	}
	// The two surviving workers also serve a sweep with a fixed setting and a sensitivity
	// study with a catalog figure: the same files as local runs.
	for _, c := range []struct {
		name  string
		args  []string
		files []string
	}{
		{"sweep", []string{"sweep", smallScenario, "--set", "raids[drones].count=4,8", "--set", "c2.salvo=2", "-n", "6"}, []string{"sweep.csv", "sweep.json"}},
		{"sensitivity", []string{"sensitivity", smallScenario, "--set", "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone=0.3,0.9", "-n", "6"},
			[]string{"sensitivity.csv", "sensitivity.json"}},
	} {
		local, viaNATS := filepath.Join(dir, c.name+"-local"), filepath.Join(dir, c.name+"-nats")
		if code, _, errs := runCLI(t, append(c.args, "--no-progress", "-q", "--out", local)...); code != exitOK {
			t.Fatalf("%s: exit %d: %s", c.name, code, errs)
		}
		before := strings.Count(logs[1].String()+logs[2].String(), ": started")
		if code, _, errs := runCLI(t, append(c.args, "--no-progress", "-q", "--out", viaNATS, "--nats", url, "--batch", "2")...); code != exitOK {
			t.Fatalf("%s --nats: exit %d: %s", c.name, code, errs)
		}
		if after := strings.Count(logs[1].String()+logs[2].String(), ": started"); after <= before {
			t.Errorf("%s --nats: the workers started no batch", c.name)
		}
		for _, f := range c.files {
			if !bytes.Equal(readFile(t, filepath.Join(local, f)), readFile(t, filepath.Join(viaNATS, f))) {
				t.Errorf("%s --nats: %s differs from the local run's", c.name, f)
			}
		}
	}
	// A worker stopped by Ctrl-C ends its log with what it served: the batches it logged done,
	// and their replications.
	done := regexp.MustCompile(`batch \[(\d+), (\d+)\) of job \S+: done`)
	for i := 1; i < 3; i++ {
		if err := procs[i].Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		last := regexp.MustCompile(fmt.Sprintf(`adsim worker w%d: stopped by Ctrl-C \(SIGINT\) after serving (\d+) batch(?:es)? \((\d+) replications?\)`, i))
		var m []string
		for deadline := time.Now().Add(30 * time.Second); m == nil; time.Sleep(20 * time.Millisecond) {
			if m = last.FindStringSubmatch(logs[i].String()); m == nil && time.Now().After(deadline) {
				t.Fatalf("worker %d: no last line after Ctrl-C:\n%s", i, logs[i])
			}
		}
		batches, reps := 0, 0
		for _, d := range done.FindAllStringSubmatch(logs[i].String(), -1) {
			a, _ := strconv.Atoi(d[1])
			b, _ := strconv.Atoi(d[2])
			batches, reps = batches+1, reps+b-a
		}
		if m[1] != strconv.Itoa(batches) || m[2] != strconv.Itoa(reps) || batches == 0 {
			t.Errorf("worker %d says it served %s batches (%s replications); its log has %d done (%d replications)", i, m[1], m[2], batches, reps)
		}
	}
}

// `adsim mc --resume DIR` goes on with a run saved short of its -n (as an interrupted run
// leaves it) and ends with the files of one uninterrupted run; the flags that would set the
// study again are refused.
func TestMCResume(t *testing.T) {
	dir := t.TempDir()
	ref, part := filepath.Join(dir, "ref"), filepath.Join(dir, "part")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "8", "-q", "--no-progress", "--out", ref); code != exitOK {
		t.Fatalf("reference: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "3", "-q", "--no-progress", "--out", part); code != exitOK {
		t.Fatalf("part: exit %d: %s", code, errs)
	}
	// What an interruption after 3 of 8 replications leaves: the same rows, a manifest saying so.
	mpath := filepath.Join(part, "manifest.json")
	m := string(readFile(t, mpath))
	m = strings.Replace(m, `"total": 3`, `"total": 8`, 1)
	m = strings.Replace(m, `"end": 3`, `"end": 8`, 1)
	if err := os.WriteFile(mpath, []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"mc", smallScenario, "--resume", part}, "give no SCENARIO"},
		{[]string{"mc", "--resume", part, "-n", "9"}, ": -n comes from"},
		{[]string{"mc", "--resume", part, "--seed", "2"}, "--seed comes from"},
		{[]string{"mc", "--resume", part, "--out", ref}, "--out comes from"},
		{[]string{"mc", "--resume", ref}, "nothing to resume"},
		{[]string{"mc", "--resume", part, "--check-every", "7"}, "--check-every 7 is given without --until-ci: it says how often --until-ci checks, and with no --until-ci (or 0) all -n replications run; give --until-ci too, or leave --check-every out (the run saved in " + part + " has no --until-ci either)"},
		{[]string{"mc", "--resume", part, "--until-ci", "1.5"}, "--until-ci 1.5: expected a half-width"},
		{[]string{"mc", "--resume", filepath.Join(dir, "none")}, "not an adsim mc output directory"},
	} {
		if code, _, errs := runCLI(t, bad.args...); code != exitBadInput || !strings.Contains(errs, bad.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", bad.args, code, errs, bad.want)
		}
	}
	saved := readFile(t, mpath)
	code, _, errs := runCLI(t, "mc", "--resume", part, "-q")
	if code != exitOK || !strings.Contains(errs, "3 of 8 replications saved, 5 to go") {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	same := func(what string) {
		for _, f := range []string{"rows.csv", "rows.parquet", "summary.json", "manifest.json"} {
			if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(part, f))) {
				t.Errorf("%s: %s differs from the uninterrupted run's", what, f)
			}
		}
	}
	same("--resume")

	// The same command run again (a restarted pod) goes on by itself.
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "3", "-q", "--no-progress", "--out", part); code != exitOK {
		t.Fatalf("part again: exit %d: %s", code, errs)
	}
	if err := os.WriteFile(mpath, saved, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(t, "mc", smallScenario, "-n", "8", "-q", "--out", part)
	if code != exitOK || !strings.Contains(errs, "resuming") {
		t.Fatalf("the same command again: exit %d: %s", code, errs)
	}
	same("the same command again")
	// Another -n starts afresh.
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "4", "-q", "--out", part); code != exitOK || strings.Contains(errs, "resuming") {
		t.Errorf("another -n: exit %d: %s", code, errs)
	}
}

// The summary line of a distributed run says how the replications were shared among the
// workers: a machine far below the others is slow, or joined late.
func TestWorkersLabel(t *testing.T) {
	const url = "nats://host:4222"
	cases := []struct {
		served map[string]int // nil: no result counted yet
		want   string
	}{
		{nil, "remote workers via " + url},
		{map[string]int{}, "remote workers via " + url},
		{map[string]int{"a": 40}, "remote workers via " + url + ": 1 worker"},
		{map[string]int{"a": 50, "b": 20, "c": 30}, "remote workers via " + url + ": 3 workers, 20 to 50 replications each"},
	}
	for _, c := range cases {
		f := &mcFlags{natsURL: url}
		if c.served != nil {
			f.served = &workerShares{n: c.served}
		}
		if got := f.workersLabel(); got != c.want {
			t.Errorf("served %v: %q, want %q", c.served, got, c.want)
		}
	}
	// The executor counts what mc.NATS reports.
	f := &mcFlags{natsURL: url}
	ex, ok := f.executor(io.Discard).(hintingNATS)
	if !ok {
		t.Fatalf("executor %T, want hintingNATS", f.executor(io.Discard))
	}
	ex.Served("a", 10)
	ex.Served("b", 10)
	ex.Served("a", 10)
	if got, want := f.workersLabel(), "remote workers via "+url+": 2 workers, 10 to 20 replications each"; got != want {
		t.Errorf("after three results: %q, want %q", got, want)
	}
	if got := (&mcFlags{workers: 3}).workersLabel(); got != "3 workers" {
		t.Errorf("local: %q", got)
	}
}

// TestStudiesEndWithTheirRate: mc, compare, sweep and sensitivity end on stderr with the
// replications run in this process, their rate and who ran them; saved sweep points are not
// counted, the saved point run again to pair the next one with is; --no-progress says none.
func TestStudiesEndWithTheirRate(t *testing.T) {
	dir := t.TempDir()
	sweepArgs := []string{"sweep", smallScenario, "--set", "raids[0].count=2,4,6", "-n", "8", "--workers", "2", "--out", filepath.Join(dir, "sw")}
	cases := []struct {
		name  string
		setup []string // run first, with --no-progress
		args  []string
		label string
		ran   int // -1: no line
	}{
		{"mc", nil, []string{"mc", smallScenario, "-n", "8", "--workers", "2"}, "mc small", 8},
		{"mc quiet progress", nil, []string{"mc", smallScenario, "-n", "8", "--workers", "2", "--no-progress"}, "mc small", -1},
		{"compare", nil, []string{"compare", smallScenario, smallScenario, "--set-b", "raids[0].count=4", "-n", "8", "--workers", "2"}, "compare", 16},
		{"sweep", nil, []string{"sweep", smallScenario, "--set", "raids[0].count=2,4,6", "-n", "8", "--workers", "2"}, "sweep raids[0].count", 24},
		// Two points saved: the third runs (8), and the second again to pair it with (8).
		{"sweep resumed", append(sweepArgs[:3:3], "raids[0].count=2,4", "-n", "8", "--out", filepath.Join(dir, "sw")), sweepArgs, "sweep raids[0].count", 16},
		{"sweep all saved", sweepArgs, sweepArgs, "sweep raids[0].count", -1},
		{"sensitivity", nil, []string{"sensitivity", smallScenario, "--set", "raids[0].count=2,6", "-n", "8", "--workers", "2"}, "sensitivity small", 24},
		{"compare --no-progress", nil, []string{"compare", smallScenario, smallScenario, "-n", "8", "--no-progress"}, "compare", -1},
	}
	line := regexp.MustCompile(`(?m)^(.*): (\d+) replications in \d+\.\d\d s \(\d+\.\d replications/s, (.*)\)$`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				if code, _, errs := runCLI(t, append(c.setup, "--no-progress")...); code != exitOK {
					t.Fatalf("%v: exit %d: %s", c.setup, code, errs)
				}
			}
			code, _, errs := runCLI(t, c.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			ms := line.FindAllStringSubmatch(errs, -1)
			if c.ran < 0 {
				if len(ms) != 0 {
					t.Errorf("a rate line where none is due: %q", ms[0][0])
				}
				return
			}
			if len(ms) != 1 {
				t.Fatalf("%d rate lines, want 1:\n%s", len(ms), errs)
			}
			if m := ms[0]; m[1] != c.label || m[2] != strconv.Itoa(c.ran) || m[3] != "2 workers" {
				t.Errorf("%q: want %q, %d replications, 2 workers", m[0], c.label, c.ran)
			}
		})
	}
}

// TestNATSLogin: adsim worker and adsim mc log in to a server that asks for a login, one
// with the user and password in the URL, the other with --nats-nkey; neither prints the
// password; a refused login ends with exit 1 and names the flags that give credentials.
func TestNATSLogin(t *testing.T) {
	dir := t.TempDir()
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := user.Seed()
	pub, _ := user.PublicKey()
	seedFile := filepath.Join(dir, "user.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	url := natstest.StartWith(t, filepath.Join(dir, "js"), func(o *server.Options) {
		o.Users = []*server.User{{Username: "alice", Password: "s3cret-pw"}}
		o.Nkeys = []*server.NkeyUser{{Nkey: pub}}
	})
	withPassword := strings.Replace(url, "://", "://alice:s3cret-pw@", 1)
	type result struct {
		code int
		errs string
	}
	worker := make(chan result, 1)
	go func() {
		code, _, errs := runCLI(t, "worker", "--nats", withPassword, "--max-batches", "1", "--name", "w1", "--workers", "1")
		worker <- result{code, errs}
	}()
	code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "--batch", "2", "--nats", url, "--nats-nkey", seedFile, "-q")
	if code != exitOK {
		t.Fatalf("mc with --nats-nkey: exit %d: %s", code, errs)
	}
	if want := "remote workers via " + url + ": 1 worker"; !strings.Contains(errs, want) {
		t.Errorf("mc's stderr lacks %q:\n%s", want, errs)
	}
	w := <-worker
	if w.code != exitOK {
		t.Fatalf("worker with a password in the URL: exit %d: %s", w.code, w.errs)
	}
	if want := "w1: serving " + strings.Replace(url, "://", "://alice:xxxxx@", 1); !strings.Contains(w.errs, want) {
		t.Errorf("the worker's log lacks %q:\n%s", want, w.errs)
	}
	// Refused logins: exit 1, what to give, and never the password.
	wrong := strings.Replace(url, "://", "://alice:wrong-pw@", 1)
	for _, args := range [][]string{
		{"mc", smallScenario, "-n", "2", "--nats", wrong, "--no-progress"},
		{"worker", "--nats", wrong, "--max-batches", "1"},
		{"sweep", smallScenario, "--set", "raids[0].count=2,4", "-n", "2", "--nats", url, "--no-progress"},
	} {
		code, _, errs := runCLI(t, args...)
		if code != exitRunError || !strings.Contains(errs, "refused the login") || !strings.Contains(errs, "give --nats-creds FILE or --nats-nkey FILE") {
			t.Errorf("%s: exit %d, want %d with a refused login and what to give:\n%s", args[0], code, exitRunError, errs)
		}
		if strings.Contains(errs, "wrong-pw") || strings.Contains(errs, "s3cret-pw") {
			t.Errorf("%s: the password is shown:\n%s", args[0], errs)
		}
	}
	for _, r := range []string{w.errs, errs} {
		if strings.Contains(r, "s3cret-pw") {
			t.Errorf("the password is shown:\n%s", r)
		}
	}
}
