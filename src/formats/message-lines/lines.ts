/**
 * One message per line: the lines of a file gathered into one request, read
 * in the dialect the first revealing line shows.
 */
import { messageDialect } from '../detect.js';
import { parseDialectMessage, providerOf } from '../dialects.js';
import { pairToolResults } from '../parts.js';
import { DEFAULT_DIALECT } from '../registry.js';
import type { Dialect, JsonObject, Message, Origin, Request } from '../types.js';
import { settleValueSlots, type RecordText } from '../value-slots.js';

export class MessageLines {
  private dialect: Dialect | null = null;
  private readonly messages: Message[] = [];

  /** `origin`: the file's first message line, where the request is said to be. */
  constructor(private readonly origin: Origin) {}

  /** `dialect`: what detection (or `--format`) made of this line alone. */
  add(message: JsonObject, origin: Origin, dialect: Dialect, record: RecordText | null): void {
    // The first line that reveals a dialect fixes it for the file.
    this.dialect ??= messageDialect(message);
    const parsed = parseDialectMessage(this.dialect ?? dialect, message, origin, []);
    if (!parsed) return;
    settleValueSlots(parsed.parts, record);
    this.messages.push(parsed);
  }

  request(file: string): Request {
    pairToolResults(this.messages);
    return {
      id: `${file}:${this.origin.line}`,
      format: 'message-lines',
      provider: providerOf(this.dialect ?? DEFAULT_DIALECT),
      model: null,
      messages: this.messages,
      tools: [],
      usage: null,
      origin: this.origin,
      conversation: file,
    };
  }
}
