/**
 * The `--metrics` address: `host:port`, `[ipv6]:port` or a bare port (then 127.0.0.1,
 * as every Revo server binds by default). Port 0 takes a free one.
 */
import { UsageError } from '../errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListenAddress(text: string, what = '--metrics'): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65_535) {
    throw new UsageError(`${what} "${text}" is not an address to listen on: give host:port (e.g. 127.0.0.1:9464, 0.0.0.0:9464, [::1]:9464) or a port (docs/temporal.md#metrics)`);
  }
  const host = match[1] || match[2] || '127.0.0.1';
  return { host, port };
}

/** `host:port` as a person writes it back (brackets around an IPv6 host). */
export function formatListenAddress({ host, port }: ListenAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
