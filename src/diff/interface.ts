/**
 * Changes to what callers of the workflow depend on: the input schema, the signals
 * they send and the queries they ask. Here a change is breaking when something that
 * worked before is refused now.
 */
import type { JsonSchema, SignalDeclaration, Template, WorkflowDefinition } from '../../interpreter/model.js';
import { formatPath } from '../validate/schema-messages.js';
import type { Change, ChangeArea } from './model.js';
import { schemaChanges, type SchemaChange } from './schema-compat.js';
import { asJson, beforeAfter, unionKeys, valueChanges } from './values.js';

export function inputChanges(before: WorkflowDefinition, after: WorkflowDefinition): Change[] {
  return schemaChanges(before.input, after.input).map((change) => fromSchemaChange('input', ['input'], 'input', change));
}

export function signalChanges(before: WorkflowDefinition, after: WorkflowDefinition): Change[] {
  const [was, now] = [before.signals ?? {}, after.signals ?? {}];
  return unionKeys(was, now).flatMap((name): Change[] => {
    const path = formatPath(['signals', name]);
    if (was[name] === undefined) return [{ area: 'signal', kind: 'added', path, after: asJson(now[name]), breaking: false, summary: `signal \`${name}\` added` }];
    if (now[name] === undefined) {
      return [{ area: 'signal', kind: 'removed', path, before: asJson(was[name]), breaking: true, summary: `signal \`${name}\` removed: senders of it are refused` }];
    }
    return declarationChanges(name, was[name]!, now[name]!);
  });
}

function declarationChanges(name: string, was: SignalDeclaration, now: SignalDeclaration): Change[] {
  const description = valueChanges(was.description, now.description).map((c): Change => ({
    area: 'signal',
    kind: c.kind,
    path: formatPath(['signals', name, 'description']),
    ...beforeAfter(c.before, c.after),
    breaking: false,
    summary: `signal \`${name}\`: description ${c.kind}`,
  }));
  const schema = schemaChanges(was.schema as JsonSchema | undefined, now.schema as JsonSchema | undefined);
  return [...description, ...schema.map((change) => fromSchemaChange('signal', ['signals', name, 'schema'], `signal \`${name}\` payload`, change))];
}

export function queryChanges(before: WorkflowDefinition, after: WorkflowDefinition): Change[] {
  const [was, now] = [before.queries ?? {}, after.queries ?? {}];
  return unionKeys(was, now).flatMap((name): Change[] => {
    const path = formatPath(['queries', name]);
    const [old, current]: (Template | undefined)[] = [was[name], now[name]];
    if (old === undefined) return [{ area: 'query', kind: 'added', path, after: current!, breaking: false, summary: `query \`${name}\` added` }];
    if (current === undefined) return [{ area: 'query', kind: 'removed', path, before: old, breaking: true, summary: `query \`${name}\` removed: callers of it get an error` }];
    return valueChanges(old, current).length === 0 ? [] : [{ area: 'query', kind: 'changed', path, before: old, after: current, breaking: false, summary: `query \`${name}\` changed` }];
  });
}

/** A schema change as a change of the definition: `input \`amount\`: minimum raised from 0 to 1`. */
function fromSchemaChange(area: ChangeArea, schemaPath: (string | number)[], subject: string, change: SchemaChange): Change {
  return {
    area,
    kind: change.before === undefined ? 'added' : change.after === undefined ? 'removed' : 'changed',
    path: formatPath([...schemaPath, ...change.path]),
    ...beforeAfter(change.before, change.after),
    breaking: change.narrows,
    summary: `${subject}${change.at === '' ? '' : ` \`${change.at}\``}: ${change.what}`,
  };
}
