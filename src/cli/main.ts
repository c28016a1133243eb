import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { PACKAGE_ROOT } from '../paths.js';
import { UsageError, ValidationError } from '../errors.js';
import { cancelCommand } from './commands/cancel.js';
import { catalogCommand } from './commands/catalog.js';
import { deployCommand } from './commands/deploy.js';
import { devCommand } from './commands/dev.js';
import { diffCommand } from './commands/diff.js';
import { graphCommand } from './commands/graph.js';
import { historyCommand } from './commands/history.js';
import { queryCommand } from './commands/query.js';
import { replayCommand } from './commands/replay.js';
import { rerunCommand } from './commands/rerun.js';
import { resultCommand } from './commands/result.js';
import { resumeCommand } from './commands/resume.js';
import { runCommand } from './commands/run.js';
import { runsCommand } from './commands/runs.js';
import { schemaCommand } from './commands/schema.js';
import { signalCommand } from './commands/signal.js';
import { startCommand } from './commands/start.js';
import { testCommand } from './commands/test.js';
import { uiCommand } from './commands/ui.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import { EXIT_CODES as EXIT } from './exit-codes.js';
import { installTracing, shutdownTracing, tracingRequested } from '../telemetry/tracing.js';

export function buildProgram(): Command {
  const program = new Command('revo')
    .description('Declarative YAML workflows: validate them in CI, run them locally or on Temporal.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [validateCommand(), runCommand(), resumeCommand(), signalCommand(), queryCommand(), cancelCommand(), historyCommand(), runsCommand(), replayCommand(), rerunCommand(), startCommand(), resultCommand(), workerCommand(), schemaCommand(), catalogCommand(), graphCommand(), diffCommand(), testCommand(), devCommand(), deployCommand(), uiCommand()]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

// `revo … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// stderr is progress and notices: when it cannot be written (a full disk under `2> log`, a closed pipe), they are lost, the run is not.
process.stderr.on('error', () => {});

async function main(argv: string[]): Promise<number> {
  // OTEL_* set: runs, steps and activities are traced (docs/temporal.md#tracing), and what is buffered is exported before exit.
  if (tracingRequested()) await installTracing();
  try {
    return await runProgram(argv);
  } finally {
    await shutdownTracing().catch((error: Error) => process.stderr.write(`revo: could not export the last traces: ${error.message}\n`));
  }
}

async function runProgram(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander refuses is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof ValidationError) {
      const [{ validationReport }, { useColor }] = await Promise.all([import('../validate/format/validation-report.js'), import('./output.js')]);
      process.stderr.write(`revo: ${err.file} is not a valid workflow; nothing was run.\n${validationReport(err, useColor(process.stderr))}\n`);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`revo: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`revo: internal error: ${(err as Error)?.stack ?? String(err)}\nThis is a bug in Revo; please report it with the command you ran.\n`);
    return EXIT.usage;
  }
}

process.exitCode = await main(process.argv);
