import { parseDuration } from '../../../interpreter/duration.js';
import { WorkflowError } from '../../../interpreter/errors.js';
import { defineActivity } from '../types.js';

/** DSL.md §4: how HTTP statuses become error types. */
export function errorTypeForStatus(status: number): string | null {
  if (status < 400) return null;
  if (status === 429) return 'RateLimited';
  if (status === 408 || status >= 500) return 'Transient';
  if (status === 401 || status === 403) return 'Unauthorized';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  return 'BadRequest';
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
      query: { type: 'object', description: 'Query parameters added to the URL.' },
      json: { description: 'A JSON body (sets content-type: application/json).' },
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
    const url = new URL(input.url);
    for (const [k, v] of Object.entries(input.query ?? {})) url.searchParams.append(k, String(v));
    const headers: Record<string, string> = { ...(input.headers as Record<string, string> | undefined) };
    let body: string | undefined = input.body;
    if (input.json !== undefined) {
      body = JSON.stringify(input.json);
      headers['content-type'] ??= 'application/json';
    }
    const signals = [context.signal];
    const timeoutMs = input.timeout ? parseDuration(input.timeout) : undefined;
    if (timeoutMs !== undefined) signals.push(AbortSignal.timeout(timeoutMs));
    let response: Response;
    try {
      response = await fetch(url, { method: input.method ?? 'GET', headers, body, signal: AbortSignal.any(signals), redirect: 'follow' });
    } catch (err) {
      const cause = (err as Error).name === 'TimeoutError' ? `timed out after ${input.timeout}` : (err as Error).message;
      throw new WorkflowError('Transient', `${input.method ?? 'GET'} ${url.origin}${url.pathname}: ${cause}`);
    }
    const text = await response.text();
    const type = errorTypeForStatus(response.status);
    if (type) {
      throw new WorkflowError(type, `${input.method ?? 'GET'} ${url.origin}${url.pathname} answered ${response.status} ${response.statusText}`, {
        details: { status: response.status, body: text.slice(0, 2000) },
      });
    }
    const out: { status: number; headers: Record<string, string>; body: string; json?: unknown } = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: text,
    };
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        out.json = JSON.parse(text);
      } catch {
        // A body that claims JSON but is not stays available as text.
      }
    }
    return out as never;
  },
});
