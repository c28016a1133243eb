/** The pieces of src/telemetry/ that need no worker: the --metrics address, the metrics text, the endpoint's routes. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseListenAddress } from '../../src/telemetry/address.js';
import { RevoMetrics } from '../../src/telemetry/metrics.js';
import { startTelemetryServer } from '../../src/telemetry/server.js';

describe('parseListenAddress', () => {
  it('takes host:port, [ipv6]:port and a bare port (loopback)', () => {
    expect(parseListenAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('metrics.internal:0')).toEqual({ host: 'metrics.internal', port: 0 });
  });

  it('refuses anything else, saying what to give', () => {
    for (const bad of ['', 'localhost', 'localhost:', 'host:port', '1.2.3.4:65536', '::1:9464', 'a:b:1']) {
      expect(() => parseListenAddress(bad), bad).toThrow(UsageError);
    }
    expect(() => parseListenAddress('x:y')).toThrow('--metrics "x:y" is not an address to listen on: give host:port (e.g. 127.0.0.1:9464');
  });
});

describe('RevoMetrics', () => {
  it('writes counters and histograms in Prometheus text, labels escaped', () => {
    const metrics = new RevoMetrics();
    metrics.record({ type: 'step', outcome: 'completed', workflow: 'say "hi"', kind: 'call', activity: 'a.b', attempts: 3, seconds: 0.2 });
    metrics.record({ type: 'step', outcome: 'completed', workflow: 'say "hi"', kind: 'call', activity: 'a.b', attempts: 1, seconds: 7 });
    metrics.record({ type: 'step', outcome: 'failed', workflow: 'w', kind: 'sleep', activity: '' });
    const text = metrics.text();
    expect(text).toContain('# TYPE revo_steps_completed_total counter\nrevo_steps_completed_total{workflow="say \\"hi\\"",kind="call",activity="a.b"} 2\n');
    expect(text).toContain('revo_steps_failed_total{workflow="w",kind="sleep",activity=""} 1\n');
    expect(text).toContain('revo_activity_attempts_total{workflow="say \\"hi\\"",activity="a.b"} 4\n');
    expect(text).toContain('revo_step_duration_seconds_bucket{workflow="say \\"hi\\"",kind="call",le="0.25"} 1\n');
    expect(text).toContain('revo_step_duration_seconds_bucket{workflow="say \\"hi\\"",kind="call",le="10"} 2\n');
    expect(text).toContain('revo_step_duration_seconds_bucket{workflow="say \\"hi\\"",kind="call",le="+Inf"} 2\n');
    expect(text).toContain('revo_step_duration_seconds_sum{workflow="say \\"hi\\"",kind="call"} 7.2\n');
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('the telemetry endpoint', () => {
  it('serves /healthz, /readyz by the readiness it is given, /metrics, and 404 elsewhere', async () => {
    let ready = false;
    const server = await startTelemetryServer({ address: { host: '127.0.0.1', port: 0 }, readiness: () => ({ ready, state: ready ? 'RUNNING' : 'DRAINING' }), metrics: async () => 'm 1\n' });
    try {
      const get = async (path: string) => {
        const response = await fetch(`http://${server.address}${path}`);
        return [response.status, await response.text()];
      };
      expect(await get('/healthz')).toEqual([200, 'ok\n']);
      expect(await get('/readyz')).toEqual([503, 'DRAINING\n']);
      ready = true;
      expect(await get('/readyz')).toEqual([200, 'RUNNING\n']);
      expect(await get('/metrics')).toEqual([200, 'm 1\n']);
      expect((await get('/other'))[0]).toBe(404);
    } finally {
      await server.close();
    }
  });
});
