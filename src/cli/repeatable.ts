/** commander's argument parser for an option given several times (`--activities a.ts --activities b.ts`). */
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];
