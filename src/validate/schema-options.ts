/** ajv options shared by the run-time validators and the generated one (they must agree). */
export const QUICK_OPTIONS = {
  /** The schema's user-JSON-Schema slots are `type: [object, boolean]`. */
  allowUnionTypes: true,
} as const;

/** For explaining an invalid file: every error, with the schema that raised it. */
export const EXPLAIN_OPTIONS = { ...QUICK_OPTIONS, allErrors: true, verbose: true } as const;
