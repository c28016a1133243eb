/**
 * A unary gRPC client over node:http2, for the few calls `revo signal` makes
 * (docs/temporal.md#how-revo-signal-talks-to-temporal). It loads in a few milliseconds
 * where @grpc/grpc-js and the SDK take a quarter second. One HTTP/2 session per channel,
 * opened on the first call and again after it closes; TLS and the API key as the SDK's
 * connection takes them (src/temporal/settings.ts). A failure is a GrpcError with the
 * gRPC status code, which is what the rest of Revo reads (TemporalRetry waits out code
 * 14, UNAVAILABLE, as it does for the SDK's errors).
 */
import { connect, constants, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';
import { UsageError } from '../../errors.js';
import type { TemporalSettings } from '../settings.js';
import { readTlsFiles } from '../tls-files.js';

/** The gRPC status codes Revo tells apart (grpc/doc/statuscodes.md). */
export const GRPC = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const CODE_NAMES = Object.fromEntries(Object.entries(GRPC).map(([name, code]) => [code, name])) as Record<number, string>;

/** A call that ended with a gRPC status other than OK; `code` and `details` as @grpc/grpc-js names them. */
export class GrpcError extends Error {
  override name = 'GrpcError';

  constructor(
    readonly code: number,
    readonly details: string,
    options?: { cause?: unknown },
  ) {
    // The words @grpc/grpc-js uses, so a message reads the same through either client.
    super(`${code} ${CODE_NAMES[code] ?? 'UNKNOWN'}: ${details}`, options);
  }
}

/** What an HTTP status without a grpc-status means (grpc/doc/http-grpc-status-mapping.md). */
function codeOfHttpStatus(status: number): number {
  if (status === 400) return GRPC.INTERNAL;
  if (status === 401) return GRPC.UNAUTHENTICATED;
  if (status === 403) return GRPC.PERMISSION_DENIED;
  if (status === 404) return GRPC.UNIMPLEMENTED;
  if (status === 429 || status === 502 || status === 503 || status === 504) return GRPC.UNAVAILABLE;
  return GRPC.UNKNOWN;
}

/** A message in gRPC's length-prefixed framing: not compressed, 4-byte big-endian length. */
export function frame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(5 + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

/** The first message of a response body; a unary call has exactly one. */
export function unframe(body: Buffer): Buffer {
  if (body.length < 5) throw new GrpcError(GRPC.INTERNAL, `the response has no message (${body.length} bytes)`);
  if (body[0] !== 0) throw new GrpcError(GRPC.INTERNAL, 'the response is compressed, which was not asked for');
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new GrpcError(GRPC.INTERNAL, `the response is cut short (${body.length - 5} of ${length} bytes)`);
  return body.subarray(5, 5 + length);
}

export interface ChannelOptions {
  /** Metadata sent with every call (Temporal's `temporal-namespace`, the API key). */
  metadata?: Record<string, string>;
}

export interface CallOptions {
  /** How long the call may take, sent as grpc-timeout and enforced here. */
  deadlineMs: number;
}

/** One connection to a gRPC server, for unary calls. */
export class GrpcChannel {
  private session: ClientHttp2Session | undefined;

  constructor(
    private readonly authority: string,
    private readonly tls: SecureClientSessionOptions | undefined,
    private readonly options: ChannelOptions = {},
  ) {}

  /** A channel to Temporal as `settings` say: TLS, the API key, the namespace header. */
  static forTemporal(settings: TemporalSettings): GrpcChannel {
    const files = settings.tls === undefined ? undefined : readTlsFiles(settings);
    const tls: SecureClientSessionOptions | undefined = files && {
      ...(files.ca && { ca: files.ca }),
      ...(files.cert && { cert: files.cert }),
      ...(files.key && { key: files.key }),
      ...(files.serverName && { servername: files.serverName }),
    };
    return new GrpcChannel(settings.address, tls, {
      metadata: { 'temporal-namespace': settings.namespace, ...(settings.apiKey && { authorization: `Bearer ${settings.apiKey}` }) },
    });
  }

  /** Starts connecting now, so the first call finds the session (or its failure) ready. */
  connect(): void {
    try {
      this.open();
    } catch {
      // Said by the first call.
    }
  }

  private open(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const url = `${this.tls ? 'https' : 'http'}://${this.authority}`;
    let session: ClientHttp2Session;
    try {
      session = connect(url, this.tls ?? {});
    } catch (error) {
      throw new UsageError(`cannot connect to Temporal at ${this.authority}: ${(error as Error).message}`);
    }
    // Errors reach the calls on the session (their streams fail); this only keeps one from being unhandled.
    session.on('error', () => {});
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.once('close', forget);
    session.once('goaway', forget);
    // An idle channel does not hold the process open; a call's deadline timer does while it runs.
    session.unref();
    this.session = session;
    return session;
  }

  /** Sends `request` (an encoded message) to `path` (/package.Service/Method) and resolves with the encoded response. */
  unary(path: string, request: Uint8Array, call: CallOptions): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      let session: ClientHttp2Session;
      try {
        session = this.open();
      } catch (error) {
        reject(error);
        return;
      }
      let settled = false;
      const finish = (error: Error | undefined, value?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value!);
      };
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: path,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': `${Math.max(1, Math.ceil(call.deadlineMs))}m`,
        ...this.options.metadata,
      });
      const timer = setTimeout(() => {
        finish(new GrpcError(GRPC.DEADLINE_EXCEEDED, `no answer within ${call.deadlineMs} ms`));
        stream.close(constants.NGHTTP2_CANCEL);
      }, call.deadlineMs);

      let headers: Record<string, string | string[] | undefined> = {};
      const chunks: Buffer[] = [];
      const statusOf = (from: Record<string, string | string[] | undefined>): GrpcError | 'ok' | undefined => {
        const status = from['grpc-status'];
        if (status === undefined) return undefined;
        const code = Number(status);
        if (code === GRPC.OK) return 'ok';
        const message = from['grpc-message'];
        const details = typeof message === 'string' ? decodeGrpcMessage(message) : '';
        return new GrpcError(Number.isInteger(code) ? code : GRPC.UNKNOWN, details);
      };
      const settle = (trailers: Record<string, string | string[] | undefined>) => {
        // Trailers-only responses (most errors) carry the status in the headers.
        const status = statusOf(trailers) ?? statusOf(headers);
        if (status instanceof GrpcError) return finish(status);
        if (headers[constants.HTTP2_HEADER_STATUS] === undefined) return finish(new GrpcError(GRPC.UNAVAILABLE, 'the connection closed before an answer'));
        const http = Number(headers[constants.HTTP2_HEADER_STATUS]);
        if (http !== 200) return finish(new GrpcError(codeOfHttpStatus(http), `the server answered HTTP ${http}`));
        if (status === undefined) return finish(new GrpcError(GRPC.INTERNAL, 'the response ended without a grpc-status'));
        try {
          finish(undefined, unframe(Buffer.concat(chunks)));
        } catch (error) {
          finish(error as Error);
        }
      };
      let trailersSeen: Record<string, string | string[] | undefined> | undefined;
      stream.on('response', (h) => (headers = h));
      stream.on('trailers', (t) => (trailersSeen = t));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => settle(trailersSeen ?? {}));
      stream.on('error', (error: Error & { code?: string }) => {
        // The connection failed (refused, reset, TLS): what @grpc/grpc-js calls UNAVAILABLE. A
        // stream cancelled because its session failed carries the socket's error as its cause.
        const root = error.code === 'ERR_HTTP2_STREAM_CANCEL' && error.cause instanceof Error ? (error.cause as Error & { code?: string }) : error;
        finish(new GrpcError(GRPC.UNAVAILABLE, root.code && !root.message.includes(root.code) ? `${root.code}: ${root.message}` : root.message, { cause: root }));
      });
      stream.on('close', () => {
        if (settled) return;
        // Closed without an end: a server that went away mid-call.
        if (stream.rstCode !== undefined && stream.rstCode !== constants.NGHTTP2_NO_ERROR) finish(new GrpcError(GRPC.UNAVAILABLE, `the stream was reset (HTTP/2 code ${stream.rstCode})`));
        else settle(trailersSeen ?? {});
      });
      stream.end(frame(request));
    });
  }

  close(): void {
    const session = this.session;
    this.session = undefined;
    session?.close();
  }
}

/** grpc-message is percent-encoded (the gRPC HTTP/2 spec). */
function decodeGrpcMessage(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
