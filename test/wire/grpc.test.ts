/**
 * The lean gRPC client of `revo signal` (src/temporal/wire/grpc.ts) against a local
 * node:http2 server playing the gRPC side: framing both ways, the headers it sends
 * (content type, te, grpc-timeout, Temporal's namespace and the API key), the status from
 * trailers or from a trailers-only answer, HTTP statuses without one, its deadline, and a
 * server that is not there as UNAVAILABLE, which TemporalRetry waits out.
 */
import { readFileSync } from 'node:fs';
import { createSecureServer, createServer, type Http2SecureServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/temporal/reachable.js';
import { transientTemporalError } from '../../src/temporal/retry-unavailable.js';
import { temporalSettings } from '../../src/temporal/settings.js';
import { frame, GRPC, GrpcChannel, GrpcError, unframe } from '../../src/temporal/wire/grpc.js';
import { decodePayload, encodePayload } from '../../src/temporal/wire/payloads.js';

let server: Http2Server | Http2SecureServer | undefined;
let channel: GrpcChannel | undefined;
afterEach(async () => {
  channel?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server whose every stream `answer` handles, with the request's headers and body. */
async function serve(answer: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer) => void): Promise<string> {
  server = createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => answer(stream, headers, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const call = (address: string, body = Buffer.from('ping'), deadlineMs = 5_000) => {
  channel?.close();
  channel = GrpcChannel.forTemporal(temporalSettings({ address, namespace: 'orders' }, {}));
  return channel.unary('/temporal.api.workflowservice.v1.WorkflowService/DescribeWorkflowExecution', body, { deadlineMs });
};

describe('the gRPC framing', () => {
  it('prefixes a message with its flag byte and 4-byte length, and reads one back', () => {
    const framed = frame(Buffer.from('abc'));
    expect([...framed]).toEqual([0, 0, 0, 0, 3, 97, 98, 99]);
    expect(unframe(framed).toString()).toBe('abc');
    expect(() => unframe(Buffer.from([0, 0, 0, 0, 9, 1]))).toThrow(/cut short/);
    expect(() => unframe(Buffer.from([1, 0, 0, 0, 0]))).toThrow(/compressed/);
  });

  it('writes payloads as the SDK does: json/plain, the JSON text, null as null', () => {
    const payload = encodePayload(null);
    expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('json/plain');
    expect(Buffer.from(payload.data!).toString()).toBe('null');
    expect(decodePayload(encodePayload({ by: 'ann' }))).toEqual({ by: 'ann' });
  });
});

describe('a unary call', () => {
  it('sends the framed request with the gRPC and Temporal headers, and resolves with the message of an OK answer', async () => {
    let seen: { headers: IncomingHttpHeaders; body: Buffer } | undefined;
    const address = await serve((stream, headers, body) => {
      seen = { headers, body };
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame(Buffer.from('pong')));
    });
    expect((await call(address)).toString()).toBe('pong');
    expect(seen!.headers[':path']).toBe('/temporal.api.workflowservice.v1.WorkflowService/DescribeWorkflowExecution');
    expect(seen!.headers['content-type']).toBe('application/grpc');
    expect(seen!.headers.te).toBe('trailers');
    expect(seen!.headers['grpc-timeout']).toBe('5000m');
    expect(seen!.headers['temporal-namespace']).toBe('orders');
    expect(seen!.headers.authorization).toBeUndefined();
    expect(unframe(seen!.body).toString()).toBe('ping');
  });

  it('sends the API key as a bearer token', async () => {
    let authorization: string | undefined;
    const address = await serve((stream, headers) => {
      authorization = headers.authorization;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true });
    });
    // The API key turns TLS on; the channel is built directly here to speak plain HTTP/2 with the test server.
    channel = new GrpcChannel(address, undefined, { metadata: { authorization: 'Bearer k-123' } });
    await channel.unary('/x.Y/Z', Buffer.alloc(0), { deadlineMs: 5_000 }).catch(() => {});
    expect(authorization).toBe('Bearer k-123');
    expect(temporalSettings({ apiKey: 'k-123' }, {}).tls).toBe(true);
  });

  it('reads the status of a trailers-only answer, with its percent-encoded message', async () => {
    const address = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(GRPC.NOT_FOUND), 'grpc-message': encodeURIComponent('workflow not found for ID: x ✓') }, { endStream: true });
    });
    const error = await call(address).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrpcError);
    expect((error as GrpcError).code).toBe(GRPC.NOT_FOUND);
    expect((error as GrpcError).details).toBe('workflow not found for ID: x ✓');
    expect((error as GrpcError).message).toBe('5 NOT_FOUND: workflow not found for ID: x ✓');
    expect(transientTemporalError(error)).toBeUndefined();
  });

  it('reads an error status from the trailers after the headers', async () => {
    const address = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(GRPC.UNAVAILABLE), 'grpc-message': 'shutting down' }));
      stream.end();
    });
    const error = (await call(address).catch((e: unknown) => e)) as GrpcError;
    expect(error.code).toBe(GRPC.UNAVAILABLE);
    expect(transientTemporalError(error)).toBe('unreachable');
  });

  it('maps an HTTP status without a grpc-status as gRPC says (503: UNAVAILABLE, 401: UNAUTHENTICATED)', async () => {
    let status = 503;
    const address = await serve((stream) => {
      stream.respond({ ':status': status }, { endStream: true });
    });
    expect(((await call(address).catch((e: unknown) => e)) as GrpcError).code).toBe(GRPC.UNAVAILABLE);
    status = 401;
    expect(((await call(address).catch((e: unknown) => e)) as GrpcError).code).toBe(GRPC.UNAUTHENTICATED);
  });

  it('a server that drops the connection before answering is UNAVAILABLE, not a protocol error', async () => {
    const address = await serve((stream) => stream.session?.destroy());
    const error = (await call(address).catch((e: unknown) => e)) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(GRPC.UNAVAILABLE);
    expect(transientTemporalError(error)).toBe('unreachable');
  });

  it('gives up at its deadline with DEADLINE_EXCEEDED', async () => {
    const address = await serve(() => {}); // never answers
    const started = Date.now();
    const error = (await call(address, Buffer.from('ping'), 300).catch((e: unknown) => e)) as GrpcError;
    expect(error.code).toBe(GRPC.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(transientTemporalError(error)).toBe('deadline');
  });

  it('a server that is not there is UNAVAILABLE, which TemporalRetry waits out; a channel opens again once it is back', async () => {
    const port = await freePort();
    const error = (await call(`127.0.0.1:${port}`).catch((e: unknown) => e)) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(GRPC.UNAVAILABLE);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(transientTemporalError(error)).toBe('unreachable');

    server = createServer();
    server.on('stream', (stream) => stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true }));
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    // Same channel, new session: an empty OK body is "no message", which the channel says rather than inventing one.
    const again = (await channel!.unary('/x.Y/Z', Buffer.alloc(0), { deadlineMs: 5_000 }).catch((e: unknown) => e)) as GrpcError;
    expect(again.code).toBe(GRPC.INTERNAL);
    expect(again.details).toMatch(/no message/);
  });

  it('speaks TLS with the CA and server name of the settings, and refuses a server whose name does not match', async () => {
    const tls = join(import.meta.dirname, '..', 'fixtures', 'tls');
    server = createSecureServer({ cert: readFileSync(join(tls, 'server.crt')), key: readFileSync(join(tls, 'server.key')) });
    server.on('stream', (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame(Buffer.from('secure')));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ca = join(tls, 'server.crt');

    channel = GrpcChannel.forTemporal(temporalSettings({ address, tlsCa: ca, tlsServerName: 'temporal.test' }, {}));
    expect((await channel.unary('/x.Y/Z', Buffer.alloc(0), { deadlineMs: 5_000 })).toString()).toBe('secure');
    channel.close();

    // Without the server name, 127.0.0.1 is checked against a certificate for temporal.test.
    channel = GrpcChannel.forTemporal(temporalSettings({ address, tlsCa: ca }, {}));
    const error = (await channel.unary('/x.Y/Z', Buffer.alloc(0), { deadlineMs: 5_000 }).catch((e: unknown) => e)) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|altnames/i);
  });

  it('names a certificate file it cannot read', () => {
    expect(() => GrpcChannel.forTemporal(temporalSettings({ address: '127.0.0.1:1', tlsCa: '/no/such/ca.pem' }, {}))).toThrow('cannot read the CA certificate /no/such/ca.pem');
  });
});
