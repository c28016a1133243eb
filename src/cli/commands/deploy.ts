import { Command } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import type { DeployOutcome } from '../../temporal/schedules.js';
import { useColor } from '../output.js';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import { addTemporalOptions } from '../temporal-options.js';

interface DeployOptions extends TemporalFlags {
  activities?: string[];
  catalog?: string[];
  dryRun?: boolean;
}

const DRY_RUN_WORDS: Record<DeployOutcome, string> = { created: 'would create', updated: 'would update', unchanged: 'unchanged' };

export function deployCommand(): Command {
  const command = new Command('deploy')
    .description("Create or update a Temporal Schedule for every workflow file with a `schedule:`.")
    .argument('[paths...]', 'files, directories (searched for *.yaml workflows) or globs; default: the workflow files in the current directory')
    .option('--activities <module>', 'a TypeScript or JavaScript module exporting activity definitions, to validate against (repeatable)', repeatable)
    .option('--catalog <file>', 'a JSON activity catalog (from `revo catalog`) to validate against (repeatable)', repeatable)
    .option('-n, --dry-run', 'validate and compare with Temporal, but change nothing');
  return addTemporalOptions(command, { waitsOutRestarts: false }).addHelpText(
    'after',
    `
Each schedule has the id revo-<workflow name>. Its runs start the revo workflow on the
task queue with the definition by value (editing the file later changes nothing until
you deploy again) and schedule.input as input; their workflow ids start with the
workflow name. A schedule that exists is updated when the definition, its input, the
cron/every or the task queue changed; its pause state and policies are kept.
Every file is validated first: one invalid file, or a schedule.input the workflow's
input schema refuses, and nothing is deployed. Files without schedule: are skipped.
Runs only start while a worker polls the task queue (\`revo worker\`, or \`revo dev\`).

Activities: --activities/--catalog, else a catalog.json beside the files, else the
activities/index.ts beside each workflow file.

Exit codes: ${EXIT_CODES.ok} deployed (or nothing to do); ${EXIT_CODES.failed} a file is invalid, nothing deployed; ${EXIT_CODES.usage} bad flags or paths, Temporal unreachable.

Examples:
  revo deploy definitions/
  revo deploy nightly-report.yaml --dry-run
  revo deploy 'workflows/**/*.yaml' --address temporal.internal:7233 --namespace prod --task-queue billing
  revo deploy workflows/ --address my-ns.a1b2c.tmprl.cloud:7233 --namespace my-ns.a1b2c --api-key "$TEMPORAL_API_KEY"`,
  ).action(async (paths: string[], options: DeployOptions) => {
    const [{ deployFiles, deployCatalog, planDeploy }, { temporalSettings, connectClient }, { deploySchedule, describeSchedule, scheduleIdOf }, { hasWorkers }] = await Promise.all([
      import('../../temporal/deploy-plan.js'),
      import('../../temporal/connection.js'),
      import('../../temporal/schedules.js'),
      import('../../temporal/client.js'),
    ]);
    const settings = temporalSettings(options);
    const files = await deployFiles(paths);
    const plan = await planDeploy(files, await deployCatalog(files, options), settings, useColor(process.stderr));
    if (plan.problems.length > 0) {
      process.stderr.write(`${plan.problems.join('\n\n')}\n\nrevo: nothing was deployed.\n`);
      process.exitCode = EXIT_CODES.failed;
      return;
    }
    const rows: string[][] = [];
    const outcomes: DeployOutcome[] = [];
    if (plan.scheduled.length > 0) {
      const client = await connectClient(settings);
      try {
        for (const { file, desired } of plan.scheduled) {
          const outcome = await deploySchedule(client, desired, { dryRun: options.dryRun === true });
          outcomes.push(outcome);
          rows.push([options.dryRun ? DRY_RUN_WORDS[outcome] : outcome, desired.scheduleId, desired.when, file]);
        }
        const leftOver: string[] = [];
        for (const { file, workflow } of plan.skipped) {
          // A schedule left from an earlier deploy keeps starting runs: say so rather than delete it unasked.
          const id = scheduleIdOf(workflow);
          if (await describeSchedule(client, id)) leftOver.push(id);
          rows.push(['skipped', workflow, leftOver.includes(id) ? `no schedule:, but ${id} exists` : 'no schedule:', file]);
        }
        process.stdout.write(`${columns(rows)}\n${summary(outcomes, plan.skipped.length, settings, options.dryRun === true)}\n`);
        if (!options.dryRun && !(await hasWorkers(client, settings.taskQueue))) {
          process.stdout.write(`note: no worker polls task queue ${settings.taskQueue} yet; scheduled runs wait until one does (\`revo worker\` or \`revo dev\`).\n`);
        }
        for (const id of leftOver) process.stdout.write(`note: ${id} still starts runs; \`temporal schedule delete --schedule-id ${id}\` removes it.\n`);
      } finally {
        await client.connection.close();
      }
      return;
    }
    for (const { file, workflow } of plan.skipped) rows.push(['skipped', workflow, 'no schedule:', file]);
    process.stdout.write(`${columns(rows)}\nno workflow has a schedule:; nothing to deploy.\n`);
  });
}

function summary(outcomes: DeployOutcome[], skipped: number, settings: { address: string; namespace: string; taskQueue: string }, dryRun: boolean): string {
  const count = (o: DeployOutcome): number => outcomes.filter((x) => x === o).length;
  const parts = (['created', 'updated', 'unchanged'] as const).filter((o) => count(o) > 0).map((o) => `${count(o)} ${dryRun ? DRY_RUN_WORDS[o] : o}`);
  const where = `${settings.address}, namespace ${settings.namespace}, task queue ${settings.taskQueue}`;
  const skippedText = skipped > 0 ? `; ${skipped} skipped (no schedule:)` : '';
  return `${outcomes.length} schedule${outcomes.length === 1 ? '' : 's'} (${where}): ${parts.join(', ')}${skippedText}${dryRun ? '; dry run, nothing changed' : ''}`;
}

/** Left-aligned columns, two spaces apart; the last column (the file) is not padded. */
function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}
