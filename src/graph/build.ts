/**
 * Builds the flowchart of a (schema-valid) definition. Each step becomes one node,
 * entered from whatever came before it; a step hands back its "exits", the loose ends
 * that the next step (or the end of the run) connects to. Containers wire their nested
 * sequences in between: a switch fans out to its cases, a parallel step forks and
 * joins, loops lead back to their header, try blocks fan in to `finally`.
 */
import type { CallStep, ForeachStep, ParallelStep, Step, SwitchStep, TryStep, WhileStep, WorkflowDefinition } from '../../interpreter/model.js';
import { stepKind } from '../../interpreter/model.js';
import type { Role } from '../../interpreter/walk.js';
import { truncate } from '../text.js';
import { expressionText } from './expression-text.js';
import { stepKindLines } from './step-text.js';
import type { EdgeKind, Graph, GraphNode, NodeKind } from './model.js';

/** A loose end: control leaves `from` here and goes to whatever is connected next. */
interface Exit {
  from: string;
  kind: EdgeKind;
  label?: string;
}

export function buildGraph(definition: WorkflowDefinition): Graph {
  const builder = new GraphBuilder(definition.name);
  builder.connect(builder.sequence(definition.steps, [flowFrom(builder.start)]), builder.end);
  return builder.graph;
}

const flowFrom = (from: string, label?: string): Exit => ({ from, kind: 'flow', label });

class GraphBuilder {
  readonly graph: Graph;
  readonly start: string;
  /** The node every `return` and the last step lead to. */
  readonly end: string;
  private currentCluster: string | undefined;
  private clustersCreated = 0;

  constructor(name: string) {
    this.graph = { name, nodes: [], edges: [], clusters: [] };
    this.start = this.node('start', [name]);
    this.end = this.node('end', ['end']);
  }

  node(kind: NodeKind, lines: string[], stepId?: string): string {
    const id = `n${this.graph.nodes.length}`;
    const node: GraphNode = { id, kind, lines };
    if (stepId !== undefined) node.stepId = stepId;
    if (this.currentCluster !== undefined) node.cluster = this.currentCluster;
    this.graph.nodes.push(node);
    return id;
  }

  connect(exits: readonly Exit[], to: string): void {
    for (const exit of exits) this.graph.edges.push({ from: exit.from, to, kind: exit.kind, ...(exit.label !== undefined && { label: exit.label }) });
  }

  /** Runs `draw` with new nodes placed in a new cluster; a cluster left empty is dropped. */
  inCluster<T>(role: Role, label: string, draw: () => T): T {
    const id = `c${this.clustersCreated++}`;
    const parent = this.currentCluster;
    this.graph.clusters.push({ id, role, label, ...(parent !== undefined && { parent }) });
    const nodesBefore = this.graph.nodes.length;
    this.currentCluster = id;
    try {
      return draw();
    } finally {
      this.currentCluster = parent;
      if (this.graph.nodes.length === nodesBefore) this.graph.clusters = this.graph.clusters.filter((c) => c.id !== id);
    }
  }

  /** Draws steps one after the other; returns the loose ends after the last one. */
  sequence(steps: readonly Step[], incoming: readonly Exit[]): Exit[] {
    let exits = [...incoming];
    for (const step of steps) exits = this.step(step, exits);
    return exits;
  }

  private step(step: Step, incoming: readonly Exit[]): Exit[] {
    const entry = this.node(stepKind(step), stepLines(step), step.id);
    this.connect(incoming, entry);
    const exits = this.body(step, entry);
    if (step.when !== undefined) exits.push({ from: entry, kind: 'skip', label: 'skip' });
    return exits;
  }

  /** What follows a step's own node, by kind; returns the step's loose ends. */
  private body(step: Step, entry: string): Exit[] {
    switch (stepKind(step)) {
      case 'call':
        return this.call(step as CallStep, entry);
      case 'switch':
        return this.switchCases(step as SwitchStep, entry);
      case 'parallel':
        return this.parallel(step as ParallelStep, entry);
      case 'foreach': {
        const s = step as ForeachStep;
        return this.loop(entry, s.steps, 'iteration', `for each ${s.as ?? 'item'}`, `each ${s.as ?? 'item'}`);
      }
      case 'while':
        return this.loop(entry, (step as WhileStep).steps, 'loop', 'loop body', 'true');
      case 'try':
        return this.tryCatch(step as TryStep, entry);
      case 'return':
        this.connect([flowFrom(entry)], this.end);
        return [];
      case 'fail':
        // The run (or the enclosing try) ends here: nothing follows.
        return [];
      default:
        return [flowFrom(entry)];
    }
  }

  private call(step: CallStep, entry: string): Exit[] {
    if (step.compensate?.length) {
      // Compensations run later, when the run fails; their loose ends lead nowhere.
      this.inCluster('compensate', `compensation of ${step.id}`, () =>
        this.sequence(step.compensate!, [{ from: entry, kind: 'compensate', label: 'on failure' }]),
      );
    }
    return [flowFrom(entry)];
  }

  private switchCases(step: SwitchStep, entry: string): Exit[] {
    const exits = step.switch.flatMap((c) => this.sequence(c.steps, [flowFrom(entry, expressionText(c.when))]));
    if (step.default) exits.push(...this.sequence(step.default, [flowFrom(entry, 'default')]));
    else exits.push(flowFrom(entry, 'no match'));
    return exits;
  }

  private parallel(step: ParallelStep, entry: string): Exit[] {
    const ends = step.parallel.flatMap((branch) => this.inCluster('branch', `branch ${branch.id}`, () => this.sequence(branch.steps, [flowFrom(entry)])));
    const join = this.node('join', ['join']);
    this.connect(ends, join);
    return [flowFrom(join)];
  }

  /** A loop: the header leads into the body, the body back to the header, and the header on when done. */
  private loop(header: string, body: readonly Step[], role: Role, clusterLabel: string, enterLabel: string): Exit[] {
    const ends = this.inCluster(role, clusterLabel, () => this.sequence(body, [flowFrom(header, enterLabel)]));
    for (const end of ends) this.connect([{ from: end.from, kind: end.kind === 'flow' ? 'loop' : end.kind, label: end.label ?? 'next' }], header);
    return [flowFrom(header, 'done')];
  }

  private tryCatch(step: TryStep, entry: string): Exit[] {
    const ends = this.inCluster('try', 'try', () => this.sequence(step.try, [flowFrom(entry)]));
    for (const clause of step.catch ?? []) {
      const caught = clause.errors?.length ? clause.errors.join(', ') : 'any error';
      ends.push(...this.inCluster('catch', `catch ${caught}`, () => this.sequence(clause.steps, [{ from: entry, kind: 'error', label: `on ${caught}` }])));
    }
    return step.finally ? this.inCluster('finally', 'finally', () => this.sequence(step.finally!, ends)) : ends;
  }
}

/** The label of a step's node: its id, what it does, its display name and its guard. */
function stepLines(step: Step): string[] {
  const lines = [step.id, ...stepKindLines(step)];
  if (step.name !== undefined) lines.push(truncate(step.name, 60));
  if (step.when !== undefined) lines.push(`when ${expressionText(step.when)}`);
  return lines;
}
