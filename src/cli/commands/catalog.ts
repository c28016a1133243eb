import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { write } from '../output.js';
import { repeatable } from '../repeatable.js';

export function catalogCommand(): Command {
  return new Command('catalog')
    .description('Write the JSON catalog (names, schemas, defaults) of activity modules, for `revo validate --catalog` in CI without activity code.')
    .option('--activities <module>', 'a TypeScript or JavaScript module exporting activity definitions (repeatable)', repeatable)
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .option('--builtins', 'include the built-in activities (they are always available, so left out by default)')
    .option(
      '--task-queue <queue>',
      "mark every entry as served on this task queue (where your `revo worker --task-queue` polls): other teams' calls go there (docs/dsl.md#routing)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  revo catalog --activities src/activities.ts -o catalog.json\n  revo validate --catalog catalog.json workflows/\n' +
        '  revo catalog --activities src/payments.ts --task-queue payments -o payments-catalog.json',
    )
    .action(async (options: { activities?: string[]; output?: string; builtins?: boolean; taskQueue?: string }) => {
      if (!options.activities?.length) throw new UsageError('catalog needs at least one --activities <module>');
      const { loadActivityModule, toCatalogFile } = await import('../../activities/catalog.js');
      const { BUILTIN_ACTIVITIES } = await import('../../activities/builtins/index.js');
      const definitions = options.builtins ? [...BUILTIN_ACTIVITIES] : [];
      for (const module of options.activities) definitions.push(...(await loadActivityModule(module)));
      const { taskQueue } = options;
      if (taskQueue !== undefined && !/^\S+$/.test(taskQueue)) throw new UsageError(`--task-queue "${taskQueue}" is not a task queue name (no spaces)`);
      const specs = taskQueue === undefined ? definitions : definitions.map((d) => ({ ...d, taskQueue }));
      const json = `${JSON.stringify(toCatalogFile(specs), null, 2)}\n`;
      if (options.output) await writeFile(options.output, json);
      else await write(process.stdout, json);
    });
}
