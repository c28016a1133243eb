/**
 * Step changes between two versions, matching steps by id: added, removed, moved
 * (to another sequence, or reordered among the steps it shared a sequence with) and
 * changed (the step's own keys — nested steps are compared as steps in their own right).
 */
import type { Json, Step } from '../../interpreter/model.js';
import { stepKind } from '../../interpreter/model.js';
import { sequencesOf, walkSteps, type JsonPath } from '../../interpreter/walk.js';
import { formatPath } from '../validate/schema-messages.js';
import { stepKindLines } from '../graph/step-text.js';
import type { Change } from './model.js';
import { asJson, beforeAfter, valueChanges } from './values.js';

/** A step and where it sits. */
interface PlacedStep {
  step: Step;
  path: JsonPath;
  /** The sequence it is in, as people name it: `top level`, ``branch `payment` of `payAndReserve` ``. */
  sequence: string;
  /** Its position in that sequence, from 0. */
  index: number;
}

export function stepChanges(before: Step[], after: Step[]): Change[] {
  const [was, now] = [placeSteps(before), placeSteps(after)];
  const reordered = reorderedIds(was, now);
  const changes: Change[] = [];
  for (const [id, placed] of now) {
    const old = was.get(id);
    if (old === undefined) changes.push(addedOrRemoved('added', placed));
    else changes.push(...movement(old, placed, reordered.has(id)), ...edits(old, placed));
  }
  for (const [id, old] of was) if (!now.has(id)) changes.push(addedOrRemoved('removed', old));
  return changes;
}

/** Every step by id, in document order, with its place. */
function placeSteps(steps: Step[]): Map<string, PlacedStep> {
  const placed = new Map<string, PlacedStep>();
  const pathOf = new Map<Step, JsonPath>();
  for (const { step, path, enclosing } of walkSteps(steps)) {
    pathOf.set(step, path);
    const parent = enclosing.at(-1)?.step;
    const sequencePath = path.slice(0, -1);
    const sequence = parent === undefined ? 'top level' : sequenceName(parent, sequencePath.slice(pathOf.get(parent)!.length));
    // Duplicate ids are a validation error; the first one stands for the id.
    if (!placed.has(step.id)) placed.set(step.id, { step, path, sequence, index: path.at(-1) as number });
  }
  return placed;
}

/** How people name a nested sequence, from its path inside its parent step: `['parallel', 0, 'steps']` → branch `payment` of `payAndReserve`. */
function sequenceName(parent: Step, relative: JsonPath): string {
  const of = `of \`${parent.id}\``;
  const [key, index] = relative;
  const nth = typeof index === 'number' ? index + 1 : 0;
  switch (key) {
    case 'parallel': {
      const branch = (parent as { parallel: { id: string }[] }).parallel[index as number]!;
      return `branch \`${branch.id}\` ${of}`;
    }
    case 'switch':
      return `case ${nth} ${of}`;
    case 'catch':
      return `catch ${nth} ${of}`;
    case 'steps':
      return `body ${of}`;
    case 'compensate':
      return `compensation ${of}`;
    default:
      // `default`, `try`, `finally`.
      return `${String(key)} ${of}`;
  }
}

/**
 * Steps that stayed in their sequence but changed order relative to the others
 * there: those outside the longest common ordering. Inserting a step before others
 * shifts their positions but moves none of them.
 */
function reorderedIds(was: Map<string, PlacedStep>, now: Map<string, PlacedStep>): Set<string> {
  // Per sequence, the ids that stayed in it, in their new order (`now` is in document order).
  const stayed = new Map<string, string[]>();
  for (const [id, placed] of now) {
    if (was.get(id)?.sequence === placed.sequence) stayed.set(placed.sequence, [...(stayed.get(placed.sequence) ?? []), id]);
  }
  const reordered = new Set<string>();
  for (const newOrder of stayed.values()) {
    const oldOrder = [...newOrder].sort((a, b) => was.get(a)!.index - was.get(b)!.index);
    const kept = new Set(longestCommonSubsequence(oldOrder, newOrder));
    for (const id of newOrder) if (!kept.has(id)) reordered.add(id);
  }
  return reordered;
}

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): string[] {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const common: string[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      common.push(a[i]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return common;
}

function addedOrRemoved(kind: 'added' | 'removed', placed: PlacedStep): Change {
  const { step } = placed;
  const what = `\`${stepKindLines(step)[0]}\``;
  return {
    area: 'step',
    kind,
    path: formatPath(placed.path),
    stepId: step.id,
    ...(kind === 'added' ? { after: asJson(step) } : { before: asJson(step) }),
    breaking: false,
    summary: `step \`${step.id}\` (${what}) ${kind} ${kind === 'added' ? 'to' : 'from'} ${placed.sequence}`,
  };
}

function movement(old: PlacedStep, now: PlacedStep, reordered: boolean): Change[] {
  const where = (p: PlacedStep) => `${p.sequence}, position ${p.index + 1}`;
  if (old.sequence === now.sequence && !reordered) return [];
  const summary =
    old.sequence === now.sequence
      ? `step \`${now.step.id}\` moved within ${now.sequence} (position ${old.index + 1} → ${now.index + 1})`
      : `step \`${now.step.id}\` moved from ${old.sequence} to ${now.sequence}`;
  return [{ area: 'step', kind: 'moved', path: formatPath(now.path), stepId: now.step.id, before: where(old), after: where(now), breaking: false, summary }];
}

/** Changes of a matched step's own keys; a step that changed kind is one change. */
function edits(old: PlacedStep, now: PlacedStep): Change[] {
  const id = now.step.id;
  const [wasKind, nowKind] = [stepKind(old.step), stepKind(now.step)];
  if (wasKind !== nowKind) {
    return [{ area: 'step', kind: 'changed', path: formatPath(now.path), stepId: id, key: 'kind', before: wasKind, after: nowKind, breaking: false, summary: `step \`${id}\` is now a \`${nowKind}\` step (was \`${wasKind}\`)` }];
  }
  return valueChanges(ownContent(old.step), ownContent(now.step)).map((change) => {
    const key = formatPath(change.path);
    return {
      area: 'step',
      kind: change.kind,
      path: formatPath([...now.path, ...change.path]),
      stepId: id,
      key,
      ...beforeAfter(change.before, change.after),
      breaking: false,
      summary: `step \`${id}\`: \`${key}\` ${change.kind}`,
    };
  });
}

/** A step without its nested step lists (compared as steps of their own). */
function ownContent(step: Step): Json {
  const copy = structuredClone(step) as unknown as Record<string, Json>;
  for (const { path } of sequencesOf(step, [])) {
    let holder: Json = copy;
    for (const segment of path.slice(0, -1)) holder = (holder as Record<string | number, Json>)[segment]!;
    delete (holder as Record<string, Json>)[path.at(-1) as string];
  }
  return copy;
}
