/** Formatting shared by the findings' human-readable details and previews. */

/** `1204` → `1,204` (a regex: toLocaleString goes through Intl, which is slow in a hot loop). */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `34816` → `34 KB`; sizes in findings only need to be recognizable, not exact. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const PREVIEW_CHARS = 80;

/** The first PREVIEW_CHARS characters of `text` on one line (whitespace runs collapsed). */
export function preview(text: string): string {
  // Only the head is needed; collapsing a 1 MB text to show 80 chars would be wasteful.
  const head = text
    .slice(0, PREVIEW_CHARS * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return head.length > PREVIEW_CHARS ? head.slice(0, PREVIEW_CHARS) : head;
}
