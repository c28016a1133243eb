/** Talking to the `revo ui` server: JSON requests (changes carry the session's token) and its event streams. */
import { useEffect, useState } from 'preact/hooks';
import { TOKEN_HEADER, type ErrorReply } from '../protocol.js';

const token = document.querySelector('meta[name="revo-token"]')?.getAttribute('content') ?? '';

export class RequestError extends Error {}

/** A change: POST with the token; a refusal throws RequestError with the server's words. */
export async function post<T>(path: string, body: object = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token }, body: JSON.stringify(body) });
  } catch {
    throw new RequestError('the revo ui server does not answer (is it still running?)');
  }
  const reply = (await response.json().catch(() => ({}))) as T & Partial<ErrorReply>;
  if (!response.ok) throw new RequestError(reply.error ?? `the server answered ${response.status}`);
  return reply;
}

export type Stream<T> = { value?: T; error?: string; ended: boolean };

/**
 * The latest `event` of the server-sent event stream at `path` (none while `path` is
 * undefined); reopened when `path` changes. An `end` event closes it for good.
 */
export function useStream<T>(path: string | undefined, event: string): Stream<T> {
  const [state, setState] = useState<Stream<T>>({ ended: false });
  useEffect(() => {
    setState({ ended: false });
    if (path === undefined) return;
    const source = new EventSource(path);
    source.addEventListener(event, (message) => setState({ value: JSON.parse((message as MessageEvent<string>).data) as T, ended: false }));
    source.addEventListener('end', () => {
      source.close();
      setState((s) => ({ ...s, ended: true }));
    });
    source.addEventListener('error', () => {
      // A refused stream (a bad filter, an unknown run) says why at the same path.
      if (source.readyState !== EventSource.CLOSED) return;
      fetch(path.replace(/\/stream(?=\?|$)/, ''))
        .then((r) => r.json() as Promise<Partial<ErrorReply>>)
        .then((reply) => setState((s) => ({ ...s, error: reply.error ?? 'the stream stopped' })))
        .catch(() => setState((s) => ({ ...s, error: 'the revo ui server does not answer (is it still running?)' })));
    });
    return () => source.close();
  }, [path, event]);
  return state;
}

/** Goes to another page of the app without reloading it. */
export function navigate(href: string): void {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
}
