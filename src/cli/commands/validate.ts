import { Command, Option } from 'commander';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';
import { repeatable } from '../repeatable.js';

interface ValidateOptions {
  format: 'text' | 'json' | 'github' | 'sarif';
  catalog?: string[];
  activities?: string[];
  strict?: boolean;
}

export function validateCommand(): Command {
  return new Command('validate')
    .description('Check workflow files against the DSL schema and semantic rules.')
    .argument('[paths...]', 'files, directories (searched for *.yaml workflows) or globs', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'github', 'sarif']).default('text'))
    .option('--catalog <file>', 'a JSON activity catalog (from `revo catalog`) to check calls against (repeatable)', repeatable)
    .option('--activities <module>', 'a TypeScript or JavaScript module exporting activity definitions (repeatable)', repeatable)
    .option('--strict', 'fail on warnings too')
    .addHelpText(
      'after',
      `
Activities: calls are checked against the built-ins, plus --activities/--catalog; without
either, a catalog.json written by \`revo catalog\` beside the workflow files is used.

Exit codes: ${EXIT_CODES.ok} valid; ${EXIT_CODES.failed} errors (or warnings with --strict); ${EXIT_CODES.usage} usage error or unreadable input.

Examples:
  revo validate definitions/
  revo validate 'workflows/**/*.yaml' --catalog catalog.json --format github
  revo validate order.yaml --activities src/activities.ts --strict`,
    )
    .action(async (paths: string[], options: ValidateOptions) => {
      const [{ validateFiles }, { RULES }, { FORMATS }, { countBySeverity }] = await Promise.all([
        import('../../api/validate.js'),
        import('../../validate/rules.js'),
        import('../../validate/format/index.js'),
        import('../../validate/diagnostic.js'),
      ]);
      const { diagnostics, sources, filesChecked } = await validateFiles(paths, {
        ...(options.catalog && { catalog: options.catalog }),
        ...(options.activities && { activities: options.activities }),
      });
      const output = FORMATS[options.format](diagnostics, {
        sources,
        color: useColor(process.stdout),
        rules: RULES,
        filesChecked,
      });
      await write(process.stdout, output);
      const counts = countBySeverity(diagnostics);
      process.exitCode = counts.error > 0 || (options.strict && counts.warning > 0) ? EXIT_CODES.failed : EXIT_CODES.ok;
    });
}
