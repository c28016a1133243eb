/**
 * Who may talk to the `revo ui` server. Every request must name the server itself in
 * its Host header, so a page on another site that re-points its own name at 127.0.0.1
 * (DNS rebinding) reads nothing. Every mutation must also carry the session's token,
 * which only the page the server served holds (no other site can read it), and come
 * from the server's own origin when the browser says where it comes from.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER } from './protocol.js';

export interface Guard {
  readonly token: string;
  /** Why the request is refused (403), or undefined when it may go on. */
  refusal(request: IncomingMessage, mutation: boolean): string | undefined;
}

/** `host` is what the server binds; `port` the port it got. */
export function guardFor(host: string, port: number, token: string = randomBytes(24).toString('base64url')): Guard {
  const anyHost = host === '0.0.0.0' || host === '::';
  const names = new Set([host, ...(loopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [])].map((name) => `${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${port}`.toLowerCase()));
  const expected = Buffer.from(token);
  return {
    token,
    refusal(request, mutation) {
      const hostHeader = (request.headers.host ?? '').toLowerCase();
      if (!anyHost && !names.has(hostHeader)) return `this server answers to ${[...names].join(' or ')} only, not to Host "${hostHeader}"`;
      if (!mutation) return undefined;
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `http://${hostHeader}`) return `a change must come from the page this server served, not from ${origin}`;
      const given = request.headers[TOKEN_HEADER];
      const sent = Buffer.from(typeof given === 'string' ? given : '');
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return `a change needs this session's token in the ${TOKEN_HEADER} header (the page revo ui serves sends it)`;
      return undefined;
    },
  };
}

export function loopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}
