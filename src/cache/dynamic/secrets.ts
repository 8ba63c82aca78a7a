/**
 * How a secret found in a prompt is shown: its first 4 characters and its
 * length, never the value, so a report can be pasted into an issue.
 */
export function maskSecret(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} chars)`;
}
