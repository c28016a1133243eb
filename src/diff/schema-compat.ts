/**
 * Would a new JSON Schema refuse values the old one accepted? Compares two schemas
 * keyword by keyword and says, for each difference, whether it narrows (breaking for
 * callers: an input or signal payload that worked is now refused) or widens.
 *
 * Exact for the keywords workflow inputs are made of (type, required, properties,
 * additionalProperties, items, bounds, enum, const, pattern, format, multipleOf,
 * uniqueItems). For composition and references (anyOf, $ref, if/then, …) it cannot
 * tell cheaply, so a change there counts as narrowing: a reviewer should look.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Json, JsonSchema } from '../../interpreter/model.js';
import type { JsonPath } from '../../interpreter/walk.js';
import { canonicalJson } from '../load/hash.js';
import { beforeAfter, isRecord, unionKeys } from './values.js';

export interface SchemaChange {
  /** The keyword's path, relative to the schema compared: `['properties', 'amount', 'minimum']`. */
  path: JsonPath;
  /** Where in the data the change applies, `''` for the value itself: `customer.email`, `items[]`. */
  at: string;
  before?: Json;
  after?: Json;
  /** Some value accepted before is refused now. */
  narrows: boolean;
  /** What changed, without saying where: "minimum raised from 0 to 1". */
  what: string;
}

type Schema = { [keyword: string]: Json };

/** A schema in object form: absent and `true` accept everything (`{}`); `false` accepts nothing. */
type Normalized = Schema | false;

export function schemaChanges(before: JsonSchema | undefined, after: JsonSchema | undefined): SchemaChange[] {
  return compare(normalize(before), normalize(after), [], '');
}

function normalize(schema: Json | undefined): Normalized {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return false;
  return isRecord(schema) ? schema : {};
}

/** Keywords that only document: changing them never changes what is accepted. */
const ANNOTATIONS: ReadonlySet<string> = new Set(['title', 'description', 'default', 'examples', '$comment', '$id', '$schema', 'readOnly', 'writeOnly', 'deprecated']);

/** Lower bounds (raising one narrows) and upper bounds (lowering one narrows). */
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

/** Keywords whose any addition or change narrows, and whose removal widens. */
const EXACT = ['const', 'pattern', 'format'] as const;

/** Keywords compared by the functions below; every other keyword that changes is an annotation or unknown. */
const COMPARED: ReadonlySet<string> = new Set([
  'type', 'required', 'properties', 'additionalProperties', 'items', 'enum', 'multipleOf', 'uniqueItems', ...LOWER_BOUNDS, ...UPPER_BOUNDS, ...EXACT,
]);

interface Site {
  path: JsonPath;
  at: string;
}

function compare(before: Normalized, after: Normalized, path: JsonPath, at: string): SchemaChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (before === false) return [{ path, at, after: after as Schema, narrows: false, what: 'accepted nothing before, now accepts values' }];
  if (after === false) return [{ path, at, before, after: false, narrows: true, what: 'now refuses every value' }];
  const site: Site = { path, at };
  const changes = [
    ...typeChanges(before, after, site),
    ...requiredChanges(before, after, site),
    ...propertyChanges(before, after, site),
    ...itemsChanges(before, after, site),
    ...LOWER_BOUNDS.flatMap((k) => boundChanges(k, 'lower', before, after, site)),
    ...UPPER_BOUNDS.flatMap((k) => boundChanges(k, 'upper', before, after, site)),
    ...enumChanges(before, after, site),
    ...EXACT.flatMap((k) => exactChanges(k, before, after, site)),
    ...multipleOfChanges(before, after, site),
    ...uniqueItemsChanges(before, after, site),
  ];
  for (const keyword of unionKeys(before, after)) {
    if (COMPARED.has(keyword) || isDeepStrictEqual(before[keyword], after[keyword])) continue;
    const annotation = ANNOTATIONS.has(keyword);
    changes.push({
      ...keywordValues(site, keyword, before, after),
      narrows: !annotation,
      what: annotation ? `${keyword} ${verb(before[keyword], after[keyword])}` : `\`${keyword}\` ${verb(before[keyword], after[keyword])}; whether every value accepted before still is cannot be worked out, check by hand`,
    });
  }
  return changes;
}

/** The path, location and values of one keyword of the two schemas. */
function keywordValues(site: Site, keyword: string, before: Schema, after: Schema): Omit<SchemaChange, 'narrows' | 'what'> {
  return { path: [...site.path, keyword], at: site.at, ...beforeAfter(before[keyword], after[keyword]) };
}

function verb(before: unknown, after: unknown): string {
  return before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
}

// -- type ---------------------------------------------------------------------

/** The types a schema allows, or undefined for any. */
function types(schema: Schema): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : undefined;
}

/** Whether a type allowed before is still allowed: integers are numbers. */
function covers(allowed: readonly string[], type: string): boolean {
  return allowed.includes(type) || (type === 'integer' && allowed.includes('number'));
}

function typeChanges(before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [types(before), types(after)];
  if (isDeepStrictEqual(was, now)) return [];
  const base = keywordValues(site, 'type', before, after);
  if (now === undefined) return [{ ...base, narrows: false, what: 'type no longer restricted' }];
  if (was === undefined) return [{ ...base, narrows: true, what: `type restricted to ${now.join(' or ')}` }];
  const narrows = was.some((t) => !covers(now, t));
  const widens = now.some((t) => !covers(was, t));
  if (!narrows && !widens) return [];
  const how = narrows && widens ? 'changed' : narrows ? 'narrowed' : 'widened';
  return [{ ...base, narrows, what: `type ${how} from ${was.join(' or ')} to ${now.join(' or ')}` }];
}

// -- objects --------------------------------------------------------------------

function requiredChanges(before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [stringList(before.required), stringList(after.required)];
  return [
    ...now.filter((p) => !was.includes(p)).map((p) => ({ path: [...site.path, 'required'], at: child(site.at, p), after: p, narrows: true, what: 'now required' })),
    ...was.filter((p) => !now.includes(p)).map((p) => ({ path: [...site.path, 'required'], at: child(site.at, p), before: p, narrows: false, what: 'no longer required' })),
  ];
}

/**
 * Properties, with `additionalProperties` for what is not listed: a property that is
 * no longer listed is now checked against the new `additionalProperties` (refused
 * when that is `false`); a newly listed one was checked against the old.
 */
function propertyChanges(before: Schema, after: Schema, site: Site): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const [wasExtra, nowExtra] = [normalize(before.additionalProperties), normalize(after.additionalProperties)];
  if (!isDeepStrictEqual(wasExtra, nowExtra)) {
    const base = keywordValues(site, 'additionalProperties', before, after);
    if (nowExtra === false) changes.push({ ...base, narrows: true, what: 'properties that are not listed are no longer accepted' });
    else if (wasExtra === false) changes.push({ ...base, narrows: false, what: 'properties that are not listed are now accepted' });
    else changes.push(...compare(wasExtra, nowExtra, [...site.path, 'additionalProperties'], child(site.at, '*')));
  }
  const [was, now] = [records(before.properties), records(after.properties)];
  for (const name of unionKeys(was, now)) {
    const path = [...site.path, 'properties', name];
    const at = child(site.at, name);
    if (was[name] !== undefined && now[name] !== undefined) {
      changes.push(...compare(normalize(was[name]), normalize(now[name]), path, at));
    } else if (now[name] === undefined) {
      // Removed from the list: its values now meet `additionalProperties`.
      if (nowExtra === false) changes.push({ path, at, before: was[name], narrows: true, what: 'removed, and inputs that have it are now refused' });
      else if (isDeepStrictEqual(nowExtra, {})) changes.push({ path, at, before: was[name], narrows: false, what: 'no longer described (any value is accepted)' });
      else changes.push(...compare(normalize(was[name]), nowExtra, path, at));
    } else if (wasExtra === false) {
      changes.push({ path, at, after: now[name], narrows: false, what: 'added (refused before)' });
    } else if (isDeepStrictEqual(wasExtra, {})) {
      // Strictly, values of a key nobody described were accepted and may not be now;
      // flagging every new optional property would bury the changes that matter.
      changes.push({ path, at, after: now[name], narrows: false, what: 'added' });
    } else {
      changes.push(...compare(wasExtra, normalize(now[name]), path, at));
    }
  }
  return changes;
}

// -- arrays ---------------------------------------------------------------------

function itemsChanges(before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [before.items, after.items];
  if (isDeepStrictEqual(was, now)) return [];
  if (Array.isArray(was) || Array.isArray(now)) {
    return [{ ...keywordValues(site, 'items', before, after), narrows: true, what: 'tuple `items` changed; whether every value accepted before still is cannot be worked out, check by hand' }];
  }
  return compare(normalize(was), normalize(now), [...site.path, 'items'], `${site.at}[]`);
}

function uniqueItemsChanges(before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [before.uniqueItems === true, after.uniqueItems === true];
  if (was === now) return [];
  return [{ ...keywordValues(site, 'uniqueItems', before, after), narrows: now, what: now ? 'items must now be unique' : 'items no longer need to be unique' }];
}

// -- values ---------------------------------------------------------------------

function boundChanges(keyword: string, side: 'lower' | 'upper', before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [before[keyword], after[keyword]];
  if (isDeepStrictEqual(was, now)) return [];
  const base = keywordValues(site, keyword, before, after);
  if (typeof now !== 'number') return [{ ...base, narrows: false, what: `${keyword} removed (was ${show(was)})` }];
  if (typeof was !== 'number') return [{ ...base, narrows: true, what: `${keyword} ${now} added` }];
  const raised = now > was;
  return [{ ...base, narrows: side === 'lower' ? raised : !raised, what: `${keyword} ${raised ? 'raised' : 'lowered'} from ${was} to ${now}` }];
}

function enumChanges(before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [before.enum, after.enum];
  if (isDeepStrictEqual(was, now)) return [];
  const base = keywordValues(site, 'enum', before, after);
  if (!Array.isArray(now)) return [{ ...base, narrows: false, what: 'enum removed: any value of the type is accepted' }];
  if (!Array.isArray(was)) return [{ ...base, narrows: true, what: `restricted to ${now.map(show).join(', ')}` }];
  const keys = (values: Json[]) => new Set(values.map(canonicalJson));
  const [wasKeys, nowKeys] = [keys(was), keys(now)];
  const dropped = was.filter((v) => !nowKeys.has(canonicalJson(v)));
  const added = now.filter((v) => !wasKeys.has(canonicalJson(v)));
  if (dropped.length === 0 && added.length === 0) return [];
  const parts = [...(dropped.length ? [`no longer allows ${dropped.map(show).join(', ')}`] : []), ...(added.length ? [`now also allows ${added.map(show).join(', ')}`] : [])];
  return [{ ...base, narrows: dropped.length > 0, what: parts.join('; ') }];
}

function exactChanges(keyword: string, before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [before[keyword], after[keyword]];
  if (isDeepStrictEqual(was, now)) return [];
  const base = keywordValues(site, keyword, before, after);
  if (now === undefined) return [{ ...base, narrows: false, what: `${keyword} ${show(was)} removed` }];
  if (was === undefined) return [{ ...base, narrows: true, what: `${keyword} ${show(now)} added` }];
  return [{ ...base, narrows: true, what: `${keyword} changed from ${show(was)} to ${show(now)}` }];
}

function multipleOfChanges(before: Schema, after: Schema, site: Site): SchemaChange[] {
  const [was, now] = [before.multipleOf, after.multipleOf];
  if (isDeepStrictEqual(was, now)) return [];
  const base = keywordValues(site, 'multipleOf', before, after);
  if (typeof now !== 'number') return [{ ...base, narrows: false, what: `no longer needs to be a multiple of ${show(was)}` }];
  if (typeof was !== 'number') return [{ ...base, narrows: true, what: `must now be a multiple of ${now}` }];
  // Multiples of 10 are multiples of 5: a new divisor of the old one accepts everything it did.
  const widens = Number.isInteger(was / now);
  return [{ ...base, narrows: !widens, what: `multipleOf changed from ${was} to ${now}` }];
}

// -- helpers --------------------------------------------------------------------

function child(at: string, name: string): string {
  return at === '' ? name : `${at}.${name}`;
}

function stringList(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function records(value: Json | undefined): { [name: string]: Json } {
  return isRecord(value) ? value : {};
}

function show(value: Json | undefined): string {
  return `\`${JSON.stringify(value ?? null)}\``;
}
