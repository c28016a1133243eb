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
    .addHelpText('after', '\nExample:\n  revo catalog --activities src/activities.ts -o catalog.json\n  revo validate --catalog catalog.json workflows/')
    .action(async (options: { activities?: string[]; output?: string; builtins?: boolean }) => {
      if (!options.activities?.length) throw new UsageError('catalog needs at least one --activities <module>');
      const { loadActivityModule, toCatalogFile } = await import('../../activities/catalog.js');
      const { BUILTIN_ACTIVITIES } = await import('../../activities/builtins/index.js');
      const definitions = options.builtins ? [...BUILTIN_ACTIVITIES] : [];
      for (const module of options.activities) definitions.push(...(await loadActivityModule(module)));
      const json = `${JSON.stringify(toCatalogFile(definitions), null, 2)}\n`;
      if (options.output) await writeFile(options.output, json);
      else await write(process.stdout, json);
    });
}
