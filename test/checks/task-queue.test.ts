import { describe, expect, it } from 'vitest';
import type { ActivitySpec } from '../../src/activities/types.js';
import { taskQueue } from '../../src/validate/checks/task-queue.js';
import { positions, testCatalog, validateSources } from '../helpers.js';

const quote: ActivitySpec = { name: 'go.quote', external: true, taskQueue: 'revo-go-test', input: { type: 'object' }, output: { type: 'object' } };
const ship: ActivitySpec = { name: 'shipping.book', taskQueue: 'shipping', input: {}, output: {} };

describe('task-queue', () => {
  it('warns of queues no catalog entry is served on, wherever they are set', async () => {
    const catalog = await testCatalog(new Map([[quote.name, quote], [ship.name, ship]]));
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: routes
defaults: { taskQueue: shiping }
activities:
  core.*: { taskQueue: shipping }
steps:
  - id: book
    call: shipping.book
    taskQueue: revo-go-tset
  - id: quote
    call: go.quote
`,
    }, { checks: [taskQueue], catalog });
    expect(positions(diagnostics)).toEqual(['3:24 warning task-queue', '9:16 warning task-queue', '11:11 warning task-queue']);
    expect(diagnostics[0]!.message).toBe(
      'task queue `shiping` is named nowhere in the activity catalog, so no worker may be polling it (a call routed there waits until one does); ' +
        'check the name, or pass the catalog of the workers serving it with --catalog (docs/dsl.md#routing)',
    );
    // `defaults` is above the activity's own level (the catalog's queue), so it routes the external `go.quote` away too.
    expect(diagnostics[2]!.message).toBe(
      'step `quote` sends `go.quote` to task queue `shiping`, but the catalog says its workers poll `revo-go-test`; route it there, or drop the `taskQueue` that overrides it',
    );
  });

  it('warns when an external activity is sent away from its queue, and refuses it as a local activity', async () => {
    const catalog = await testCatalog(new Map([[quote.name, quote], [ship.name, ship]]));
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: routes
steps:
  - id: quote
    call: go.quote
    taskQueue: shipping
  - id: again
    call: go.quote
    local: true
  - id: echo
    call: core.echo
    local: true
    taskQueue: shipping
`,
    }, { checks: [taskQueue], catalog });
    expect(positions(diagnostics)).toEqual(['6:16 warning task-queue', '9:12 error task-queue', '13:16 warning task-queue']);
    expect(diagnostics[0]!.message).toBe(
      'step `quote` sends `go.quote` to task queue `shipping`, but the catalog says its workers poll `revo-go-test`; route it there, or drop the `taskQueue` that overrides it',
    );
    expect(diagnostics[1]!.message).toBe('step `again` calls `go.quote`, an external activity, as a local activity; only its own workers can run it — remove `local: true`');
    expect(diagnostics[2]!.message).toBe("step `echo` is a local activity, which runs in the workflow's own worker, so its `taskQueue` is ignored; remove one of the two");
  });

  it('accepts calls routed to the queues the catalog names, or not routed at all', async () => {
    const catalog = await testCatalog(new Map([[quote.name, quote], [ship.name, ship]]));
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: routes
activities:
  shipping.*: { taskQueue: shipping }
steps:
  - id: quote
    call: go.quote
    taskQueue: revo-go-test
  - id: book
    call: shipping.book
  - id: echo
    call: core.echo
`,
    }, { checks: [taskQueue], catalog });
    expect(diagnostics).toEqual([]);
  });
});
