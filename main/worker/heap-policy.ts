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
 *
 * The threshold is still set by the last full collection, so a step that kept much (the
 * genealogy walk) leaves the next steps a limit they fill with garbage before V8 collects again:
 * at 240 000 lots the explain-away started with a 66 MB heap of which 29 MB was live. A worker
 * therefore collects once between steps ({@link collectBetweenSteps}): the next step's threshold
 * is then set by what the run still holds. Measured at 240 000 lots (backward, pushdown): peak RSS
 * 179 → 165 MB; a collection of a ~50 MB heap takes tens of milliseconds, a run has ~15 steps.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Heap growth after a full collection, in percent of the live heap. */
export const HEAP_GROWING_PERCENT = 20

/** The full collection of this process, once {@link applyHeapPolicy} made it available. */
let collect: (() => void) | null = null

/**
 * Applies the policy to this process. Set at run time, not on the command line: a V8 that no
 * longer knew a flag would refuse to start a worker given it on the command line, while here it
 * only prints a warning and keeps its own growing. The collection function comes from a fresh
 * context, so no `gc` global appears in the worker's own.
 */
export function applyHeapPolicy(
  setFlags: (flags: string) => void = setFlagsFromString,
  gcOfNewContext: () => unknown = () => runInNewContext('gc'),
): void {
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  setFlags('--expose-gc')
  // A V8 that refused the flag has no `gc` in the new context: reading it throws, and the worker
  // then runs without the collections rather than failing to start.
  let gc: unknown
  try {
    gc = gcOfNewContext()
  } catch {
    gc = undefined
  }
  collect = typeof gc === 'function' ? () => void (gc as () => unknown)() : null
}

/**
 * A full collection, called where a step ends and the next begins (what the last step read is
 * garbage then). Does nothing before {@link applyHeapPolicy} or where V8 gave no collection.
 */
export function collectBetweenSteps(): void {
  collect?.()
}
