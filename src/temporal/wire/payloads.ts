/**
 * Values as Temporal payloads, exactly as the SDK's default data converter writes them
 * (its JsonPayloadConverter): `encoding: json/plain` and the JSON text. `null` is the JSON
 * `null` too (only `undefined` gets the SDK's binary/null, and a signal payload is never
 * undefined here), so a workflow sees the same value whichever client sent it.
 */
import type { Json } from '../../../interpreter/model.js';

export interface Payload {
  metadata?: Record<string, Uint8Array>;
  data?: Uint8Array;
}

const JSON_PLAIN = 'json/plain';

export function encodePayload(value: Json): Payload {
  return { metadata: { encoding: Buffer.from(JSON_PLAIN) }, data: Buffer.from(JSON.stringify(value)) };
}

/** A json/plain payload's value; what the SDK's converters would refuse is refused here too. */
export function decodePayload(payload: Payload): Json | undefined {
  const encoding = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString() : undefined;
  if (encoding === 'binary/null') return undefined;
  if (encoding !== JSON_PLAIN) throw new Error(`a payload encoded as ${encoding ?? '(no encoding)'}, where json/plain was expected`);
  return JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString()) as Json;
}
