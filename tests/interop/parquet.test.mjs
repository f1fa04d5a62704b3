// Interoperability of `adsim mc --out DIR`: DuckDB (through its official Node.js bindings)
// must read rows.parquet and rows.csv, see the documented columns and types, and agree with
// the statistics adsim itself wrote to summary.json. Run by .ci/run after `npm ci`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'adsim-interop-'));
// The directory holds a 40 MB adsim binary: remove it however this file ends (a failed build or
// assertion included), so that repeated runs on one machine do not fill its /tmp.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const bin = join(dir, 'adsim');
execFileSync('go', ['build', '-o', bin, './cmd/adsim'], { cwd: root, stdio: 'inherit' });
const out = join(dir, 'out');
execFileSync(bin, ['mc', 'capital', '-n', '6', '--workers', '2', '-q', '--no-progress', '--out', out], { stdio: 'inherit' });
const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));

async function query(sql) {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  return (await con.runAndReadAll(sql)).getRowObjectsJson();
}

test('DuckDB reads rows.parquet with the documented types and adsim\'s numbers', async () => {
  const [r] = await query(`select count(*) as n, min(rep) as r0, max(rep) as r1, avg(value_lost) as lost,
    sum(launched) as launched, sum(destroyed + leaked + flying) as fates from '${out}/rows.parquet'`);
  assert.equal(Number(r.n), 6);
  assert.equal(Number(r.r0), 0);
  assert.equal(Number(r.r1), 5);
  assert.equal(Number(r.launched), Number(r.fates), 'conservation in every row');
  assert.ok(Math.abs(r.lost - summary.value_lost.est) < 1e-9, `mean value lost ${r.lost} vs summary ${summary.value_lost.est}`);
  const cols = await query(`describe select * from '${out}/rows.parquet'`);
  const type = Object.fromEntries(cols.map((c) => [c.column_name, c.column_type]));
  assert.equal(type.rep, 'UBIGINT');
  assert.equal(type.launched, 'BIGINT');
  assert.equal(type.value_lost, 'DOUBLE');
});

test('DuckDB reads rows.csv with the same values as rows.parquet', async () => {
  const rows = await query(`select p.rep, p.value_lost = c.value_lost as same, p.leaked = c.leaked as same_leaked
    from '${out}/rows.parquet' p join read_csv_auto('${out}/rows.csv') c using (rep) order by rep`);
  assert.equal(rows.length, 6);
  for (const r of rows) {
    assert.equal(r.same, true, `rep ${r.rep}: value_lost differs`);
    assert.equal(r.same_leaked, true, `rep ${r.rep}: leaked differs`);
  }
});

// checkReader checks what a reader (pandas, R) found in rows.csv: the six replications, launched
// = destroyed + leaked + flying, summary.json's mean value lost, and the column types it gave.
function checkReader(r, types) {
  assert.equal(r.n, 6);
  assert.deepEqual(r.reps, [0, 1, 2, 3, 4, 5]);
  assert.equal(r.launched, r.fates, 'conservation in every row');
  assert.ok(Math.abs(r.lost - summary.value_lost.est) < 1e-9, `mean value lost ${r.lost} vs summary ${summary.value_lost.est}`);
  assert.deepEqual(r.types, types);
}

// pandas (Debian's python3-pandas, installed by .ci/run) reads rows.csv. Its Parquet engines
// (pyarrow, fastparquet) are not packaged for Debian 12, so the Parquet file is checked with
// DuckDB above. /usr/bin/python3 is Debian's interpreter, the one python3-pandas installs into.
test('pandas reads rows.csv with the documented types and adsim\'s numbers', () => {
  const script = `
import json, sys
import pandas as pd
d = pd.read_csv(sys.argv[1])
print(json.dumps({"n": len(d), "reps": sorted(int(r) for r in d["rep"]), "lost": float(d["value_lost"].mean()),
  "launched": int(d["launched"].sum()), "fates": int((d["destroyed"] + d["leaked"] + d["flying"]).sum()),
  "types": {c: str(d[c].dtype) for c in ("rep", "launched", "value_lost")}}))
`;
  const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, join(out, 'rows.csv')], { encoding: 'utf8' }));
  checkReader(r, { rep: 'int64', launched: 'int64', value_lost: 'float64' });
});

// R (Debian's r-base-core, installed by .ci/run) reads rows.csv with plain read.csv. Its
// Parquet readers (the arrow and nanoparquet packages) are not packaged for Debian 12. read.csv
// rewrites column names that are not syntactic R names (check.names), so finding the manifest's
// names unchanged checks that the ids are safe for R.
test('R reads rows.csv with the documented types, names and adsim\'s numbers', () => {
  const script = `
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
q <- function(s) paste0('"', s, '"')
cat("{", q("n"), ":", nrow(d), ",", q("reps"), ": [", paste(sort(d$rep), collapse = ","), "],",
    q("lost"), ":", format(mean(d$value_lost), digits = 17), ",",
    q("launched"), ":", sum(d$launched), ",", q("fates"), ":", sum(d$destroyed + d$leaked + d$flying), ",",
    q("types"), ": {", q("rep"), ":", q(class(d$rep)), ",", q("launched"), ":", q(class(d$launched)), ",",
    q("value_lost"), ":", q(class(d$value_lost)), "},",
    q("names"), ": [", paste(q(names(d)), collapse = ","), "] }\\n")
`;
  const r = JSON.parse(execFileSync('Rscript', ['-e', script, join(out, 'rows.csv')], { encoding: 'utf8' }));
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  checkReader(r, { rep: 'integer', launched: 'integer', value_lost: 'numeric' });
  assert.deepEqual(r.names, manifest.columns, 'R kept every column name');
});

// `adsim compare --out DIR`: DuckDB joins DIR/a and DIR/b on rep and finds the comparison's
// paired difference and the replications that leaked under B only (comparison.json).
test('DuckDB joins the two sides of compare --out into comparison.json\'s pairs', async () => {
  const cmp = join(dir, 'cmp');
  execFileSync(bin, ['compare', 'capital', 'ground', '-n', '12', '--workers', '2', '-q', '--no-progress', '--out', cmp], { stdio: 'inherit' });
  const c = JSON.parse(readFileSync(join(cmp, 'comparison.json'), 'utf8'));
  const [r] = await query(`select count(*) as n, avg(b.value_lost - a.value_lost) as diff,
    count(*) filter (where b.leaked > 0 and a.leaked = 0) as only_b
    from '${cmp}/a/rows.parquet' a join '${cmp}/b/rows.parquet' b using (rep)`);
  assert.equal(Number(r.n), c.replications);
  assert.ok(Math.abs(r.diff - c.value_lost.diff.est) < 1e-9, `joined difference ${r.diff} vs comparison ${c.value_lost.diff.est}`);
  assert.equal(Number(r.only_b), c.leak_flips.only_b.count);
});

// `adsim sweep --out DIR --rows`: DuckDB reads every point's rows at once through a glob, one
// group per point directory, and finds each point's mean value lost in sweep.json.
test('DuckDB reads all the points of sweep --rows through one glob', async () => {
  const sw = join(dir, 'sweep');
  execFileSync(bin, ['sweep', 'capital', '--set', 'raids[0].count=10,20', '-n', '6', '--workers', '2', '-q', '--no-progress', '--out', sw, '--rows'], { stdio: 'inherit' });
  const saved = JSON.parse(readFileSync(join(sw, 'sweep.json'), 'utf8'));
  const rows = await query(`select regexp_extract(filename, 'count=([0-9]+)', 1) as count, count(*) as n, avg(value_lost) as lost
    from read_parquet('${sw}/rows/*/rows.parquet', filename = true) group by 1 order by 1`);
  assert.deepEqual(rows.map((r) => r.count), ['10', '20']);
  for (const [i, r] of rows.entries()) {
    assert.equal(Number(r.n), 6);
    const want = saved.points[i].result.value_lost.est;
    assert.ok(Math.abs(r.lost - want) < 1e-9, `point ${r.count}: ${r.lost} vs sweep.json ${want}`);
  }
});
