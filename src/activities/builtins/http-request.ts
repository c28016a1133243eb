import { parseDuration } from '../../../interpreter/duration.js';
import { WorkflowError } from '../../../interpreter/errors.js';
import { defineActivity } from '../types.js';

/** docs/dsl.md#activities: how HTTP statuses become error types; null for a success (2xx/3xx). */
export function errorTypeForStatus(status: number): string | null {
  if (status < 400) return null;
  if (status === 429) return 'RateLimited';
  if (status === 408 || status >= 500) return 'Transient';
  if (status === 401 || status === 403) return 'Unauthorized';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  return 'BadRequest';
}

/** How much of an error response's body goes into the error's details. */
export const ERROR_BODY_LIMIT = 2000;

/** `application/json`, `text/json`, `application/problem+json`, … with or without parameters. */
export function isJsonContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.-]+\/(?:[a-z0-9!#$&^_.+-]+\+)?json$/.test(mediaType);
}

/** The value of a query parameter as text: strings as they are, anything else as JSON (`1`, `true`, `{"a":1}`). */
function queryValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Adds `query` to the URL: arrays repeat the parameter, null and undefined values are left out. */
function appendQuery(url: URL, query: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) continue;
      url.searchParams.append(name, queryValue(item));
    }
  }
}

/** Response headers as a plain object with lower-case names; repeated ones (set-cookie) joined with `, `. */
function headersObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  });
  return out;
}

function invalidInput(message: string): WorkflowError {
  return new WorkflowError('InvalidInput', `http.request: ${message}`, { nonRetryable: true });
}

/** The deepest `cause` of a fetch failure ("fetch failed" → "connect ECONNREFUSED 127.0.0.1:80"). */
function rootCause(err: unknown): { message: string; code?: string } {
  let current: unknown = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const error = current as { message?: unknown; code?: unknown };
  return {
    message: typeof error?.message === 'string' && error.message !== '' ? error.message : String(current),
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
  };
}

export const httpRequest = defineActivity({
  name: 'http.request',
  description: 'Makes an HTTP request; 2xx/3xx succeed, other statuses raise typed errors.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', description: 'Absolute http(s) URL.' },
      method: { type: 'string', description: 'HTTP method (default GET).' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers.' },
      query: { type: 'object', description: 'Query parameters added to the URL; an array repeats the parameter.' },
      json: { description: 'A JSON body (sets content-type: application/json unless a content-type header is given).' },
      body: { type: 'string', description: 'A raw text body.' },
      timeout: { type: 'string', pattern: '^([0-9]+(ms|s|m|h|d))+$', description: 'Request timeout, e.g. 10s.' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['status', 'headers', 'body'],
    properties: {
      status: { type: 'integer' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      body: { type: 'string' },
      json: {},
    },
  } as const,
  async run(input, context) {
    // Input the schema lets through but no request can be made from: fail without retry.
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw invalidInput(`\`url\` is not an absolute URL: ${JSON.stringify(input.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput(`\`url\` must be http or https, not ${url.protocol}`);
    const method = (input.method ?? 'GET').toUpperCase();
    if (input.query !== undefined) appendQuery(url, input.query as Record<string, unknown>);
    // Errors name the request without its query string (it may carry secrets) or credentials.
    const target = `${method} ${url.origin}${url.pathname}`;

    const headers = new Headers();
    try {
      for (const [name, value] of Object.entries((input.headers ?? {}) as Record<string, string>)) headers.set(name, value);
    } catch (err) {
      throw invalidInput(`bad header: ${(err as Error).message}`);
    }
    // fetch refuses URLs with credentials: send them as Basic auth (like curl) unless `authorization` is given.
    if (url.username !== '' || url.password !== '') {
      if (!headers.has('authorization')) {
        const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
        headers.set('authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`);
      }
      url.username = '';
      url.password = '';
    }
    if (input.json !== undefined && input.body !== undefined) throw invalidInput('give either `json` or `body`, not both');
    let body: string | undefined = input.body;
    if (input.json !== undefined) {
      body = JSON.stringify(input.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) throw invalidInput(`a ${method} request cannot have a body`);

    let timeoutMs: number | undefined;
    if (input.timeout !== undefined) {
      timeoutMs = parseDuration(input.timeout);
      if (timeoutMs === undefined) throw invalidInput(`\`timeout\` is not a duration: ${JSON.stringify(input.timeout)}`);
    }

    let request: Request;
    const controller = new AbortController();
    try {
      request = new Request(url, { method, headers, body, redirect: 'follow', signal: controller.signal });
    } catch (err) {
      throw invalidInput(`cannot make the request ${target}: ${(err as Error).message.replaceAll(url.href, `${url.origin}${url.pathname}`)}`);
    }

    // One signal aborts the request: the engine's (attempt timeout, cancellation) or our own timeout.
    const onAbort = () => controller.abort(context.signal.reason);
    if (context.signal.aborted) onAbort();
    else context.signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`timed out after ${input.timeout}`, 'TimeoutError'));
    }, timeoutMs);

    const aborted = (): WorkflowError => {
      if (context.signal.aborted) {
        const reason: unknown = context.signal.reason;
        if (reason instanceof WorkflowError) return reason;
        return new WorkflowError('Transient', `${target} was aborted${reason instanceof Error ? `: ${reason.message}` : ''}`);
      }
      return new WorkflowError('Transient', `${target} timed out after ${input.timeout}`, { details: { timeout: input.timeout } });
    };

    let response: Response;
    let text: string;
    try {
      try {
        response = await fetch(request);
      } catch (err) {
        if (context.signal.aborted || timedOut) throw aborted();
        const cause = rootCause(err);
        throw new WorkflowError('Transient', `${target} failed: ${cause.message}`, { details: cause.code ? { code: cause.code } : null });
      }
      try {
        text = await response.text();
      } catch (err) {
        if (context.signal.aborted || timedOut) throw aborted();
        const cause = rootCause(err);
        throw new WorkflowError('Transient', `${target}: reading the response failed: ${cause.message}`, {
          details: { status: response.status, ...(cause.code ? { code: cause.code } : {}) },
        });
      }
    } finally {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
    }

    const type = errorTypeForStatus(response.status);
    if (type) {
      const statusText = response.statusText ? ` ${response.statusText}` : '';
      throw new WorkflowError(type, `${target} answered ${response.status}${statusText}`, {
        details: {
          status: response.status,
          body: text.length > ERROR_BODY_LIMIT ? text.slice(0, ERROR_BODY_LIMIT) : text,
          ...(text.length > ERROR_BODY_LIMIT ? { truncated: true } : {}),
        },
      });
    }

    const out: { status: number; headers: Record<string, string>; body: string; json?: unknown } = {
      status: response.status,
      headers: headersObject(response.headers),
      body: text,
    };
    if (isJsonContentType(response.headers.get('content-type')) && text.trim() !== '') {
      try {
        out.json = JSON.parse(text);
      } catch {
        // A body that claims to be JSON but is not stays available as text.
      }
    }
    return out as never;
  },
});
