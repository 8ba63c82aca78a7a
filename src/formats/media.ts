/**
 * Facts about inline media (images, PDFs) read from their first bytes, so
 * their token cost can be estimated from pixels or pages instead of from the
 * length of their base64 text, which the model never reads as tokens.
 */
import type { MediaInfo } from './types.js';

/** Enough base64 to reach the size header of PNG, GIF, WebP and most JPEGs. */
const HEADER_BASE64_CHARS = 87_384;

export function inlineMedia(type: MediaInfo['type'], mediaType: string | null, base64: string | null): MediaInfo {
  const info: MediaInfo = { type, mediaType, bytes: null, width: null, height: null, pages: null };
  if (base64 === null) return info;
  const payload = stripDataUri(base64);
  info.bytes = base64DecodedLength(payload);
  if (type === 'image') {
    const head = Buffer.from(payload.slice(0, HEADER_BASE64_CHARS - (HEADER_BASE64_CHARS % 4)), 'base64');
    const size = imageSize(head);
    if (size) {
      info.width = size.width;
      info.height = size.height;
    }
  } else if (type === 'document' && (mediaType ?? '').includes('pdf')) {
    info.pages = countPdfPages(Buffer.from(payload, 'base64'));
  }
  return info;
}

/** Media referenced by URL or file id: nothing to measure. */
export function referencedMedia(type: MediaInfo['type'], mediaType: string | null): MediaInfo {
  return { type, mediaType, bytes: null, width: null, height: null, pages: null };
}

/** Splits `data:image/png;base64,AAAA` into its media type and payload. */
export function parseDataUri(uri: string): { mediaType: string; base64: string } | null {
  const match = /^data:([^;,]+)?(?:;[^;,]*)*;base64,/.exec(uri.slice(0, 200));
  if (!match) return null;
  return { mediaType: match[1] ?? 'application/octet-stream', base64: uri.slice(match[0].length) };
}

function stripDataUri(text: string): string {
  return parseDataUri(text)?.base64 ?? text;
}

function base64DecodedLength(payload: string): number {
  let length = payload.length;
  while (length > 0 && payload[length - 1] === '=') length--;
  return Math.floor((length * 3) / 4);
}

interface Size {
  width: number;
  height: number;
}

export function imageSize(bytes: Buffer): Size | null {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'GIF') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 30 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return webpSize(bytes);
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  return null;
}

function webpSize(bytes: Buffer): Size | null {
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  if (chunk === 'VP8L') {
    const bits = bytes.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  return null;
}

/** Walks JPEG segments to the first start-of-frame marker, which holds the size. */
function jpegSize(bytes: Buffer): Size | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] ?? 0;
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return null;
}

/** Counts `/Type /Page` objects (not `/Pages`); null when none are visible (compressed object streams). */
function countPdfPages(bytes: Buffer): number | null {
  const text = bytes.toString('latin1');
  const matches = text.match(/\/Type\s*\/Page(?![s\w])/g);
  return matches && matches.length > 0 ? matches.length : null;
}
