/**
 * Revo's search attributes on a namespace (docs/temporal.md#finding-runs-in-temporal):
 * whether they are registered (a run sets them only then, so it never fails for their
 * lack), and registering the missing ones where the server allows it.
 */
import type { Client } from '@temporalio/client';
import { REVO_SEARCH_ATTRIBUTES } from '../sandboxed/visibility.js';

const KEYWORD = 2; // INDEXED_VALUE_TYPE_KEYWORD
const known = new WeakMap<Client, Promise<boolean>>();

/** A client's or a worker connection's operator service. */
type Operator = Client['connection']['operatorService'];

/** The Revo attributes the namespace lacks. */
export async function missingSearchAttributes(operator: Operator, namespace: string): Promise<string[]> {
  const { customAttributes } = await operator.listSearchAttributes({ namespace });
  return REVO_SEARCH_ATTRIBUTES.map((key) => key.name).filter((name) => !(customAttributes && name in customAttributes));
}

/** Whether runs started through `client` may carry Revo's search attributes (asked once per client). */
export function searchAttributesRegistered(client: Client): Promise<boolean> {
  let answer = known.get(client);
  if (!answer) {
    answer = missingSearchAttributes(client.connection.operatorService, client.options.namespace).then((missing) => missing.length === 0, () => false);
    known.set(client, answer);
  }
  return answer;
}

export type Registration = { created: string[] } | { problem: string; command: string };

/** Registers the missing Revo attributes; when the server refuses, says which command an operator should run. */
export async function registerSearchAttributes(operator: Operator, namespace: string): Promise<Registration> {
  const missing = await missingSearchAttributes(operator, namespace);
  if (missing.length === 0) return { created: [] };
  try {
    await operator.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])) });
    return { created: missing };
  } catch (error) {
    const command = `temporal operator search-attribute create --namespace ${namespace} ${missing.map((name) => `--name ${name} --type Keyword`).join(' ')}`;
    return { problem: (error as Error).message.split('\n')[0]!, command };
  }
}

/** The `temporal server start-dev` flags that register them on a dev server. */
export function devServerSearchAttributeFlags(): string[] {
  return REVO_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}
