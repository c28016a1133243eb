import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';
import { repeatable } from '../repeatable.js';

interface TestOptions {
  format: 'text' | 'junit';
  output?: string;
  activities?: string[];
  case?: string;
  passWithNoTests?: boolean;
}

export function testCommand(): Command {
  return new Command('test')
    .description('Run workflow tests (*.test.yaml) on the local engine with a virtual clock.')
    .argument('[paths...]', 'test files, workflow files (their .test.yaml beside them), directories (searched recursively) or globs', ['.'])
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'junit']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout (e.g. junit.xml)')
    .option('--activities <module>', 'activity module for unmocked calls, for every test file (repeatable)', repeatable)
    .option('-t, --case <text>', 'run only the cases whose name contains this text')
    .option('--pass-with-no-tests', 'exit 0 when the paths hold no test (for hooks given changed files)')
    .addHelpText(
      'after',
      `
A test file names a workflow and lists cases: an input, mocked activities, signals
to send (at a virtual time, or when the workflow waits for them) and what the run
must do (status, output, error, steps, attempts, compensations, calls, logs). Sleeps
and timeouts cost no real time. Calls no mock covers run the real activities: the
test file's \`activities\`, else activities/index.ts beside the workflow, or --activities.
The format is in docs/testing.md; schema/workflow-test.schema.json gives editor help.

Exit codes: ${EXIT_CODES.ok} every case passed; ${EXIT_CODES.failed} a case failed; ${EXIT_CODES.usage} a test file or workflow that cannot run, or bad flags.

Examples:
  revo test                                   # every *.test.yaml under the current directory
  revo test definitions/order-fulfilment.test.yaml --case refund
  revo test workflows/ --format junit --output junit.xml`,
    )
    .action(async (paths: string[], options: TestOptions) => {
      const [{ testFiles }, { runTests }, { formatFileResult, formatSummary }, { formatJunit }, { totals }, { writeFile }] = await Promise.all([
        import('../../testing/discover.js'),
        import('../../testing/runner.js'),
        import('../../testing/reporters/text.js'),
        import('../../testing/reporters/junit.js'),
        import('../../testing/report.js'),
        import('node:fs/promises'),
      ]);
      const files = await testFiles(paths);
      if (files.length === 0) {
        if (options.passWithNoTests) return;
        throw new UsageError(`no workflow tests (*.test.yaml) in ${paths.join(', ')}`);
      }
      const junit = options.format === 'junit';
      // The text report streams to the terminal file by file, also next to a JUnit file (CI logs stay readable).
      const streamText = options.output === undefined ? !junit : junit;
      const color = streamText && useColor(process.stdout);
      const report = await runTests(files, {
        ...(options.activities && { activities: options.activities }),
        ...(options.case !== undefined && { casesNamed: options.case }),
        ...(streamText && { onFile: (result) => write(process.stdout, formatFileResult(result, color)) }),
      });
      if (streamText) await write(process.stdout, formatSummary(report, color));
      const document = junit ? formatJunit(report) : report.files.map((f) => formatFileResult(f, false)).join('') + formatSummary(report, false);
      if (options.output !== undefined) {
        await writeFile(options.output, document).catch((error: Error) => {
          throw new UsageError(`cannot write ${options.output}: ${error.message}`);
        });
      } else if (junit) await write(process.stdout, document);
      const { failed, broken } = totals(report);
      process.exitCode = broken > 0 ? EXIT_CODES.usage : failed > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
    });
}
