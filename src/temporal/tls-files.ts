/**
 * The certificate files of a TLS connection to Temporal, read once; the SDK's connection
 * (connection.ts) and the lean client of `revo signal` (wire/) both take them from here.
 * No SDK import.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { TemporalSettings } from './settings.js';

export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  serverName?: string;
}

/** The files `settings.tls` names, read; `{}` for `tls: true` (the system's CAs). A file that cannot be read is a UsageError naming it. */
export function readTlsFiles(settings: TemporalSettings): TlsFiles {
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UsageError(`cannot read the ${what} ${path}: ${(err as Error).message}`);
    }
  };
  const { tls } = settings;
  if (typeof tls !== 'object') return {};
  return {
    ...(tls.serverName && { serverName: tls.serverName }),
    ...(tls.ca && { ca: read(tls.ca, 'CA certificate') }),
    ...(tls.cert && tls.key && { cert: read(tls.cert, 'client certificate'), key: read(tls.key, 'client key') }),
  };
}
