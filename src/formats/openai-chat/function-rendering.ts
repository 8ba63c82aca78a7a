/**
 * How OpenAI shows function tools to the model, for counting what it bills.
 *
 * OpenAI does not send a tool's JSON schema to the model: it renders every
 * function as a TypeScript-like type inside a `functions` namespace, e.g.
 *
 *     namespace functions {
 *
 *     // Get the weather for a city.
 *     type get_weather = (_: {
 *     // City name
 *     city: string,
 *     unit?: "c" | "f",
 *     }) => any;
 *
 *     } // namespace functions
 *
 * The format is known from OpenAI's cookbook ("How to count tokens with
 * tiktoken") and from open-source reimplementations checked against the API;
 * the framing constant is checked on the pydantic-ai captures (see
 * `FUNCTIONS_FRAMING`). The JSON text of the tool stays what every other
 * analysis (cache-prefix hash, volatile values, json_bloat) reads.
 */
import { isJsonObject, type JsonObject } from '../types.js';

/** A function tool as the model sees it: name, description, parameters schema. */
export interface FunctionDefinition {
  name: string;
  description: string | null;
  parameters: JsonObject | null;
}

/**
 * Tokens OpenAI adds around the rendered namespace (the `# Tools` /
 * `## functions` headers of the system message it is placed in). Fitted on
 * the captures in corpus/llm-api-captures/pydantic-ai: with it the estimate
 * equals the billed prompt on every Chat Completions capture without media.
 */
export const FUNCTIONS_FRAMING = 7;

/** The function inside a tool definition, or null for a tool that is not a plain function. */
export function functionOf(tool: JsonObject, key: 'tools' | 'functions'): FunctionDefinition | null {
  // Legacy `functions: [{name, description, parameters}]`.
  if (key === 'functions') return definitionFrom(tool);
  if (tool['type'] !== 'function') return null;
  // Chat Completions nests the function; Responses puts its fields on the tool.
  const nested = tool['function'];
  return definitionFrom(isJsonObject(nested) ? nested : tool);
}

function definitionFrom(fn: JsonObject): FunctionDefinition | null {
  const name = fn['name'];
  if (typeof name !== 'string') return null;
  const description = typeof fn['description'] === 'string' && fn['description'].length > 0 ? fn['description'] : null;
  const parameters = isJsonObject(fn['parameters']) ? fn['parameters'] : null;
  return { name, description, parameters };
}

/** One function's lines inside the namespace (its comment, its type, a blank line). */
export function renderFunction(fn: FunctionDefinition): string {
  const lines: string[] = [];
  if (fn.description) lines.push(comment(fn.description, ''));
  const properties = fn.parameters ? objectProperties(fn.parameters) : null;
  if (properties && Object.keys(properties).length > 0 && fn.parameters) {
    lines.push(`type ${fn.name} = (_: {`);
    lines.push(...propertyLines(fn.parameters, fn.parameters, 0));
    lines.push('}) => any;');
  } else {
    lines.push(`type ${fn.name} = () => any;`);
  }
  lines.push('');
  return lines.join('\n');
}

const NAMESPACE_OPEN = 'namespace functions {\n\n';
const NAMESPACE_CLOSE = '} // namespace functions';

/** The namespace around functions already rendered by `renderFunction`, as the model sees it. */
export function functionsNamespace(rendered: readonly string[]): string {
  return `${NAMESPACE_OPEN}${rendered.map((fn) => `${fn}\n`).join('')}${NAMESPACE_CLOSE}`;
}

export function renderFunctions(functions: readonly FunctionDefinition[]): string {
  return functionsNamespace(functions.map(renderFunction));
}

/**
 * A description as a comment: one `// ` in front, each of its lines trimmed.
 * Of the renderings tried (a `// ` on every line or not, lines kept as sent
 * or trimmed), only this one gives the same framing on every capture: the
 * docstring descriptions of openai_chat_complex_agent (indented `Args:`
 * blocks) and openai_chat_mcp_toolset both leave exactly FUNCTIONS_FRAMING.
 */
function comment(text: string, indent: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  return `${indent}// ${lines.join('\n')}`;
}

function objectProperties(schema: JsonObject): JsonObject | null {
  const properties = schema['properties'];
  return isJsonObject(properties) ? properties : null;
}

/**
 * `name?: type,` per property, preceded by its description as a comment.
 * Only top-level properties carry their description: the reimplementations
 * that reproduce billed counts leave nested descriptions out.
 */
function propertyLines(schema: JsonObject, root: JsonObject, depth: number): string[] {
  const properties = objectProperties(schema) ?? {};
  const required = new Set((Array.isArray(schema['required']) ? schema['required'] : []).filter((name) => typeof name === 'string'));
  const indent = ' '.repeat(depth);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const property = isJsonObject(value) ? resolve(value, root) : {};
    const description = property['description'];
    if (depth === 0 && typeof description === 'string' && description.length > 0) lines.push(comment(description, indent));
    lines.push(`${indent}${name}${required.has(name) ? '' : '?'}: ${typeText(property, root, depth)},`);
  }
  return lines;
}

/** A `$ref` to the schema's own `$defs` / `definitions` is rendered as what it names. */
function resolve(schema: JsonObject, root: JsonObject, seen: ReadonlySet<string> = new Set()): JsonObject {
  const ref = schema['$ref'];
  if (typeof ref !== 'string' || seen.has(ref)) return schema;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = match ? root[match[1] ?? ''] : undefined;
  const target = match && isJsonObject(defs) ? defs[decodeURIComponent(match[2] ?? '')] : undefined;
  return isJsonObject(target) ? resolve(target, root, new Set([...seen, ref])) : schema;
}

function typeText(schema: JsonObject, root: JsonObject, depth: number): string {
  const union = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(union)) return union.map((member) => typeText(isJsonObject(member) ? resolve(member, root) : {}, root, depth)).join(' | ');
  const type = schema['type'];
  if (Array.isArray(type)) return type.map((member) => typeText({ ...schema, type: member }, root, depth)).join(' | ');
  const values = Array.isArray(schema['enum']) ? schema['enum'] : null;
  switch (type) {
    case 'string':
      return values ? values.map((value) => JSON.stringify(value)).join(' | ') : 'string';
    case 'number':
    case 'integer':
      return values ? values.map(String).join(' | ') : 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const items = schema['items'];
      return isJsonObject(items) ? `${typeText(resolve(items, root), root, depth)}[]` : 'any[]';
    }
    case 'object': {
      if (!objectProperties(schema)) return 'object';
      return `{\n${propertyLines(schema, root, depth + 2).join('\n')}\n${' '.repeat(depth)}}`;
    }
    default:
      return 'any';
  }
}
