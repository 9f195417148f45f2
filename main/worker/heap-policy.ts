/**
 * How a worker's JavaScript heap grows. After each full collection V8 sets the next one's
 * threshold to the live heap times a growing factor it picks itself, up to 4× on a machine with
 * plenty of memory. A trace's steps allocate far more than they keep (rows read, converted and
 * written), so with that factor a worker whose genealogy is 100 MB live sat at 500 MB and more.
 * A fixed factor of {@link HEAP_GROWING_PERCENT} keeps the heap near what is live at every plant
 * size; the heap limit (`--max-old-space-size`, the worker memory setting) stays the hard cap.
 *
 * Measured at 120 000 lots (docs/pushdown.md, `npm run bench`): pushdown peak RSS 563 → 364 MB
 * with the same wall time.
 */
import { setFlagsFromString } from 'node:v8'

/** Heap growth after a full collection, in percent of the live heap. */
export const HEAP_GROWING_PERCENT = 20

/**
 * Applies the policy to this process. Set at run time, not on the command line: a V8 that no
 * longer knew the flag would refuse to start a worker given it on the command line, while here it
 * only prints a warning and keeps its own growing.
 */
export function applyHeapPolicy(setFlags: (flags: string) => void = setFlagsFromString): void {
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
