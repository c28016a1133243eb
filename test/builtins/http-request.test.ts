import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowError } from '../../interpreter/errors.js';
import { errorTypeForStatus, httpRequest, isJsonContentType } from '../../src/activities/builtins/http-request.js';
import type { ActivityContext } from '../../src/activities/types.js';

type Input = Parameters<typeof httpRequest.run>[0];
type Output = { status: number; headers: Record<string, string>; body: string; json?: unknown };

/** A context as the engine would give one, with a signal the test may abort. */
function fakeContext(signal: AbortSignal = new AbortController().signal): ActivityContext {
  return { signal, heartbeat() {}, attempt: 1, activity: 'http.request', step: 'fetch', runId: 'run-1', log() {} };
}

function request(input: Input, context: ActivityContext = fakeContext()): Promise<Output> {
  return httpRequest.run(input, context) as Promise<Output>;
}

/** The WorkflowError a request fails with (the test fails if it succeeds or throws something else). */
async function failure(input: Input, context?: ActivityContext): Promise<WorkflowError> {
  const error = await request(input, context).then(
    (out) => expect.fail(`expected a failure, got status ${out.status}`),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  return error as WorkflowError;
}

/** What /echo saw. */
interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, contentType: string | undefined, body: string): void {
  if (contentType) res.setHeader('Content-Type', contentType);
  res.writeHead(status);
  res.end(body);
}

let server: Server;
let base: string;
let hanging = 0;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    const status = /^\/status\/(\d{3})$/.exec(url.pathname);
    if (status) {
      const code = Number(status[1]);
      if (code === 302) {
        res.writeHead(302, { Location: '/echo?from=redirect' });
        res.end();
      } else if (code === 204 || code === 304) {
        res.writeHead(code);
        res.end();
      } else {
        send(res, code, 'text/plain', `answer ${code}`);
      }
      return;
    }
    switch (url.pathname) {
      case '/echo': {
        const seen: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        res.setHeader('X-Custom-Thing', 'custom value');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        send(res, 200, 'application/json', JSON.stringify(seen));
        return;
      }
      case '/json':
        return send(res, 200, 'application/json', '{"ok":true,"n":[1,2]}');
      case '/json-charset':
        return send(res, 200, 'application/json; charset=utf-8', '{"name":"é"}');
      case '/problem':
        return send(res, 200, 'application/problem+json', '{"title":"fine"}');
      case '/json-null':
        return send(res, 200, 'application/json', 'null');
      case '/bad-json':
        return send(res, 200, 'application/json', '{not json');
      case '/empty-json':
        return send(res, 200, 'application/json', '');
      case '/text-json':
        return send(res, 200, 'text/plain', '{"looks":"like json"}');
      case '/html':
        return send(res, 200, 'text/html; charset=utf-8', '<p>hi</p>');
      case '/ndjson':
        return send(res, 200, 'application/x-ndjson', '{"a":1}');
      case '/big-error':
        return send(res, 500, 'text/plain', 'x'.repeat(5000));
      case '/json-error':
        return send(res, 422, 'application/problem+json', '{"title":"invalid amount"}');
      case '/hang':
        hanging++;
        return; // never answers
      case '/reset':
        req.socket.destroy();
        return;
      case '/slow-body':
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
        res.write('partial'); // and never the rest
        return;
      case '/reset-mid-body':
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      default:
        send(res, 404, 'text/plain', 'no route');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('http.request statuses (docs/dsl.md#activities)', () => {
  const successes: [number, number][] = [
    [200, 200],
    [201, 201],
    [202, 202],
    [204, 204],
    [302, 200], // redirect followed
    [304, 304],
  ];
  it.each(successes)('%i succeeds (final status %i)', async (status, finalStatus) => {
    const out = await request({ url: `${base}/status/${status}` });
    expect(out.status).toBe(finalStatus);
  });

  it('follows a redirect to its target', async () => {
    const out = await request({ url: `${base}/status/302` });
    expect(out.status).toBe(200);
    expect((out.json as Seen).url).toBe('/echo?from=redirect');
  });

  it('gives an empty body and no json for 204', async () => {
    const out = await request({ url: `${base}/status/204`, method: 'DELETE' });
    expect(out).toEqual({ status: 204, headers: expect.any(Object), body: '' });
    expect('json' in out).toBe(false);
  });

  const failures: [number, string][] = [
    [400, 'BadRequest'],
    [401, 'Unauthorized'],
    [403, 'Unauthorized'],
    [404, 'NotFound'],
    [405, 'BadRequest'],
    [408, 'Transient'],
    [409, 'Conflict'],
    [410, 'BadRequest'],
    [418, 'BadRequest'],
    [422, 'BadRequest'],
    [429, 'RateLimited'],
    [451, 'BadRequest'],
    [500, 'Transient'],
    [502, 'Transient'],
    [503, 'Transient'],
    [504, 'Transient'],
  ];
  it.each(failures)('%i raises %s', async (status, type) => {
    const error = await failure({ url: `${base}/status/${status}`, method: 'post', body: 'x' });
    expect(error.type).toBe(type);
    expect(error.message).toContain(`POST ${base}/status/${status}`);
    expect(error.message).toContain(String(status));
    expect(error.details).toEqual({ status, body: `answer ${status}` });
  });

  it('matches errorTypeForStatus for every status', () => {
    for (const [status, type] of failures) expect(errorTypeForStatus(status)).toBe(type);
    for (const status of [100, 200, 204, 299, 301, 302, 304, 399]) expect(errorTypeForStatus(status)).toBeNull();
    expect(errorTypeForStatus(499)).toBe('BadRequest');
    expect(errorTypeForStatus(599)).toBe('Transient');
  });

  it('sends URL credentials as Basic auth', async () => {
    const url = new URL(`${base}/echo`);
    url.username = 'user';
    url.password = 'p@ss';
    const seen = (await request({ url: url.href })).json as Seen;
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    const explicit = (await request({ url: url.href, headers: { Authorization: 'Bearer t' } })).json as Seen;
    expect(explicit.headers.authorization).toBe('Bearer t');
  });

  it('leaves the query string (and credentials) out of error messages', async () => {
    const url = new URL(`${base}/status/404?token=s3cret`);
    url.username = 'user';
    url.password = 'hunter2';
    const error = await failure({ url: url.href, query: { api_key: 'k3y' } });
    expect(error.message).toBe(`GET ${base}/status/404 answered 404 Not Found`);
    expect(JSON.stringify(error)).not.toMatch(/s3cret|k3y|hunter2/);
  });

  it('truncates a long error body in details', async () => {
    const error = await failure({ url: `${base}/big-error` });
    expect(error.type).toBe('Transient');
    const details = error.details as { status: number; body: string; truncated?: boolean };
    expect(details.status).toBe(500);
    expect(details.body).toBe('x'.repeat(2000));
    expect(details.truncated).toBe(true);
  });

  it('keeps a JSON error body as text in details', async () => {
    const error = await failure({ url: `${base}/json-error` });
    expect(error.type).toBe('BadRequest');
    expect(error.details).toEqual({ status: 422, body: '{"title":"invalid amount"}' });
  });

  it('does not mark HTTP errors non-retryable itself (the DSL rules decide)', async () => {
    expect((await failure({ url: `${base}/status/503` })).nonRetryable).toBe(false);
    expect(httpRequest.defaults).toBeUndefined();
  });
});

describe('http.request requests', () => {
  it('defaults to GET and sends no body', async () => {
    const out = await request({ url: `${base}/echo` });
    const seen = out.json as Seen;
    expect(seen.method).toBe('GET');
    expect(seen.body).toBe('');
  });

  it('upper-cases the method', async () => {
    for (const method of ['post', 'patch', 'Put', 'delete']) {
      const seen = (await request({ url: `${base}/echo`, method })).json as Seen;
      expect(seen.method).toBe(method.toUpperCase());
    }
  });

  it('appends query parameters: values stringified, arrays repeated, null left out', async () => {
    const out = await request({
      url: `${base}/echo?existing=1`,
      query: { q: 'a b&c', n: 42, flag: true, tags: ['x', 'y', 3], skip: null, empty: '' },
    });
    const seen = new URL((out.json as Seen).url, base);
    expect(seen.searchParams.getAll('existing')).toEqual(['1']);
    expect(seen.searchParams.get('q')).toBe('a b&c');
    expect(seen.searchParams.get('n')).toBe('42');
    expect(seen.searchParams.get('flag')).toBe('true');
    expect(seen.searchParams.getAll('tags')).toEqual(['x', 'y', '3']);
    expect(seen.searchParams.has('skip')).toBe(false);
    expect(seen.searchParams.get('empty')).toBe('');
  });

  it('sends headers', async () => {
    const seen = (await request({ url: `${base}/echo`, headers: { 'X-Request-Id': 'abc', Authorization: 'Bearer t' } })).json as Seen;
    expect(seen.headers['x-request-id']).toBe('abc');
    expect(seen.headers.authorization).toBe('Bearer t');
  });

  it('serializes `json` with content-type application/json', async () => {
    const payload = { amount: 12.5, items: [{ sku: 'a' }], note: null };
    const seen = (await request({ url: `${base}/echo`, method: 'POST', json: payload })).json as Seen;
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual(payload);
  });

  it('sends a `json` of null, false or 0 as JSON too', async () => {
    for (const json of [null, false, 0, 'text']) {
      const seen = (await request({ url: `${base}/echo`, method: 'PUT', json })).json as Seen;
      expect(seen.body).toBe(JSON.stringify(json));
      expect(seen.headers['content-type']).toBe('application/json');
    }
  });

  it('keeps a given content-type header with `json`, whatever its case', async () => {
    const seen = (await request({ url: `${base}/echo`, method: 'POST', headers: { 'Content-Type': 'application/vnd.api+json' }, json: { a: 1 } })).json as Seen;
    expect(seen.headers['content-type']).toBe('application/vnd.api+json');
    expect(seen.body).toBe('{"a":1}');
  });

  it('sends a raw `body` as given', async () => {
    const seen = (await request({ url: `${base}/echo`, method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2' })).json as Seen;
    expect(seen.body).toBe('a,b\n1,2');
    expect(seen.headers['content-type']).toBe('text/csv');
  });

  it('returns response headers as an object with lower-case names', async () => {
    const out = await request({ url: `${base}/echo` });
    expect(out.headers['x-custom-thing']).toBe('custom value');
    expect(out.headers['content-type']).toBe('application/json');
    expect(out.headers['set-cookie']).toBe('a=1, b=2');
    for (const name of Object.keys(out.headers)) expect(name).toBe(name.toLowerCase());
    for (const value of Object.values(out.headers)) expect(typeof value).toBe('string');
  });

  it('returns a plain, JSON-serializable object', async () => {
    const out = await request({ url: `${base}/json` });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });
});

describe('http.request JSON responses', () => {
  it.each([
    ['/json', { ok: true, n: [1, 2] }],
    ['/json-charset', { name: 'é' }],
    ['/problem', { title: 'fine' }],
    ['/json-null', null],
  ])('parses %s into `json` and keeps the text in `body`', async (path, json) => {
    const out = await request({ url: `${base}${path}` });
    expect('json' in out).toBe(true);
    expect(out.json).toEqual(json);
    expect(out.body).toBe(JSON.stringify(json));
  });

  it.each([
    ['/bad-json', '{not json'],
    ['/empty-json', ''],
    ['/text-json', '{"looks":"like json"}'],
    ['/html', '<p>hi</p>'],
    ['/ndjson', '{"a":1}'],
  ])('gives %s as text only', async (path, body) => {
    const out = await request({ url: `${base}${path}` });
    expect(out.body).toBe(body);
    expect('json' in out).toBe(false);
  });

  it('recognizes JSON content types', () => {
    for (const type of ['application/json', 'APPLICATION/JSON', 'application/json; charset=utf-8', 'application/problem+json', 'application/vnd.api+json;charset=UTF-8', 'text/json']) {
      expect(isJsonContentType(type), type).toBe(true);
    }
    for (const type of [null, undefined, '', 'text/plain', 'application/x-ndjson', 'application/jsonl', 'application/json-seq', 'text/html; profile=json']) {
      expect(isJsonContentType(type), String(type)).toBe(false);
    }
  });
});

describe('http.request timeouts, aborts and network failures', () => {
  it('aborts after `timeout` with Transient', async () => {
    const before = hanging;
    const started = Date.now();
    const error = await failure({ url: `${base}/hang?secret=1`, timeout: '200ms' });
    const elapsed = Date.now() - started;
    expect(hanging).toBe(before + 1);
    expect(error.type).toBe('Transient');
    expect(error.message).toBe(`GET ${base}/hang timed out after 200ms`);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(800);
  });

  it('times out a response whose body never ends', async () => {
    const started = Date.now();
    const error = await failure({ url: `${base}/slow-body`, timeout: '200ms' });
    expect(error.type).toBe('Transient');
    expect(error.message).toBe(`GET ${base}/slow-body timed out after 200ms`);
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('rethrows the engine’s WorkflowError when context.signal aborts', async () => {
    const controller = new AbortController();
    const reason = new WorkflowError('Timeout', 'attempt timed out after 1s');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const error = await failure({ url: `${base}/hang`, timeout: '10s' }, fakeContext(controller.signal));
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('rethrows a Cancelled reason given before the request starts', async () => {
    const controller = new AbortController();
    const reason = new WorkflowError('Cancelled', 'run cancelled');
    controller.abort(reason);
    const error = await failure({ url: `${base}/echo` }, fakeContext(controller.signal));
    expect(error).toBe(reason);
  });

  it('gives Transient when context.signal aborts with another reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure({ url: `${base}/hang` }, fakeContext(controller.signal));
    expect(error.type).toBe('Transient');
    expect(error.message).toContain(`GET ${base}/hang was aborted`);
  });

  it('does not leave the abort listener on the engine’s signal', async () => {
    const controller = new AbortController();
    const signal = controller.signal;
    let added = 0;
    let removed = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (removed++, remove(...args))) as typeof remove;
    await request({ url: `${base}/json` }, fakeContext(signal));
    await failure({ url: `${base}/status/500` }, fakeContext(signal));
    expect(added).toBe(2);
    expect(removed).toBe(2);
  });

  it('gives Transient for a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure({ url: `http://127.0.0.1:${port}/x?token=secret` });
    expect(error.type).toBe('Transient');
    expect(error.message).toContain(`GET http://127.0.0.1:${port}/x failed:`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('secret');
    expect(error.details).toEqual({ code: 'ECONNREFUSED' });
  });

  it('gives Transient for a connection reset before the response', async () => {
    const error = await failure({ url: `${base}/reset` });
    expect(error.type).toBe('Transient');
    expect(error.message).toContain(`GET ${base}/reset failed:`);
  });

  it('gives Transient for a connection reset in the middle of the body', async () => {
    const error = await failure({ url: `${base}/reset-mid-body` });
    expect(error.type).toBe('Transient');
    expect(error.message).toContain(`GET ${base}/reset-mid-body`);
  });

  it('gives Transient for a host that does not resolve', async () => {
    // `.invalid` never resolves (RFC 2606); without DNS at all the timeout gives Transient too.
    const error = await failure({ url: 'http://revo-test.invalid/', timeout: '5s' });
    expect(error.type).toBe('Transient');
    expect(error.message).toMatch(/^GET http:\/\/revo-test\.invalid\/ /);
  });
});

describe('http.request input that cannot make a request', () => {
  it.each([
    [{ url: 'not a url' }, /not an absolute URL/],
    [{ url: 'ftp://example.com/file' }, /must be http or https/],
    [{ url: 'file:///etc/passwd' }, /must be http or https/],
    [{ url: 'http://example.com/', body: 'x' }, /GET request cannot have a body/],
    [{ url: 'http://example.com/', method: 'head', json: {} }, /HEAD request cannot have a body/],
    [{ url: 'http://example.com/', method: 'POST', json: {}, body: 'x' }, /either `json` or `body`/],
    [{ url: 'http://example.com/', method: 'NOT A METHOD' }, /cannot make the request/],
    [{ url: 'http://example.com/', headers: { 'bad header': 'x' } }, /bad header/],
    [{ url: 'http://example.com/', timeout: 'soon' }, /not a duration/],
  ] as [Input, RegExp][])('refuses %j with a non-retryable InvalidInput', async (input, message) => {
    const error = await failure(input);
    expect(error.type).toBe('InvalidInput');
    expect(error.nonRetryable).toBe(true);
    expect(error.message).toMatch(message);
  });
});
