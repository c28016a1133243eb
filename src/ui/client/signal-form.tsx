/**
 * The Signal form: one field per property of the signal's JSON Schema (text, number,
 * yes/no, a choice for an enum, JSON for anything else; the whole payload as JSON when
 * the schema is not an object of properties). Before anything is sent the server checks
 * the payload exactly as the run will (src/sandboxed/signals.ts), and a payload the run
 * would refuse is refused here, with the same words. The check runs on the server so the
 * page compiles no schema (its CSP allows no eval).
 *
 * Hooks: form.signal-form [data-signal=<name>]; select[name=signal]; [data-field=<property>]
 * (input, select or textarea), textarea[data-field=""] for a whole payload; [data-signal-problem].
 */
import { useState } from 'preact/hooks';
import type { Json, JsonSchema } from '../../../interpreter/model.js';
import type { SignalView } from '../protocol.js';

type Kind = 'text' | 'number' | 'integer' | 'boolean' | 'choice' | 'json';

interface Field {
  name: string;
  kind: Kind;
  required: boolean;
  description?: string;
  choices?: Json[];
}

type SchemaObject = Exclude<JsonSchema, boolean> & Record<string, unknown>;

function kindOf(schema: unknown): Kind {
  if (typeof schema !== 'object' || schema === null) return 'json';
  const s = schema as SchemaObject;
  if (Array.isArray(s.enum)) return 'choice';
  switch (s.type) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

/** The fields of an object schema, or undefined when the payload is better typed as JSON whole. */
export function fieldsOf(schema: JsonSchema | undefined): Field[] | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const s = schema as SchemaObject;
  const properties = s.properties as Record<string, unknown> | undefined;
  if (s.type !== 'object' || typeof properties !== 'object' || properties === null || Object.keys(properties).length === 0) return undefined;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) => {
    const p = (typeof property === 'object' && property !== null ? property : {}) as SchemaObject;
    return {
      name,
      kind: kindOf(property),
      required: required.has(name),
      ...(typeof p.description === 'string' && { description: p.description }),
      ...(Array.isArray(p.enum) && { choices: p.enum as Json[] }),
    };
  });
}

/** The payload the fields make, or why they make none. An empty field is left out. */
function payloadOf(fields: Field[] | undefined, values: Record<string, string>): { payload: Json } | { problem: string } {
  if (fields === undefined) {
    const text = (values[''] ?? '').trim();
    if (text === '') return { payload: null };
    try {
      return { payload: JSON.parse(text) as Json };
    } catch {
      return { problem: 'the payload is not JSON' };
    }
  }
  const payload: Record<string, Json> = {};
  for (const field of fields) {
    const text = values[field.name] ?? '';
    if (text.trim() === '') continue;
    switch (field.kind) {
      case 'text':
        payload[field.name] = text;
        break;
      case 'number':
      case 'integer': {
        const n = Number(text);
        if (!Number.isFinite(n)) return { problem: `${field.name} must be a number` };
        payload[field.name] = n;
        break;
      }
      case 'boolean':
        payload[field.name] = text === 'true';
        break;
      case 'choice':
      case 'json':
        try {
          payload[field.name] = JSON.parse(text) as Json;
        } catch {
          return { problem: `${field.name} is not JSON` };
        }
    }
  }
  return { payload };
}

export function SignalForm({ signals, check, send }: { signals: SignalView[]; check: (name: string, payload: Json) => Promise<string | undefined>; send: (name: string, payload: Json) => Promise<void> }) {
  const [chosen, setChosen] = useState(signals[0]!.name);
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const [sending, setSending] = useState(false);
  const signal = signals.find((s) => s.name === chosen) ?? signals[0]!;
  const fields = fieldsOf(signal.schema);
  const setValue = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const made = payloadOf(fields, values);
    if ('problem' in made) return setProblem(made.problem);
    setSending(true);
    try {
      const refused = await check(signal.name, made.payload);
      setProblem(refused);
      if (refused === undefined) await send(signal.name, made.payload);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setSending(false);
    }
  };

  const input = (field: Field) => {
    const common = { name: field.name, 'data-field': field.name, value: values[field.name] ?? '', required: false };
    switch (field.kind) {
      case 'boolean':
        return (
          <select {...common} onChange={(e) => setValue(field.name, e.currentTarget.value)}>
            <option value="">(not set)</option>
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        );
      case 'choice':
        return (
          <select {...common} onChange={(e) => setValue(field.name, e.currentTarget.value)}>
            <option value="">(not set)</option>
            {field.choices!.map((c) => (
              <option value={JSON.stringify(c)}>{typeof c === 'string' ? c : JSON.stringify(c)}</option>
            ))}
          </select>
        );
      case 'json':
        return <textarea {...common} rows={3} placeholder="JSON" onInput={(e) => setValue(field.name, e.currentTarget.value)} />;
      default:
        return <input {...common} inputMode={field.kind === 'text' ? 'text' : 'decimal'} onInput={(e) => setValue(field.name, e.currentTarget.value)} />;
    }
  };

  return (
    <form class="signal-form" data-signal={signal.name} onSubmit={submit} noValidate>
      {signals.length > 1 && (
        <label>
          Signal
          <select name="signal" value={chosen} onChange={(e) => (setChosen(e.currentTarget.value), setValues({}), setProblem(undefined))}>
            {signals.map((s) => (
              <option value={s.name}>{s.name}</option>
            ))}
          </select>
        </label>
      )}
      {signal.description && <p class="hint">{signal.description}</p>}
      {fields ? (
        fields.map((field) => (
          <label class="field">
            <span>
              {field.name}
              {field.required && <span class="required"> (required)</span>}
              <span class="kind"> {field.kind}</span>
            </span>
            {input(field)}
            {field.description && <span class="hint">{field.description}</span>}
          </label>
        ))
      ) : (
        <label class="field">
          <span>payload (JSON)</span>
          <textarea data-field="" rows={5} value={values[''] ?? ''} onInput={(e) => setValue('', e.currentTarget.value)} />
        </label>
      )}
      {problem !== undefined && (
        <p class="problem" data-signal-problem role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="primary" disabled={sending}>
        Send {signal.name}
      </button>
    </form>
  );
}
