/**
 * Keeps a long streaming run's memory bounded.
 *
 * Audit's live memory is small (tens of MB: the tokenizer and bounded memos),
 * but V8 lets garbage pile up to several times the live size before a full
 * collection when collections are cheap, which on a gigabyte of JSONL meant a
 * peak RSS of 320–400 MB. Asking for a full collection every COLLECT_EVERY_BYTES of
 * input keeps the peak near live size plus that much garbage, for about 15 ms
 * per collection (≈0.1 s per GB). The `gc` function is only reachable after
 * enabling V8's expose-gc flag; if that ever fails, runs simply go without.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export const COLLECT_EVERY_BYTES = 96 * 1024 * 1024;

type Collect = () => void;

let collect: Collect | null | undefined;

function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** Calls `maybeCollect(bytesRead)` as input is read; collects once per COLLECT_EVERY_BYTES. */
export class MemoryGovernor {
  private nextAt = COLLECT_EVERY_BYTES;

  maybeCollect(bytesRead: number): void {
    if (bytesRead < this.nextAt) return;
    this.nextAt = bytesRead + COLLECT_EVERY_BYTES;
    collector()?.();
  }
}
