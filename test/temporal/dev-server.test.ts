import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporalCli } from './harness.js';

const execFileAsync = promisify(execFile);
const address = inject('temporalAddress');
const cli = temporalCli();

describe('the shared Temporal dev server', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('answers the SDK client and has the default namespace', async () => {
    const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(namespaceInfo?.name).toBe('default');
  });

  // Tests drive runs with `temporal workflow signal …` etc. through this binary.
  it('answers the temporal CLI', async () => {
    const { stdout } = await execFileAsync(cli, [
      ...['operator', 'namespace', 'describe', '--namespace', 'default'],
      ...['--address', address, '--output', 'json'],
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ namespaceInfo: { name: 'default' } });
  });
});
