/**
 * Query anchors: exact things a query names — UUIDs, numeric ids, hostnames,
 * quoted strings, e-mail addresses — that an item must be kept for when it
 * contains one, whatever its relevance score. Matching is deterministic
 * substring search over the item's lower-cased text, with boundaries for
 * numbers and hostnames so `1234` does not match `912345`.
 */

export interface QueryAnchors {
  /** Lower-cased UUIDs. */
  uuids: string[];
  /** Standalone numbers of four or more digits. */
  numbers: string[];
  /** Lower-cased hostnames (`label.label[.tld]`, IPv4 addresses), not abbreviations like `e.g`. */
  hosts: string[];
  /** Lower-cased text between quotes, 2–50 characters. */
  quoted: string[];
  /** Lower-cased e-mail addresses. */
  emails: string[];
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/g;
const NUMBER = /(?<![\d.])\d{4,}(?![\d])/g;
// Labels joined by dots; the last label must hold a letter (so `3.14` is no host) unless it is a dotted quad.
const HOST = /(?<![a-z0-9.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?![a-z0-9-]|\.[a-z0-9])/g;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const NOT_HOSTS = new Set(['e.g', 'i.e', 'etc', 'vs', 'a.m', 'p.m']);
// A single quote opens only after a non-word character, so apostrophes (don't … it's) are not quotes.
const QUOTED = /"([^"\n]{2,50})"|(?<!\w)'([^'\n]{2,50})'(?!\w)|`([^`\n]{2,50})`|“([^”\n]{2,50})”/g;

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

export function extractQueryAnchors(query: string): QueryAnchors {
  const lower = query.toLowerCase();
  const emails = unique(lower.match(EMAIL) ?? []);
  const uuids = unique(lower.match(UUID) ?? []);
  // Hosts and numbers are looked for with the e-mail addresses and UUIDs blanked out, so
  // alice@example.com does not also anchor every item of example.com, nor a UUID's digit groups every item holding them.
  const rest = [...emails, ...uuids].reduce((text, whole) => text.split(whole).join(' '), lower);
  const hosts = unique(
    [...rest.matchAll(HOST)].map((match) => match[0]).filter((host) => !NOT_HOSTS.has(host) && (/[a-z]/.test(host.slice(host.lastIndexOf('.') + 1)) || IPV4.test(host))),
  );
  return {
    uuids,
    numbers: unique(rest.match(NUMBER) ?? []),
    hosts,
    quoted: unique([...lower.matchAll(QUOTED)].map((match) => (match[1] ?? match[2] ?? match[3] ?? match[4]) as string)),
    emails,
  };
}

/** True when the query named nothing to anchor on. */
export function hasAnchors(anchors: QueryAnchors): boolean {
  return anchors.uuids.length + anchors.numbers.length + anchors.hosts.length + anchors.quoted.length + anchors.emails.length > 0;
}

/** Whether `needle` occurs in `text` with no character matching `inner` right before or after it. */
function containsBounded(text: string, needle: string, inner: RegExp): boolean {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = text[at - 1];
    const after = text[at + needle.length];
    if ((before === undefined || !inner.test(before)) && (after === undefined || !inner.test(after))) return true;
  }
  return false;
}

/** One anchor of a query and how an item's lower-cased text is tested for it. */
export interface AnchorTest {
  readonly anchor: string;
  matches(lowerCasedItemText: string): boolean;
}

/** Each anchor of the query with its test, for callers that weigh anchors one by one (how many items each singles out). */
export function anchorTests(anchors: QueryAnchors): AnchorTest[] {
  const plain = (anchor: string): AnchorTest => ({ anchor, matches: (text) => text.includes(anchor) });
  const bounded = (anchor: string, inner: RegExp): AnchorTest => ({ anchor, matches: (text) => containsBounded(text, anchor, inner) });
  return [
    ...anchors.uuids.map(plain),
    ...anchors.emails.map(plain),
    ...anchors.quoted.map(plain),
    ...anchors.numbers.map((number) => bounded(number, /\d/)),
    // A host matches as a whole name or as the parent of a longer one (example.com in api.example.com).
    ...anchors.hosts.map((host) => bounded(host, /[a-z0-9-]/)),
  ];
}

/** Whether an item (its text, lower-cased by the caller once) contains any anchor of the query. */
export function matchesAnchor(anchors: QueryAnchors, lowerCasedItemText: string): boolean {
  return anchorTests(anchors).some((test) => test.matches(lowerCasedItemText));
}
