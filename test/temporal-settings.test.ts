/** Where Revo finds Temporal: flags, then the environment the temporal CLI also reads, then the defaults. */
import { describe, expect, it } from 'vitest';
import { temporalSettings } from '../src/temporal/connection.js';

describe('temporalSettings', () => {
  it('defaults to localhost:7233, namespace default, task queue revo, no TLS', () => {
    expect(temporalSettings({}, {})).toEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: 'revo' });
  });

  it('reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and REVO_TASK_QUEUE; flags win', () => {
    const env = { TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_NAMESPACE: 'shop', REVO_TASK_QUEUE: 'orders' };
    expect(temporalSettings({}, env)).toMatchObject({ address: 'temporal.internal:7233', namespace: 'shop', taskQueue: 'orders' });
    expect(temporalSettings({ address: 'other:1', namespace: 'n', taskQueue: 'q' }, env)).toMatchObject({ address: 'other:1', namespace: 'n', taskQueue: 'q' });
  });

  it('turns on TLS for certificates, a CA, an API key or TEMPORAL_TLS=true', () => {
    expect(temporalSettings({ tls: true }, {}).tls).toBe(true);
    expect(temporalSettings({}, { TEMPORAL_TLS: 'true' }).tls).toBe(true);
    expect(temporalSettings({}, { TEMPORAL_API_KEY: 'k' })).toMatchObject({ tls: true, apiKey: 'k' });
    expect(temporalSettings({ tlsCert: 'c.pem', tlsKey: 'k.pem', tlsServerName: 'srv' }, { TEMPORAL_TLS_CA: 'ca.pem' }).tls).toEqual({ cert: 'c.pem', key: 'k.pem', ca: 'ca.pem', serverName: 'srv' });
  });

  it('refuses a client certificate without its key (or the other way round)', () => {
    expect(() => temporalSettings({ tlsCert: 'c.pem' }, {})).toThrow(/both a client certificate and its key/);
    expect(() => temporalSettings({}, { TEMPORAL_TLS_KEY: 'k.pem' })).toThrow(/both/);
  });
});
