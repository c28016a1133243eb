import { stepKind, type Step } from './model.js';

/** A path into the definition's JSON: `['steps', 2, 'with', 'amount']`. */
export type JsonPath = readonly (string | number)[];

/** How a nested sequence of steps sits inside its parent step. */
export type Role =
  | 'case' // a switch case or the switch default
  | 'branch' // a parallel branch
  | 'iteration' // a foreach body
  | 'loop' // a while body
  | 'try'
  | 'catch'
  | 'finally'
  | 'compensate';

export interface Sequence {
  steps: Step[];
  path: JsonPath;
  role: Role;
}

export interface Enclosing {
  step: Step;
  role: Role;
}

export interface StepVisit {
  step: Step;
  /** JSON path of the step itself, e.g. `['steps', 1, 'try', 0]`. */
  path: JsonPath;
  /** The steps this one is nested in, outermost first, with how it is nested. */
  enclosing: readonly Enclosing[];
}

/** The nested step sequences of one step, in document order. */
export function sequencesOf(step: Step, path: JsonPath): Sequence[] {
  const s = step as unknown as Record<string, unknown>;
  switch (stepKind(step)) {
    case 'call':
      return s.compensate ? [{ steps: s.compensate as Step[], path: [...path, 'compensate'], role: 'compensate' }] : [];
    case 'switch': {
      const cases = (s.switch as { steps: Step[] }[]).map((c, i) => ({ steps: c.steps, path: [...path, 'switch', i, 'steps'], role: 'case' as const }));
      return s.default ? [...cases, { steps: s.default as Step[], path: [...path, 'default'], role: 'case' }] : cases;
    }
    case 'parallel':
      return (s.parallel as { steps: Step[] }[]).map((b, i) => ({ steps: b.steps, path: [...path, 'parallel', i, 'steps'], role: 'branch' }));
    case 'foreach':
      return [{ steps: s.steps as Step[], path: [...path, 'steps'], role: 'iteration' }];
    case 'while':
      return [{ steps: s.steps as Step[], path: [...path, 'steps'], role: 'loop' }];
    case 'try': {
      const out: Sequence[] = [{ steps: s.try as Step[], path: [...path, 'try'], role: 'try' }];
      ((s.catch as { steps: Step[] }[] | undefined) ?? []).forEach((c, i) => out.push({ steps: c.steps, path: [...path, 'catch', i, 'steps'], role: 'catch' }));
      if (s.finally) out.push({ steps: s.finally as Step[], path: [...path, 'finally'], role: 'finally' });
      return out;
    }
    default:
      return [];
  }
}

/** Every step of a sequence and of everything nested in it, depth first, in document order. */
export function* walkSteps(steps: Step[], path: JsonPath = ['steps'], enclosing: readonly Enclosing[] = []): Generator<StepVisit> {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const stepPath = [...path, i];
    yield { step, path: stepPath, enclosing };
    for (const seq of sequencesOf(step, stepPath)) {
      yield* walkSteps(seq.steps, seq.path, [...enclosing, { step, role: seq.role }]);
    }
  }
}
