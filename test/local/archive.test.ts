/**
 * The run archive's files (src/local/archive.ts, docs/history.md#retention-and-the-archive)
 * without a Temporal server: any workflow id makes a file inside the archive directory,
 * a file is read back as written, a broken one is named and left out of the list, and
 * archived runs are listed (engine `temporal (archived)`) when Temporal cannot be asked.
 * The archive of a real Temporal run is tested in test/temporal/archive.test.ts.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Revo, UsageError } from '../../src/index.js';
import { historyExport } from '../../src/history/export.js';
import { ARCHIVE_FORMAT, RunArchive, type ArchivedRun } from '../../src/local/archive.js';
import { freePort } from '../process-helpers.js';

const FLOW = `revo: 1
name: archive-unit
input: { type: object, properties: { order: { type: string } } }
steps:
  - { id: total, set: { total: 1 } }
`;

let dir: string;
let revo: Revo;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revo-archive-unit-'));
  // Temporal is asked at a port nothing listens on: it cannot answer.
  revo = new Revo({ home: join(dir, '.revo'), temporal: { address: `127.0.0.1:${await freePort()}` } });
});
afterEach(async () => {
  await revo.close();
});

/** An archive entry made from a real local run's history, under another id, as if it had run on Temporal. */
async function archivedAs(workflowId: string, order: string): Promise<ArchivedRun> {
  const file = join(dir, 'flow.yaml');
  writeFileSync(file, FLOW);
  const run = await revo.start(file, { input: { order } });
  await run.result();
  const { record, bundle, events } = await revo.history(run.runId);
  return {
    ...historyExport({ ...record, runId: workflowId, workflowId, engine: 'temporal' }, bundle, events),
    archive: { format: ARCHIVE_FORMAT, at: new Date().toISOString(), namespace: 'default', input: { order }, histories: [] },
  };
}

describe('the run archive', () => {
  it('keeps any workflow id in a file inside the archive, and reads it back as written', async () => {
    const archive = new RunArchive(join(dir, '.revo'));
    const ids = ['order/123', '../../escape', 'with space and ümlaut', 'x'.repeat(400)];
    for (const [i, id] of ids.entries()) {
      const entry = await archivedAs(id, `o-${i}`);
      expect(archive.has(id)).toBe(false);
      archive.write(entry);
      expect(dirname(archive.path(id))).toBe(archive.dir);
      expect(archive.has(id)).toBe(true);
      expect(archive.read(id)).toEqual(entry);
    }
    expect(readdirSync(archive.dir).filter((name) => name.endsWith('.history.json'))).toHaveLength(4);
    expect(archive.rows().map((r) => r.runId).sort()).toEqual([...ids].sort());
    expect(archive.read('never-archived')).toBeUndefined();
  });

  it('a broken file is named when read and left out of the list', async () => {
    const archive = new RunArchive(join(dir, '.revo'));
    archive.write(await archivedAs('good-run', 'o-1'));
    archive.write(await archivedAs('broken-run', 'o-2'));
    writeFileSync(archive.path('broken-run'), '{"format": "revo.history/1"');
    expect(() => archive.read('broken-run')).toThrow(UsageError);
    expect(() => archive.read('broken-run')).toThrow(/broken-run\.history\.json is not JSON/);
    expect(archive.rows().map((r) => r.runId)).toEqual(['good-run']);
  });

  it('archived runs are listed when Temporal cannot be asked, with the filters, and found by history', async () => {
    revo.archive.write(await archivedAs('temporal-run-1', 'o-searched'));
    revo.archive.write(await archivedAs('temporal-run-2', 'o-other'));
    const rows = await revo.listRuns();
    expect(rows.temporalUnavailable).toBeDefined();
    expect(rows.filter((r) => r.engine === 'temporal (archived)').map((r) => r.runId).sort()).toEqual(['temporal-run-1', 'temporal-run-2']);
    expect(rows.filter((r) => r.engine === 'local')).toHaveLength(2);
    expect((await revo.listRuns({ engine: 'temporal', search: 'o-searched' })).map((r) => r.runId)).toEqual(['temporal-run-1']);
    expect(await revo.listRuns({ engine: 'local', search: 'o-searched' })).toHaveLength(1); // the local run it was made from
    expect((await revo.history('temporal-run-2')).record).toMatchObject({ runId: 'temporal-run-2', status: 'completed' });
  });
});
