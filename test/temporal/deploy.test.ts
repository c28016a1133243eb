/**
 * `revo deploy` against the shared dev server: schedules created, left alone, updated,
 * seen by the real `temporal` CLI; nothing deployed when a file is invalid.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporalCli as requiredCli } from './harness.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { specOf } from '../../src/activities/catalog.js';
import { planDeploy } from '../../src/temporal/deploy-plan.js';
import type { RevoWorkflowInput } from '../../src/sandboxed/workflow/contract.js';
import { connectClient, temporalSettings } from '../../src/temporal/connection.js';
import { deploySchedule, describeSchedule, scheduleSpec } from '../../src/temporal/schedules.js';

const execFileAsync = promisify(execFile);
const address = inject('temporalAddress');
const temporalCli = requiredCli();
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const catalog = new Map(BUILTIN_ACTIVITIES.map((d) => [d.name, specOf(d)]));

/** Names unique to this run: the dev server is shared by every test file. */
const unique = (stem: string): string => `${stem}-${randomBytes(3).toString('hex')}`;

function scheduledYaml(name: string, schedule: string): string {
  return `revo: 1
name: ${name}
input:
  type: object
  required: [region]
  properties: { region: { type: string } }
schedule: ${schedule}
steps:
  - { id: report, call: core.echo, with: { region: { var: input.region } }, result: report }
`;
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'revo-deploy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function scheduleIds(): Promise<string[]> {
  const { stdout } = await execFileAsync(temporalCli, ['schedule', 'list', '--address', address, '--output', 'json']);
  return (JSON.parse(stdout || '[]') as { scheduleId: string }[]).map((s) => s.scheduleId);
}

function revo(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('schedule: as a Temporal schedule spec', () => {
  it('maps cron to a cron expression and every to an interval in ms', () => {
    expect(scheduleSpec({ cron: ' 0 3 * * * ' })).toEqual({ cronExpressions: ['0 3 * * *'] });
    expect(scheduleSpec({ cron: 'CRON_TZ=Europe/Paris @daily' })).toEqual({ cronExpressions: ['CRON_TZ=Europe/Paris @daily'] });
    expect(scheduleSpec({ every: '1h30m' })).toEqual({ intervals: [{ every: 5_400_000 }] });
  });

  it('refuses an interval Temporal would round to whole seconds', () => {
    expect(() => scheduleSpec({ every: '500ms' })).toThrow(/whole number of seconds/);
    expect(() => scheduleSpec({ every: '1s500ms' })).toThrow(/whole number of seconds/);
  });
});

describe('revo deploy', () => {
  const settings = temporalSettings({ address }, {});
  let client: Client;
  beforeAll(async () => {
    client = await connectClient(settings);
  });
  afterAll(async () => {
    await client?.connection.close();
  });

  it('creates a schedule the temporal CLI lists, then leaves it alone or updates it', async () => {
    const name = unique('hourly-report');
    const dir = workspace({ 'report.yaml': scheduledYaml(name, '{ every: 1h, input: { region: eu } }') });
    const deploy = async (): Promise<string> => {
      const plan = await planDeploy([join(dir, 'report.yaml')], catalog, settings);
      expect(plan.problems).toEqual([]);
      return deploySchedule(client, plan.scheduled[0]!.desired);
    };

    expect(await deploy()).toBe('created');
    expect(await scheduleIds()).toContain(`revo-${name}`);
    const created = (await describeSchedule(client, `revo-${name}`))!;
    expect(created.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
    expect(created.action).toMatchObject({ workflowType: 'revo', taskQueue: 'revo', workflowId: name, memo: { workflow: name, schedule: 'every 1h' } });
    const argument = created.action.args![0] as RevoWorkflowInput;
    expect(argument.input).toEqual({ region: 'eu' });
    expect(argument.trigger).toEqual({ by: 'schedule', input: { region: 'eu' } });
    expect(argument.bundle.definition.name).toBe(name);

    expect(await deploy()).toBe('unchanged');

    writeFileSync(join(dir, 'report.yaml'), scheduledYaml(name, '{ cron: "0 3 * * *", input: { region: us } }'));
    expect(await deploy()).toBe('updated');
    const updated = (await describeSchedule(client, `revo-${name}`))!;
    expect(updated.spec.calendars).toHaveLength(1);
    expect(updated.spec.intervals).toEqual([]);
    expect((updated.action.args![0] as RevoWorkflowInput).input).toEqual({ region: 'us' });
  });

  it('through the CLI: one line per schedule, skipped files listed, --dry-run changes nothing', () => {
    const scheduled = unique('nightly');
    const plain = unique('on-demand');
    const dir = workspace({
      'nightly.yaml': scheduledYaml(scheduled, '{ cron: "0 3 * * *", input: { region: apac } }'),
      'on-demand.yaml': `revo: 1\nname: ${plain}\nsteps:\n  - { id: hello, call: core.log, with: { message: hi } }\n`,
    });

    const dry = revo(['deploy', '--dry-run', '--address', address], dir);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^would create +revo-${scheduled} +cron 0 3 \\* \\* \\* +nightly\\.yaml$`, 'm'));
    expect(dry.stdout).toMatch(new RegExp(`^skipped +${plain} +no schedule: +on-demand\\.yaml$`, 'm'));
    expect(dry.stdout).toContain('dry run, nothing changed');

    const first = revo(['deploy', '.', '--address', address], dir);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^created +revo-${scheduled} `, 'm'));
    expect(first.stdout).toContain('1 schedule (');

    const again = revo(['deploy', 'nightly.yaml', '--address', address], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^unchanged +revo-${scheduled} `, 'm'));
  });

  it('through the CLI: an invalid file or a refused schedule input deploys nothing and exits 1', async () => {
    const good = unique('good');
    const badInput = unique('bad-input');
    const dir = workspace({
      'good.yaml': scheduledYaml(good, '{ every: 1d, input: { region: eu } }'),
      'bad-input.yaml': scheduledYaml(badInput, '{ every: 1d, input: { region: 7 } }'),
      'broken.yaml': `revo: 1\nname: ${unique('broken')}\nsteps:\n  - { id: x, call: core.ech }\n`,
    });
    const result = revo(['deploy', '.', '--address', address], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/broken\.yaml:4:\d+: error: .*core\.ech/);
    expect(result.stderr).toMatch(/bad-input\.yaml/);
    expect(result.stderr).toContain('nothing was deployed');
    expect(await describeSchedule(client, `revo-${good}`)).toBeUndefined();
  });

  it('through the CLI: an unreachable server is a usage error without a stack trace', () => {
    const dir = workspace({ 'a.yaml': scheduledYaml(unique('a'), '{ every: 1h, input: { region: eu } }') });
    const result = revo(['deploy', '--address', '127.0.0.1:1'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^revo: cannot reach Temporal at 127\.0\.0\.1:1/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
