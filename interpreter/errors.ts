/** Error types of docs/dsl.md#errors-timeouts-and-retries. Activities and `fail` steps may raise others. */
export const ERROR_TYPES = [
  'InvalidInput', 'InvalidOutput', 'ExpressionError', 'Timeout', 'Transient', 'RateLimited',
  'BadRequest', 'Unauthorized', 'NotFound', 'Conflict', 'LoopLimitExceeded', 'Cancelled', 'ActivityError',
] as const;

/** Types that never retry, whatever the policy says. */
export const NEVER_RETRY: ReadonlySet<string> = new Set([
  'InvalidInput', 'InvalidOutput', 'ExpressionError', 'BadRequest', 'Unauthorized', 'NotFound',
  'Conflict', 'LoopLimitExceeded', 'Cancelled',
]);

/** An error with a DSL type. Activities throw it to choose how the engine reacts. */
export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';
  readonly type: string;
  readonly details: unknown;
  /** Marked by the thrower: never retry this one. */
  readonly nonRetryable: boolean;
  step: string | undefined;
  attempt: number | undefined;

  constructor(type: string, message: string, options: { details?: unknown; nonRetryable?: boolean; step?: string; attempt?: number } = {}) {
    super(message);
    this.type = type;
    this.details = options.details ?? null;
    this.nonRetryable = options.nonRetryable ?? false;
    this.step = options.step;
    this.attempt = options.attempt;
  }
}
