/**
 * docs/dsl.md#errors-timeouts-and-retries: a call's effective options, merged field by field, first found wins:
 * step → activities.<exact> → activities.<longest prefix>.* → defaults → the activity's
 * own defaults → engine defaults. Directly (interpreter/options.ts) and through runs.
 */
import { describe, expect, it } from 'vitest';
import type { CallOptions, CallStep, WorkflowDefinition } from '../../interpreter/model.js';
import { activityLevels, effectiveOptions, ENGINE_DEFAULTS, mergePriority, renderPriority, startPriority } from '../../interpreter/options.js';
import { createScope } from '../../interpreter/scope.js';
import { WorkflowError } from '../../interpreter/errors.js';
import { fails, hangs, runWorkflow, stepOf, testActivity, workflow } from './harness.js';

function definition(extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return { revo: 1, name: 'opts', steps: [{ id: 'x', set: { a: 1 } }], ...extra };
}
const call = (activity: string, options: Partial<CallStep> = {}): CallStep => ({ id: 'c', call: activity, ...options });

describe('taskQueue (docs/dsl.md#routing)', () => {
  it('is merged like the other options: step, exact name, longest prefix, defaults, the activity’s own', () => {
    const def = definition({ defaults: { taskQueue: 'from-defaults' }, activities: { 'pay.*': { taskQueue: 'from-prefix' }, 'pay.charge': { timeout: '5s' } } });
    expect(effectiveOptions(def, call('pay.charge', { taskQueue: 'from-step' }), { taskQueue: 'own' }).taskQueue).toBe('from-step');
    expect(effectiveOptions(def, call('pay.charge'), { taskQueue: 'own' }).taskQueue).toBe('from-prefix');
    expect(effectiveOptions(def, call('ship.book'), { taskQueue: 'own' }).taskQueue).toBe('from-defaults');
    expect(effectiveOptions(definition(), call('ship.book'), { taskQueue: 'own' }).taskQueue).toBe('own');
    expect(effectiveOptions(definition(), call('ship.book'), undefined)).not.toHaveProperty('taskQueue');
  });
});

describe('priority (docs/dsl.md#priority)', () => {
  it('merges field by field, the first level that sets a field winning; nothing set is undefined', () => {
    expect(mergePriority({ key: 1 }, { key: 4, fairnessKey: 'a' }, { fairnessWeight: 2 })).toEqual({ key: 1, fairnessKey: 'a', fairnessWeight: 2 });
    expect(mergePriority(undefined, {})).toBeUndefined();
  });

  it('renders the fairness key against the scope, and refuses one that renders no string or is too long', () => {
    const scope = createScope({ input: { tenant: 'acme', n: 7, deep: { a: 1 }, long: 'x'.repeat(65) } });
    expect(renderPriority({ key: 2, fairnessKey: { var: 'input.tenant' }, fairnessWeight: 3 }, scope, 'step "s"')).toEqual({ key: 2, fairnessKey: 'acme', fairnessWeight: 3 });
    expect(renderPriority({ fairnessKey: { var: 'input.n' } }, scope, 'step "s"')).toEqual({ fairnessKey: '7' });
    const error = (() => {
      try {
        renderPriority({ fairnessKey: { var: 'input.deep' } }, scope, 'step "s"');
      } catch (thrown) {
        return thrown as WorkflowError;
      }
    })();
    expect(error).toBeInstanceOf(WorkflowError);
    expect([error!.type, error!.message]).toEqual(['ExpressionError', 'step "s": priority.fairnessKey rendered {"a":1}; it must render to a string (docs/dsl.md#priority)']);
    expect(() => renderPriority({ fairnessKey: { var: 'input.long' } }, scope, 'step "s"')).toThrow(/longer than 64 bytes/);
  });

  it('starts a run with the starter’s fields over the definition’s, whose templates see the input', () => {
    const def = definition({ priority: { key: 4, fairnessKey: { var: 'input.tenant' } } });
    expect(startPriority(def, { tenant: 'acme' })).toEqual({ key: 4, fairnessKey: 'acme' });
    expect(startPriority(def, { tenant: 'acme' }, { key: 1 })).toEqual({ key: 1, fairnessKey: 'acme' });
    expect(startPriority(definition(), {})).toBeUndefined();
  });
});

describe('effectiveOptions', () => {
  it('is the engine defaults when nothing is set: 5 attempts, 1s, ×2, at most 1m, 1m per attempt', () => {
    expect(effectiveOptions(definition(), call('a.b'), undefined)).toEqual({
      timeoutMs: 60_000,
      retry: { maxAttempts: 5, initialIntervalMs: 1000, backoff: 2, maxIntervalMs: 60_000, nonRetryable: [] },
    });
    expect(ENGINE_DEFAULTS).toEqual({ timeout: '1m', retry: { maxAttempts: 5, initialInterval: '1s', backoff: 2, maxInterval: '1m' } });
  });

  it('takes each field from the first level that sets it', () => {
    const def = definition({
      defaults: { timeout: '40s', heartbeat: '4s', retry: { maxAttempts: 40, initialInterval: '4s', backoff: 4, maxInterval: '4m', maxElapsed: '4h', nonRetryable: ['FromDefaults'], retryOn: ['FromDefaults'] } },
      activities: {
        'pay.*': { timeout: '30s', retry: { backoff: 3, maxInterval: '3m', maxElapsed: '3h', nonRetryable: ['FromPrefix'] } },
        'pay.charge': { timeout: '20s', retry: { initialInterval: '2s', maxElapsed: '2h' } },
      },
    });
    const own: CallOptions = { timeout: '50s', heartbeat: '5s', retry: { maxAttempts: 50, initialInterval: '5s', backoff: 5, maxInterval: '5m' } };
    const step = call('pay.charge', { timeout: '10s', retry: { maxAttempts: 2 } });
    expect(effectiveOptions(def, step, own)).toEqual({
      timeoutMs: 10_000, // step
      heartbeatMs: 4000, // defaults (before the activity's own 5s)
      retry: {
        maxAttempts: 2, // step
        initialIntervalMs: 2000, // exact
        backoff: 3, // prefix
        maxIntervalMs: 180_000, // prefix
        maxElapsedMs: 7_200_000, // exact (before prefix and defaults)
        nonRetryable: ['FromPrefix'], // prefix: lists are not concatenated
        retryOn: ['FromDefaults'], // defaults
      },
    });
  });

  it('uses the activity’s own defaults below `defaults` and above the engine defaults', () => {
    const own: CallOptions = { timeout: '5s', heartbeat: '1s', retry: { maxAttempts: 9, initialInterval: '3s' } };
    expect(effectiveOptions(definition({ defaults: { retry: { initialInterval: '2s' } } }), call('x.y'), own)).toEqual({
      timeoutMs: 5000,
      heartbeatMs: 1000,
      retry: { maxAttempts: 9, initialIntervalMs: 2000, backoff: 2, maxIntervalMs: 60_000, nonRetryable: [] },
    });
  });

  it('uses only the longest matching prefix, whatever the declaration order; an exact name beats any prefix', () => {
    const activities = {
      'a.*': { retry: { maxAttempts: 2, backoff: 9 } },
      'a.b.*': { retry: { maxAttempts: 3 } },
      'a.b.c.d': { retry: { maxAttempts: 4 } },
    };
    const reversed = Object.fromEntries(Object.entries(activities).reverse());
    for (const patterns of [activities, reversed]) {
      const def = definition({ activities: patterns });
      expect(effectiveOptions(def, call('a.b.c'), undefined).retry.maxAttempts).toBe(3);
      // `a.*` is not a second level: its backoff does not leak in under `a.b.*`.
      expect(effectiveOptions(def, call('a.b.c'), undefined).retry.backoff).toBe(2);
      expect(effectiveOptions(def, call('a.x'), undefined).retry).toMatchObject({ maxAttempts: 2, backoff: 9 });
      expect(effectiveOptions(def, call('a.b.c.d'), undefined).retry.maxAttempts).toBe(4);
    }
  });

  it('matches a prefix only at a dot boundary', () => {
    const patterns = { 'pay.*': { retry: { maxAttempts: 2 } } };
    expect(activityLevels(patterns, 'pay.charge')).toHaveLength(1);
    expect(activityLevels(patterns, 'pay.card.charge')).toHaveLength(1);
    expect(activityLevels(patterns, 'payments.charge')).toEqual([]);
    expect(activityLevels(patterns, 'pay')).toEqual([]);
    expect(activityLevels(undefined, 'pay.charge')).toEqual([]);
  });
});

describe('effective options in a run', () => {
  it('step → exact → longest prefix → defaults, field by field (attempts and pauses show it)', async () => {
    const charge = testActivity('pay.card.charge', { otherwise: fails('Transient') });
    const { record, elapsedMs } = await runWorkflow(
      workflow(
        `
        - id: call
          call: pay.card.charge
          retry: { maxAttempts: 4 }
      `,
        `
        defaults: { retry: { maxAttempts: 20, initialInterval: 9s, maxInterval: 15s } }
        activities:
          pay.*: { retry: { backoff: 10, maxInterval: 5s } }
          pay.card.*: { retry: { initialInterval: 9s, backoff: 3 } }
          pay.card.charge: { retry: { maxAttempts: 10, initialInterval: 2s } }
      `,
      ),
      { activities: [charge] },
    );
    // 4 attempts (step); pauses 2s (exact) ×3 (longest prefix) capped at 15s (defaults; pay.* is not used).
    expect(charge.count).toBe(4);
    expect(stepOf(record, 'call').failedAttempts?.map((f) => f.retryInMs)).toEqual([2000, 6000, 15_000]);
    expect(elapsedMs).toBe(23_000);
  });

  it('the activity’s own defaults apply below the workflow `defaults`', async () => {
    const act = testActivity('t.own', { otherwise: fails('Transient'), defaults: { retry: { maxAttempts: 3, initialInterval: '4s' } } });
    const { record } = await runWorkflow(workflow(`- { id: call, call: t.own }`, `defaults: { retry: { initialInterval: 2s } }`), { activities: [act] });
    expect(act.count).toBe(3);
    expect(stepOf(record, 'call').failedAttempts?.map((f) => f.retryInMs)).toEqual([2000, 4000]);
  });

  it('the activity’s own default timeout applies unless a level above sets one', async () => {
    const slow = testActivity('t.slow', { otherwise: hangs(), defaults: { timeout: '30ms', retry: { maxAttempts: 1 } } });
    const began = performance.now();
    const { outcome } = await runWorkflow(workflow(`- { id: call, call: t.slow }`), { activities: [slow] });
    expect(outcome.error).toMatchObject({ type: 'Timeout', step: 'call' });
    expect(performance.now() - began).toBeLessThan(1000);
    const overridden = testActivity('t.slow', {
      script: [{ kind: 'delay', ms: 80, then: { kind: 'return', value: 'made it' } }],
      defaults: { timeout: '30ms', retry: { maxAttempts: 1 } },
    });
    const second = await runWorkflow(workflow(`- { id: call, call: t.slow, result: r }`, `activities: { t.slow: { timeout: 5s } }`), { activities: [overridden] });
    expect(second.outcome).toEqual({ status: 'completed', output: { r: 'made it' } });
  });
});
