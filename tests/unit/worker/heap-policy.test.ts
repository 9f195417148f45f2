import { spawnSync } from 'node:child_process'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { applyHeapPolicy, collectBetweenSteps, HEAP_GROWING_PERCENT } from '../../../main/worker/heap-policy.js'

/**
 * A fresh Node that applies `flags` at run time as a worker does, keeps ~60 MB live, then allocates
 * 1.2 GB in batches that live a while (rows in flight), and prints its peak heap in MB.
 */
function peakHeapMb(flags: string | null): number {
  const script = `
    import { setFlagsFromString } from 'node:v8'
    const flags = ${JSON.stringify(flags)}
    if (flags !== null) setFlagsFromString(flags)
    const live = []
    for (let i = 0; i < 600000; i++) live.push({ id: 'c' + i, n: i, s: 'x'.repeat(40) + i })
    let peak = 0
    const inFlight = []
    for (let round = 0; round < 120; round++) {
      const batch = []
      for (let i = 0; i < 50000; i++) batch.push({ a: 'r' + i + round, b: i, c: [i, round] })
      inFlight.push(batch)
      if (inFlight.length > 4) inFlight.shift()
      peak = Math.max(peak, process.memoryUsage().heapUsed)
    }
    process.stdout.write(JSON.stringify({ peakMb: Math.round(peak / 1048576), kept: live.length }))
  `
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
  expect(child.status, child.stderr).toBe(0)
  const out = JSON.parse(child.stdout) as { peakMb: number; kept: number }
  expect(out.kept).toBe(600_000)
  return out.peakMb
}

describe('worker heap policy', () => {
  it('sets a fixed heap growing factor and takes a collection function from a fresh context', () => {
    const flags: string[] = []
    let collections = 0
    applyHeapPolicy(
      (f) => flags.push(f),
      () => () => collections++,
    )
    expect(flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, '--expose-gc'])
    collectBetweenSteps()
    collectBetweenSteps()
    expect(collections).toBe(2)
    // No global appears in the worker's own context.
    expect('gc' in globalThis).toBe(false)
  })

  it('does nothing between steps where V8 gave no collection function', () => {
    applyHeapPolicy(
      () => undefined,
      () => undefined,
    )
    expect(() => collectBetweenSteps()).not.toThrow()
    // What a V8 that refused the flag does: the new context has no `gc` to read.
    expect(() =>
      applyHeapPolicy(
        () => undefined,
        () => runInNewContext('gc'),
      ),
    ).not.toThrow()
    expect(() => collectBetweenSteps()).not.toThrow()
  })

  it('frees what the last step left before the next one starts', () => {
    applyHeapPolicy()
    // ~80 MB of garbage in the old generation: objects that lived through young collections.
    const step = (): number => {
      const rows: { id: string; n: number }[][] = []
      for (let i = 0; i < 20; i++) rows.push(Array.from({ length: 50_000 }, (_, n) => ({ id: `row-${i}-${n}`, n })))
      return rows.length
    }
    expect(step()).toBe(20)
    const before = process.memoryUsage().heapUsed
    collectBetweenSteps()
    const after = process.memoryUsage().heapUsed
    expect(before - after).toBeGreaterThan(30 * 1048576)
  })

  it('keeps the heap near what is live, where V8 on its own lets it grow several times over', () => {
    const flags: string[] = []
    applyHeapPolicy((f) => flags.push(f))
    const withPolicy = peakHeapMb(flags[0]!)
    const without = peakHeapMb(null)
    // Live: ~60 MB kept plus up to 5 batches in flight (~30 MB).
    expect(withPolicy).toBeLessThan(400)
    expect(without).toBeGreaterThan(withPolicy * 1.5)
  }, 120_000)
})
