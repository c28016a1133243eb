#!/usr/bin/env node
// `npm run test:faults`: the fault-injection suite's long trials (test/faults/, see
// docs/reliability.md#the-fault-suite), then one table of their figures. `npm test` runs
// the same trials, fewer of each. Extra arguments go to vitest (e.g. a file to run one kind).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const report = join(mkdtempSync(join(tmpdir(), 'revo-faults-')), 'figures.jsonl');
const started = Date.now();
const load = loadavg()[0].toFixed(1);
const args = process.argv.slice(2);
const vitest = spawnSync('npx', ['vitest', 'run', ...(args.length > 0 ? args : ['test/faults'])], {
  stdio: 'inherit',
  env: { ...process.env, REVO_FAULTS: process.env.REVO_FAULTS ?? 'long', REVO_FAULTS_REPORT: report },
});

const rows = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
const columns = ['runs', 'lost', 'repeated', 'wrong', 'crashes', 'hangs'];
const width = Math.max(5, ...rows.map((r) => r.kind.length));
console.log(`\nfault trials (${Math.round((Date.now() - started) / 1000)} s, load ${load} → ${loadavg()[0].toFixed(1)}):`);
console.log(`${'trial'.padEnd(width)}  ${columns.map((c) => c.padStart(9)).join('')}`);
for (const row of rows) console.log(`${row.kind.padEnd(width)}  ${columns.map((c) => String(row[c]).padStart(9)).join('')}   seed ${row.seed}`);
process.exit(vitest.status ?? 1);
