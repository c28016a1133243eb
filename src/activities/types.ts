import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { CallOptions, JsonSchema } from '../../interpreter/model.js';

/** What an activity's code receives besides its input. */
export interface ActivityContext {
  /** Aborted when the attempt times out or the run is cancelled; pass it to fetch() and friends. */
  signal: AbortSignal;
  /** Tells the engine the activity is alive (and records progress details). */
  heartbeat(details?: unknown): void;
  /** 1 for the first attempt. */
  attempt: number;
  /** The activity name and the step that called it. */
  activity: string;
  step: string;
  runId: string;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: unknown): void;
}

/** The part of an activity that validation needs: names, schemas, defaults. No code. */
export interface ActivitySpec {
  name: string;
  description?: string;
  input: JsonSchema;
  output: JsonSchema;
  defaults?: CallOptions;
  /**
   * The task queue whose workers serve the activity (docs/dsl.md#routing): calls go there
   * unless the definition routes them elsewhere. Catalog entries only.
   */
  taskQueue?: string;
  /** Implemented outside Revo (say in Go): only Temporal can run it, on `taskQueue`. Catalog entries only. */
  external?: true;
}

/** A typed activity: its spec plus the code that runs it. */
export interface ActivityDefinition<I = unknown, O = unknown> extends ActivitySpec {
  run(input: I, context: ActivityContext): Promise<O>;
}

/**
 * Declares a typed activity: the TypeScript types of `run`'s input and output follow
 * from the JSON Schemas, so code and schema cannot disagree.
 *
 *   export const charge = defineActivity({
 *     name: 'payments.charge',
 *     input: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } } as const,
 *     output: { type: 'object', properties: { chargeId: { type: 'string' } } } as const,
 *     run: async ({ amount }) => ({ chargeId: `ch_${amount}` }),
 *   });
 */
export function defineActivity<In extends JSONSchema, Out extends JSONSchema, I = FromSchema<In>, O = FromSchema<Out>>(definition: {
  name: string;
  description?: string;
  input: In;
  output: Out;
  defaults?: CallOptions;
  run(input: I, context: ActivityContext): Promise<O>;
}): ActivityDefinition<I, O> {
  // I and O are type parameters with defaults (not FromSchema<…> inline) so TypeScript
  // infers the schemas first and only then derives the types; inline it recurses too deep.
  return definition as unknown as ActivityDefinition<I, O>;
}

/** The activities a definition may call, by name. */
export type Catalog = ReadonlyMap<string, ActivitySpec>;
