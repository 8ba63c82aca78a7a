/**
 * A BPE rank table in a compact binary form, so the tokenizer starts in
 * milliseconds instead of hundreds.
 *
 * js-tiktoken ships its ranks as one base64 text line per encoding; turning
 * that into a Map (200,000 base64 decodes and string keys) took most of a
 * small audit's wall time. `npm run build` encodes each table once
 * (scripts/build-rank-tables.js), hash index included; at run time the file
 * is read with one readFileSync and viewed as typed arrays: no per-entry
 * strings, objects or hashing.
 *
 * File layout (little-endian):
 *   magic "HRRANKS1" | u32 count | u32 byte length | u32 pattern length | u32 slot count
 *   pattern (UTF-8, zero-padded to 4) | u32 ranks[count] | u32 ends[count] | u32 slots[slot count] | token bytes
 * Token i's bytes are bytes[ends[i-1] .. ends[i]) (ends[-1] = 0). The slots
 * are a hash index (see RankTable).
 */
import type { TiktokenBPE } from 'js-tiktoken/lite';

const MAGIC = 'HRRANKS1';
const HEADER_BYTES = 24;
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Encodes js-tiktoken's ranks (its `bpe_ranks` text) into the binary form. */
export function encodeRankTable(bpe: TiktokenBPE): Buffer {
  const tokens: Buffer[] = [];
  const ranks: number[] = [];
  for (const line of bpe.bpe_ranks.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    const offset = Number.parseInt(fields[1] ?? '', 10);
    for (let index = 2; index < fields.length; index++) {
      tokens.push(Buffer.from(fields[index] ?? '', 'base64'));
      ranks.push(offset + index - 2);
    }
  }
  const pattern = Buffer.from(bpe.pat_str, 'utf8');
  const patternPadded = align4(pattern.length);
  const bytes = Buffer.concat(tokens);
  const ends = new Uint32Array(tokens.length);
  let end = 0;
  tokens.forEach((token, index) => (ends[index] = end += token.length));
  const slots = hashIndex(ends, bytes);
  const out = Buffer.alloc(HEADER_BYTES + patternPadded + 8 * tokens.length + 4 * slots.length + bytes.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(tokens.length, 8);
  out.writeUInt32LE(bytes.length, 12);
  out.writeUInt32LE(pattern.length, 16);
  out.writeUInt32LE(slots.length, 20);
  pattern.copy(out, HEADER_BYTES);
  let at = HEADER_BYTES + patternPadded;
  for (const rank of ranks) at = out.writeUInt32LE(rank, at);
  for (const tokenEnd of ends) at = out.writeUInt32LE(tokenEnd, at);
  for (const slot of slots) at = out.writeUInt32LE(slot, at);
  bytes.copy(out, at);
  return out;
}

export class RankTableError extends Error {}

/**
 * Rank lookup over token bytes. Text is passed as a latin1 string (one char
 * per byte, as BpeCounter holds a piece's UTF-8 bytes) with a range, so no
 * slice is made per lookup.
 */
export class RankTable {
  private readonly mask: number;

  private constructor(
    readonly pattern: string,
    private readonly ranks: Uint32Array,
    private readonly ends: Uint32Array,
    /** See hashIndex. */
    private readonly slots: Uint32Array,
    private readonly bytes: Uint8Array,
  ) {
    this.mask = slots.length - 1;
  }

  /** Reads the binary form; throws RankTableError when it is not one. */
  static decode(file: Uint8Array): RankTable {
    if (file.length < HEADER_BYTES || Buffer.from(file.buffer, file.byteOffset, 8).toString('latin1') !== MAGIC) {
      throw new RankTableError('not a headroom rank table');
    }
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const count = view.getUint32(8, true);
    const byteLength = view.getUint32(12, true);
    const patternLength = view.getUint32(16, true);
    const slotCount = view.getUint32(20, true);
    const ranksAt = HEADER_BYTES + align4(patternLength);
    const slotsAt = ranksAt + 8 * count;
    const bytesAt = slotsAt + 4 * slotCount;
    if (bytesAt + byteLength !== file.length || slotCount !== slotCountFor(count)) throw new RankTableError('truncated or corrupt rank table');
    const pattern = Buffer.from(file.buffer, file.byteOffset + HEADER_BYTES, patternLength).toString('utf8');
    return new RankTable(pattern, uint32s(file, ranksAt, count), uint32s(file, ranksAt + 4 * count, count), uint32s(file, slotsAt, slotCount), file.subarray(bytesAt));
  }

  get size(): number {
    return this.ranks.length;
  }

  /** The rank of the token whose bytes are text[start, end), or -1 if there is none. */
  rank(text: string, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ text.charCodeAt(at), FNV_PRIME);
    const length = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      const token = entry - 1;
      const tokenEnd = this.ends[token] as number;
      const tokenStart = token === 0 ? 0 : (this.ends[token - 1] as number);
      if (tokenEnd - tokenStart === length && this.sameBytes(tokenStart, text, start, length)) return this.ranks[token] as number;
    }
  }

  private sameBytes(at: number, text: string, start: number, length: number): boolean {
    const bytes = this.bytes;
    for (let index = 0; index < length; index++) {
      if (bytes[at + index] !== text.charCodeAt(start + index)) return false;
    }
    return true;
  }
}

/** Twice as many slots as tokens (a power of two), so probes stay short. */
function slotCountFor(count: number): number {
  let size = 1;
  while (size < count * 2) size *= 2;
  return size;
}

/**
 * The hash index: slot (FNV-1a of the token's bytes) & (slots - 1), or the
 * next free one (linear probing), holds the token's index + 1; 0 is empty.
 */
function hashIndex(ends: Uint32Array, bytes: Uint8Array): Uint32Array {
  const slots = new Uint32Array(slotCountFor(ends.length));
  const mask = slots.length - 1;
  let start = 0;
  for (let token = 0; token < ends.length; token++) {
    const end = ends[token] as number;
    let hash = FNV_OFFSET;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ (bytes[at] as number), FNV_PRIME);
    let slot = hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = token + 1;
    start = end;
  }
  return slots;
}

// 32-bit FNV-1a: cheap, and spreads short byte strings well enough for linear probing.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function align4(length: number): number {
  return (length + 3) & ~3;
}

/** A view when the platform and alignment allow it, else a copy decoded from little-endian. */
function uint32s(file: Uint8Array, at: number, count: number): Uint32Array {
  if (littleEndian && (file.byteOffset + at) % 4 === 0) return new Uint32Array(file.buffer, file.byteOffset + at, count);
  const view = new DataView(file.buffer, file.byteOffset + at, 4 * count);
  const values = new Uint32Array(count);
  for (let index = 0; index < count; index++) values[index] = view.getUint32(4 * index, true);
  return values;
}
