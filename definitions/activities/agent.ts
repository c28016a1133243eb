/**
 * An agent toolkit: a planner ("the model"), two tools and a summarizer.
 *
 * Deterministic simulation (no language model, no search engine): the planner reads
 * the goal and the transcript so far and picks the next tool by simple rules —
 * 1. nothing searched yet → `search` for the goal;
 * 2. the goal contains arithmetic (`3 * 49.99 + 12`) not yet computed → `calculator`;
 * 3. otherwise → `finish` with a draft answer.
 * A goal containing `keep digging` never finishes (to watch the turn budget run out);
 * a goal mentioning `oracle` asks for a tool that does not exist.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { stableHash } from './simulation.js';

/** The first arithmetic expression in a text, e.g. `3 * 49.99 + 12`, if any. */
export function findArithmetic(text: string): string | undefined {
  const match = /[(\d][\d.\s()]*(?:[-+*/][\s(]*\d[\d.\s()]*)+/.exec(text);
  return match ? match[0].trim() : undefined;
}

/** Evaluates + - * / and parentheses over decimal numbers, without eval. */
export function evaluateArithmetic(expression: string): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let pos = 0;
  const fail = (why: string): never => {
    throw new WorkflowError('BadExpression', `cannot evaluate ${JSON.stringify(expression)}: ${why}`, { nonRetryable: true });
  };
  const primary = (): number => {
    const token = tokens[pos++];
    if (token === undefined) return fail('unexpected end');
    if (token === '-') return -primary();
    if (token === '(') {
      const value = sum();
      if (tokens[pos++] !== ')') fail('missing )');
      return value;
    }
    if (!/^\d/.test(token)) return fail(`unexpected ${token}`);
    return Number(token);
  };
  const product = (): number => {
    let value = primary();
    while (tokens[pos] === '*' || tokens[pos] === '/') {
      const op = tokens[pos++];
      const right = primary();
      if (op === '/' && right === 0) fail('division by zero');
      value = op === '*' ? value * right : value / right;
    }
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (tokens[pos] === '+' || tokens[pos] === '-') {
      const op = tokens[pos++];
      const right = product();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  };
  const value = sum();
  if (pos < tokens.length) fail(`unexpected ${tokens[pos]}`);
  return Math.round(value * 1e9) / 1e9;
}

const transcript = {
  type: 'array',
  description: 'The turns so far, oldest first.',
  items: {
    type: 'object',
    required: ['turn', 'tool', 'observation'],
    properties: {
      turn: { type: 'integer', minimum: 0 },
      thought: { type: 'string' },
      tool: { type: 'string' },
      observation: { description: 'What the tool returned.' },
    },
  },
} as const;

export const plan = defineActivity({
  name: 'agent.plan',
  description: 'Asks the model for the next step towards the goal: a tool to call, or finish.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['goal', 'transcript'],
    properties: { goal: { type: 'string', minLength: 1 }, transcript },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['thought', 'tool'],
    properties: {
      thought: { type: 'string' },
      tool: { type: 'string', description: 'search, calculator or finish (a model may also name a tool that does not exist).' },
      query: { type: 'string', description: 'For search.' },
      expression: { type: 'string', description: 'For calculator.' },
      draft: { type: 'string', description: 'For finish: the answer to polish.' },
    },
  } as const,
  defaults: { timeout: '2m', retry: { maxAttempts: 3, initialInterval: '5s', retryOn: ['RateLimited', 'Transient'] } },
  async run({ goal, transcript: turns }) {
    const used = new Set(turns.map((t) => t.tool));
    const n = turns.length;
    if (/oracle/i.test(goal)) return { thought: 'The oracle will know.', tool: 'oracle', query: goal };
    if (/keep digging/i.test(goal)) return { thought: `Not sure yet; searching again (${n + 1}).`, tool: 'search', query: `${goal} #${n + 1}` };
    if (!used.has('search')) return { thought: 'I should look this up first.', tool: 'search', query: goal };
    const arithmetic = findArithmetic(goal);
    if (arithmetic !== undefined && !used.has('calculator')) {
      return { thought: 'The question needs a calculation.', tool: 'calculator', expression: arithmetic };
    }
    const computed = turns.find((t) => t.tool === 'calculator')?.observation as { value?: number } | undefined;
    const draft = computed?.value !== undefined ? `The result is ${computed.value}.` : `Here is what I found about: ${goal}`;
    return { thought: 'I have enough to answer.', tool: 'finish', draft };
  },
});

export const search = defineActivity({
  name: 'agent.search',
  description: 'Searches the knowledge base.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['query'],
    properties: { query: { type: 'string', minLength: 1 }, limit: { type: 'integer', minimum: 1, maximum: 10 } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['results'],
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'url', 'snippet'],
          properties: { title: { type: 'string' }, url: { type: 'string' }, snippet: { type: 'string' } },
        },
      },
    },
  } as const,
  defaults: { timeout: '20s' },
  async run({ query, limit = 3 }) {
    const results = [];
    for (let i = 0; i < limit; i++) {
      const id = (stableHash(`${query}|${i}`) % 100_000).toString().padStart(5, '0');
      results.push({ title: `Article ${id}`, url: `https://kb.example.com/articles/${id}`, snippet: `Result ${i + 1} for "${query}".` });
    }
    return { results };
  },
});

export const calculate = defineActivity({
  name: 'agent.calculate',
  description: 'Evaluates an arithmetic expression (+ - * / and parentheses).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['expression'],
    properties: { expression: { type: 'string', minLength: 1, maxLength: 500 } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['expression', 'value'],
    properties: { expression: { type: 'string' }, value: { type: 'number' } },
  } as const,
  defaults: { timeout: '1s', retry: { maxAttempts: 1 } },
  async run({ expression }) {
    return { expression, value: evaluateArithmetic(expression) };
  },
});

export const summarize = defineActivity({
  name: 'agent.summarize',
  description: 'Writes the final answer from the transcript, citing the sources it used.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['goal', 'transcript'],
    properties: { goal: { type: 'string' }, transcript, draft: { type: 'string' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['answer', 'citations'],
    properties: { answer: { type: 'string' }, citations: { type: 'array', items: { type: 'string' } } },
  } as const,
  defaults: { timeout: '2m' },
  async run({ goal, transcript: turns, draft }) {
    const citations: string[] = [];
    for (const t of turns) {
      const results = (t.observation as { results?: { url?: unknown }[] } | null)?.results ?? [];
      for (const r of results) if (typeof r.url === 'string' && !citations.includes(r.url)) citations.push(r.url);
    }
    const answer = draft ?? `No final answer for "${goal}" after ${turns.length} turn(s); partial findings are cited.`;
    return { answer, citations };
  },
});
