/**
 * Revo's own worker metrics (docs/temporal.md#metrics), counted from the facts of
 * src/sandboxed/telemetry.ts and written in Prometheus text format. One registry per
 * process: every worker of the process counts into it, `/metrics` writes it.
 */
import type { MetricFact } from '../sandboxed/telemetry.js';

type Labels = Record<string, string>;

const key = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escape(value)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string) {}

  add(labels: Labels, by = 1): void {
    const k = key(labels);
    const entry = this.values.get(k) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(k, entry);
  }

  text(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

class Histogram {
  private readonly values = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, private readonly bounds: number[]) {}

  observe(labels: Labels, value: number): void {
    const k = key(labels);
    const entry = this.values.get(k) ?? { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.bounds.forEach((bound, i) => {
      if (value <= bound) entry.buckets[i]!++;
    });
    entry.sum += value;
    entry.count++;
    this.values.set(k, entry);
  }

  text(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, buckets, sum, count } of this.values.values()) {
      this.bounds.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${buckets[i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`, `${this.name}_sum${labelText(labels)} ${sum}`, `${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export class RevoMetrics {
  private readonly stepsCompleted = new Counter('revo_steps_completed_total', 'Steps completed, by workflow, step kind and activity (empty for steps that call none).');
  private readonly stepsFailed = new Counter('revo_steps_failed_total', 'Steps failed, by workflow, step kind and activity.');
  private readonly attempts = new Counter('revo_activity_attempts_total', "Activity attempts of the steps that ended, by workflow and activity (retries included).");
  private readonly stepSeconds = new Histogram('revo_step_duration_seconds', 'Time from a step starting to its end, by workflow and step kind.', DURATION_BUCKETS);
  private readonly compensations = new Counter('revo_compensations_total', 'Compensations run, by workflow and outcome (completed, failed).');
  private readonly handovers = new Counter('revo_handovers_total', 'Runs handed over from the local engine, by workflow, from and to.');
  private readonly runs = new Counter('revo_runs_finished_total', 'Runs that ended, by workflow and outcome (completed, failed, cancelled).');

  record(fact: MetricFact): void {
    switch (fact.type) {
      case 'step': {
        const labels = { workflow: fact.workflow, kind: fact.kind, activity: fact.activity };
        (fact.outcome === 'completed' ? this.stepsCompleted : this.stepsFailed).add(labels);
        if (fact.activity && fact.attempts !== undefined) this.attempts.add({ workflow: fact.workflow, activity: fact.activity }, fact.attempts);
        if (fact.seconds !== undefined) this.stepSeconds.observe({ workflow: fact.workflow, kind: fact.kind }, fact.seconds);
        return;
      }
      case 'compensation':
        return this.compensations.add({ workflow: fact.workflow, outcome: fact.outcome });
      case 'handover':
        return this.handovers.add({ workflow: fact.workflow, from: fact.from, to: fact.to });
      case 'run':
        return this.runs.add({ workflow: fact.workflow, outcome: fact.outcome });
    }
  }

  text(): string {
    return [this.stepsCompleted, this.stepsFailed, this.attempts, this.stepSeconds, this.compensations, this.handovers, this.runs].map((m) => m.text()).join('\n') + '\n';
  }
}

/** The process's registry. */
export const revoMetrics = new RevoMetrics();
