/**
 * A tiny typed schema DSL. One definition yields the TypeScript type (via
 * `Infer`), the defaults, JSON validation, string parsing for env vars and
 * `--set`, and the flat list of leaves with their snake_case paths and env
 * names. Schema keys are camelCase; everything user-facing is snake_case.
 */

/** Outcome of checking or parsing one value. `expected` completes "must be …". */
export type Check<T> = { ok: true; value: T } | { ok: false; expected: string; detail?: string };

interface FieldSpec<T> {
  readonly expected: string;
  /** Validate a value that came out of JSON.parse. */
  check(value: unknown): Check<T>;
  /** Parse a raw string from the environment or a `--set` flag. */
  parse(raw: string): Check<T>;
}

function ok<T>(value: T): Check<T> {
  return { ok: true, value };
}

function fail(expected: string, detail?: string): { ok: false; expected: string; detail?: string } {
  return detail === undefined ? { ok: false, expected } : { ok: false, expected, detail };
}

export class Field<T> {
  readonly kind = 'field';

  constructor(
    private readonly spec: FieldSpec<T>,
    readonly defaultValue: T,
    readonly description = '',
  ) {}

  get expected(): string {
    return this.spec.expected;
  }

  check(value: unknown): Check<T> {
    return this.spec.check(value);
  }

  parse(raw: string): Check<T> {
    return this.spec.parse(raw);
  }

  /** Defaults are checked here so a typo in the schema fails at import, not in a user's run. */
  default(value: T): Field<T> {
    const checked = this.spec.check(value);
    if (!checked.ok) {
      throw new Error(`schema default ${JSON.stringify(value)} is not ${checked.expected}`);
    }
    return new Field(this.spec, checked.value, this.description);
  }

  describe(description: string): Field<T> {
    return new Field(this.spec, this.defaultValue, description);
  }

  /** Used by `nullable` to reuse this field's rules. */
  get rules(): FieldSpec<T> {
    return this.spec;
  }
}

export interface Range {
  min?: number;
  max?: number;
}

function rangePhrase(noun: string, { min, max }: Range): string {
  if (min !== undefined && max !== undefined) return `${noun} between ${min} and ${max}`;
  if (min !== undefined) return `${noun} >= ${min}`;
  if (max !== undefined) return `${noun} <= ${max}`;
  return noun;
}

function inRange(n: number, { min, max }: Range): boolean {
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export function bool(): Field<boolean> {
  const expected = 'true or false';
  return new Field<boolean>(
    {
      expected,
      check: (v) => (typeof v === 'boolean' ? ok(v) : fail(expected)),
      parse: (raw) => {
        const word = raw.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return ok(true);
        if (FALSE_WORDS.has(word)) return ok(false);
        return fail(expected);
      },
    },
    false,
  );
}

// Strict on purpose: "30m" or "1e3" for an integer is almost always a mistake.
const INT_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function int(range: Range = {}): Field<number> {
  const expected = rangePhrase('an integer', range);
  const check = (v: unknown): Check<number> => (typeof v === 'number' && Number.isSafeInteger(v) && inRange(v, range) ? ok(v) : fail(expected));
  return new Field<number>(
    {
      expected,
      check,
      parse: (raw) => (INT_TEXT.test(raw.trim()) ? check(Number(raw.trim())) : fail(expected)),
    },
    range.min ?? 0,
  );
}

export function number(range: Range = {}): Field<number> {
  const expected = rangePhrase('a number', range);
  const check = (v: unknown): Check<number> => (typeof v === 'number' && Number.isFinite(v) && inRange(v, range) ? ok(v) : fail(expected));
  return new Field<number>(
    {
      expected,
      check,
      parse: (raw) => (NUMBER_TEXT.test(raw.trim()) ? check(Number(raw.trim())) : fail(expected)),
    },
    range.min ?? 0,
  );
}

export function string(): Field<string> {
  const expected = 'a string';
  return new Field<string>(
    {
      expected,
      check: (v) => (typeof v === 'string' ? ok(v) : fail(expected)),
      // Raw on purpose: separators and templates may be nothing but whitespace.
      parse: (raw) => ok(raw),
    },
    '',
  );
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** Named `enumOf` because `enum` is a reserved word. */
export function enumOf<const V extends readonly [string, ...string[]]>(values: V): Field<V[number]> {
  const expected = `one of ${quoteList(values)}`;
  const check = (v: unknown): Check<V[number]> => (typeof v === 'string' && (values as readonly string[]).includes(v) ? ok(v as V[number]) : fail(expected));
  return new Field<V[number]>({ expected, check, parse: (raw) => check(raw.trim()) }, values[0]);
}

type ItemCheck = (item: unknown) => string | undefined;

/**
 * Lists come as a JSON array or, when `splitCommas`, as "a, b, c". Regex lists
 * opt out of comma splitting because commas are regex syntax (`\w+,?`).
 */
function list(expected: string, checkItem: ItemCheck, splitCommas: boolean): Field<string[]> {
  const check = (v: unknown): Check<string[]> => {
    if (!Array.isArray(v)) return fail(expected);
    for (const [i, item] of v.entries()) {
      const problem = checkItem(item);
      if (problem !== undefined) return fail(expected, `item ${i}: ${problem}`);
    }
    return ok([...(v as string[])]);
  };
  const parse = (raw: string): Check<string[]> => {
    const text = raw.trim();
    if (text.startsWith('[')) {
      try {
        return check(JSON.parse(text));
      } catch {
        return fail(expected, 'invalid JSON array');
      }
    }
    if (!splitCommas) return text === '' ? ok([]) : check([raw]);
    return check(
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
  };
  return new Field<string[]>({ expected, check, parse }, []);
}

const stringItem: ItemCheck = (item) => (typeof item === 'string' ? undefined : `${JSON.stringify(item)} is not a string`);

export function stringList(): Field<string[]> {
  return list('a list of strings', stringItem, true);
}

export function enumList<const V extends readonly [string, ...string[]]>(values: V): Field<V[number][]> {
  const checkItem: ItemCheck = (item) =>
    typeof item === 'string' && (values as readonly string[]).includes(item) ? undefined : `${JSON.stringify(item)} is not one of ${quoteList(values)}`;
  return list(`a list of values from ${quoteList(values)}`, checkItem, true) as Field<V[number][]>;
}

/** Strings that must compile with `new RegExp(pattern)` (no flags). */
export function regexList(): Field<string[]> {
  const checkItem: ItemCheck = (item) => {
    if (typeof item !== 'string') return `${JSON.stringify(item)} is not a string`;
    try {
      new RegExp(item);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return list('a list of valid regular expressions', checkItem, false);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A free-form name → integer map; keys are user data (model names), never case-converted. */
export function intRecord(range: Range = {}): Field<Record<string, number>> {
  const expected = `an object mapping names to ${rangePhrase('integers', range)}`;
  const check = (v: unknown): Check<Record<string, number>> => {
    if (!isPlainObject(v)) return fail(expected);
    for (const [key, n] of Object.entries(v)) {
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || !inRange(n, range)) {
        return fail(expected, `${JSON.stringify(key)} is ${JSON.stringify(n)}`);
      }
    }
    return ok({ ...(v as Record<string, number>) });
  };
  const parse = (raw: string): Check<Record<string, number>> => {
    try {
      return check(JSON.parse(raw));
    } catch {
      return fail(expected, 'invalid JSON object');
    }
  };
  return new Field<Record<string, number>>({ expected, check, parse }, {});
}

export function nullable<T>(inner: Field<T>): Field<T | null> {
  const rules = inner.rules;
  const expected = `${rules.expected} or null`;
  const widen = (c: Check<T>): Check<T | null> => (c.ok ? c : fail(expected, c.detail));
  return new Field<T | null>(
    {
      expected,
      check: (v) => (v === null ? ok(null) : widen(rules.check(v))),
      parse: (raw) => (raw.trim() === 'null' ? ok(null) : widen(rules.parse(raw))),
    },
    null,
    inner.description,
  );
}

// ---------------------------------------------------------------------------
// Sections and type inference

export type Node = Field<unknown> | Section<Shape>;
export interface Shape {
  readonly [key: string]: Node;
}

export class Section<S extends Shape> {
  readonly kind = 'section';

  constructor(
    readonly shape: S,
    readonly description = '',
  ) {
    for (const key of Object.keys(shape)) {
      if (!/^[a-z]/.test(key) || snakeToCamel(camelToSnake(key)) !== key) {
        throw new Error(`schema key "${key}" does not round-trip through snake_case`);
      }
    }
  }
}

export function section<S extends Shape>(shape: S, description?: string): Section<S> {
  return new Section(shape, description);
}

/** The TypeScript type a schema node describes. */
export type Infer<N> = N extends Section<infer S> ? { -readonly [K in keyof S]: Infer<S[K]> } : N extends Field<infer T> ? T : never;

// ---------------------------------------------------------------------------
// Key conversion

/** `maxItemsAfterCrush` → `max_items_after_crush`, `bm25K1` → `bm25_k1`. */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Inverse of camelToSnake; digits stay attached to the word before them. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

// ---------------------------------------------------------------------------
// Compiled schema

export interface Leaf {
  /** Dotted snake_case path, e.g. `smart_crusher.relevance.bm25_k1`. */
  readonly path: string;
  /** camelCase keys from the root of the TS object. */
  readonly keys: readonly string[];
  readonly envName: string;
  readonly field: Field<unknown>;
}

export type Issue = { kind: 'unknown-key'; path: string; suggestion?: string } | { kind: 'invalid'; path: string; expected: string; detail?: string; got: unknown };

export type Validation = { ok: true; values: Map<string, unknown> } | { ok: false; issue: Issue };

export interface Schema<S extends Shape> {
  readonly root: Section<S>;
  readonly envPrefix: string;
  /** Every leaf in definition order. */
  readonly leaves: readonly Leaf[];
  leaf(path: string): Leaf | undefined;
  /** Fresh defaults; callers may mutate the result. */
  defaults(): Infer<Section<S>>;
  /** Assemble a typed object from one value per leaf. */
  build(valueOf: (leaf: Leaf) => unknown): Infer<Section<S>>;
  /** Read one leaf out of a typed object. */
  get(config: Infer<Section<S>>, leaf: Leaf): unknown;
  /** Validate a (partial) snake_case object; returns the leaf values it sets. */
  validate(input: unknown): Validation;
  /** The typed object with snake_case keys, as a config file would spell it. */
  toSnake(config: Infer<Section<S>>): Record<string, unknown>;
  /** Closest known leaf or section path for a mistyped one. */
  suggest(path: string): string | undefined;
}

function childBySnake(sec: Section<Shape>, snakeKey: string): [string, Node] | undefined {
  const camel = snakeToCamel(snakeKey);
  // The camel/snake check rejects keys like "maxItems" that would otherwise alias.
  const node = Object.hasOwn(sec.shape, camel) && camelToSnake(camel) === snakeKey ? sec.shape[camel] : undefined;
  return node === undefined ? undefined : [camel, node];
}

export function compile<S extends Shape>(root: Section<S>, envPrefix = 'HEADROOM_'): Schema<S> {
  const leaves: Leaf[] = [];
  const byPath = new Map<string, Leaf>();
  const byEnv = new Map<string, Leaf>();

  const collect = (sec: Section<Shape>, keys: string[]): void => {
    for (const [key, node] of Object.entries(sec.shape)) {
      const childKeys = [...keys, key];
      if (node instanceof Section) {
        collect(node, childKeys);
        continue;
      }
      const path = childKeys.map(camelToSnake).join('.');
      const envName = envPrefix + path.toUpperCase().replace(/\./g, '_');
      const clash = byEnv.get(envName);
      if (clash) throw new Error(`schema leaves "${clash.path}" and "${path}" share env name ${envName}`);
      const leaf: Leaf = { path, keys: childKeys, envName, field: node };
      leaves.push(leaf);
      byPath.set(path, leaf);
      byEnv.set(envName, leaf);
    }
  };
  collect(root, []);

  const build = (valueOf: (leaf: Leaf) => unknown): Infer<Section<S>> => {
    const out: Record<string, unknown> = {};
    for (const leaf of leaves) {
      let target = out;
      for (const key of leaf.keys.slice(0, -1)) {
        target = (target[key] ??= {}) as Record<string, unknown>;
      }
      target[leaf.keys[leaf.keys.length - 1]!] = valueOf(leaf);
    }
    return out as Infer<Section<S>>;
  };

  const get = (config: Infer<Section<S>>, leaf: Leaf): unknown => {
    let value: unknown = config;
    for (const key of leaf.keys) value = (value as Record<string, unknown>)[key];
    return value;
  };

  const validate = (input: unknown): Validation => {
    const values = new Map<string, unknown>();
    const walk = (sec: Section<Shape>, value: unknown, prefix: string): Issue | undefined => {
      if (!isPlainObject(value)) return { kind: 'invalid', path: prefix, expected: 'an object', got: value };
      for (const [key, v] of Object.entries(value)) {
        const path = prefix === '' ? key : `${prefix}.${key}`;
        const child = childBySnake(sec, key)?.[1];
        if (child === undefined) {
          const suggestion = suggest(path);
          return suggestion === undefined ? { kind: 'unknown-key', path } : { kind: 'unknown-key', path, suggestion };
        }
        if (child instanceof Section) {
          const issue = walk(child, v, path);
          if (issue) return issue;
          continue;
        }
        const checked = child.check(v);
        if (!checked.ok) {
          const issue: Issue = { kind: 'invalid', path, expected: checked.expected, got: v };
          if (checked.detail !== undefined) issue.detail = checked.detail;
          return issue;
        }
        values.set(path, checked.value);
      }
      return undefined;
    };
    const issue = walk(root, input, '');
    return issue ? { ok: false, issue } : { ok: true, values };
  };

  const toSnake = (config: Infer<Section<S>>): Record<string, unknown> => {
    const convert = (sec: Section<Shape>, value: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [key, node] of Object.entries(sec.shape)) {
        const v = value[key];
        out[camelToSnake(key)] = node instanceof Section ? convert(node, v as Record<string, unknown>) : v;
      }
      return out;
    };
    return convert(root, config as Record<string, unknown>);
  };

  const suggest = (path: string): string | undefined => {
    // Fix the path segment by segment so typos in section names are corrected too.
    let sec: Section<Shape> = root;
    const fixed: string[] = [];
    const segments = path.split('.');
    for (const [i, segment] of segments.entries()) {
      const names = Object.keys(sec.shape).map(camelToSnake);
      const name = closest(segment, names);
      if (name === undefined) break;
      fixed.push(name);
      const node = childBySnake(sec, name)?.[1];
      if (node instanceof Section && i < segments.length - 1) {
        sec = node;
        continue;
      }
      if (i === segments.length - 1) {
        const candidate = fixed.join('.');
        return candidate === path ? undefined : candidate;
      }
      break;
    }
    // A leaf placed in the wrong section: match on its last segment alone.
    const last = normalize(segments[segments.length - 1] ?? '');
    const homes = leaves.filter((leaf) => leaf.path.endsWith(`.${last}`) || leaf.path === last);
    return homes.length === 1 && homes[0]!.path !== path ? homes[0]!.path : undefined;
  };

  return {
    root,
    envPrefix,
    leaves,
    leaf: (path) => byPath.get(path),
    defaults: () => build((leaf) => structuredClone(leaf.field.defaultValue)),
    build,
    get,
    validate,
    toSnake,
    suggest,
  };
}

// ---------------------------------------------------------------------------
// "Did you mean"

function normalize(name: string): string {
  return camelToSnake(name).toLowerCase().replace(/-/g, '_');
}

/**
 * Best match for a mistyped key, trying in order: same spelling modulo case
 * style, a prefix ("max_items" → "max_items_after_crush"), a whole-name typo,
 * then a typo in an abbreviated name ("max_itemz" → "max_items_after_crush").
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = normalize(input);
  const exact = candidates.find((c) => c === wanted);
  if (exact !== undefined) return exact;
  if (wanted.length >= 3) {
    const prefixed = candidates.filter((c) => c.startsWith(wanted)).sort((a, b) => a.length - b.length);
    if (prefixed[0] !== undefined) return prefixed[0];
  }
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const whole = nearest(candidates, limit, (c) => editDistance(wanted, c));
  if (whole !== undefined || wanted.length < 4) return whole;
  // Short inputs are left out: two letters of typo in "ena" match half the schema.
  return nearest(candidates, Math.min(limit, 2), (c) => editDistance(wanted, c.slice(0, wanted.length)));
}

/** The candidate with the smallest distance, if that distance is within `limit`; ties go to the first. */
function nearest(candidates: readonly string[], limit: number, distance: (c: string) => number): string | undefined {
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = distance(c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
