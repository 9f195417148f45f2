import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RssWatchdog, workerRssSampler } from '../../../main/engine/index.js'

const MB = 1024 * 1024

/** A sampler that plays back `values` (the last one repeats). */
function playback(values: Array<number | undefined>): () => number | undefined {
  let i = 0
  return () => values[Math.min(i++, values.length - 1)]
}

describe('RssWatchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('fires once, after two consecutive samples over the cap, and then stops', async () => {
    const onExceeded = vi.fn()
    const sample = vi.fn(playback([50 * MB, 150 * MB, 160 * MB, 170 * MB]))
    const watchdog = new RssWatchdog({ capBytes: 100 * MB, intervalMs: 100, sample, onExceeded })
    await vi.advanceTimersByTimeAsync(200)
    expect(onExceeded).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(100)
    expect(onExceeded).toHaveBeenCalledTimes(1)
    expect(onExceeded).toHaveBeenCalledWith(160 * MB)
    expect(watchdog.isStopped).toBe(true)
    await vi.advanceTimersByTimeAsync(1000)
    expect(sample).toHaveBeenCalledTimes(3)
    expect(onExceeded).toHaveBeenCalledTimes(1)
  })

  it('does not fire for a single spike', async () => {
    const onExceeded = vi.fn()
    const sample = playback([150 * MB, 50 * MB, 150 * MB, 50 * MB, 150 * MB, 50 * MB])
    const watchdog = new RssWatchdog({ capBytes: 100 * MB, intervalMs: 100, sample, onExceeded })
    await vi.advanceTimersByTimeAsync(1000)
    expect(onExceeded).not.toHaveBeenCalled()
    watchdog.stop()
  })

  it('lets a missing sample neither count nor break the streak', async () => {
    const onExceeded = vi.fn()
    const sample = playback([150 * MB, undefined, 150 * MB])
    new RssWatchdog({ capBytes: 100 * MB, intervalMs: 100, sample, onExceeded })
    await vi.advanceTimersByTimeAsync(200)
    expect(onExceeded).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(100)
    expect(onExceeded).toHaveBeenCalledWith(150 * MB)
  })

  it('treats a failing read as a missing sample and keeps watching', async () => {
    const onExceeded = vi.fn()
    let calls = 0
    const sample = async (): Promise<number> => {
      calls += 1
      if (calls === 1) throw new Error('EACCES')
      return 150 * MB
    }
    new RssWatchdog({ capBytes: 100 * MB, intervalMs: 100, sample, onExceeded })
    await vi.advanceTimersByTimeAsync(300)
    expect(onExceeded).toHaveBeenCalledTimes(1)
  })

  it('honours consecutiveSamples', async () => {
    const onExceeded = vi.fn()
    new RssWatchdog({ capBytes: 1, intervalMs: 10, consecutiveSamples: 5, sample: () => 2, onExceeded })
    await vi.advanceTimersByTimeAsync(40)
    expect(onExceeded).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(10)
    expect(onExceeded).toHaveBeenCalledTimes(1)
  })

  it('stays silent after stop(), even with a read in flight', async () => {
    const onExceeded = vi.fn()
    let release: ((value: number) => void) | undefined
    let streak = 0
    const sample = (): number | Promise<number> => {
      streak += 1
      if (streak < 2) return 150 * MB
      return new Promise<number>((resolve) => {
        release = resolve
      })
    }
    const watchdog = new RssWatchdog({ capBytes: 100 * MB, intervalMs: 100, sample, onExceeded })
    await vi.advanceTimersByTimeAsync(200)
    expect(release).toBeDefined()
    watchdog.stop()
    release?.(150 * MB)
    await vi.advanceTimersByTimeAsync(1000)
    expect(onExceeded).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('workerRssSampler', () => {
  it('falls back to the worker’s own report when there is no pid to ask the OS about', async () => {
    const sample = workerRssSampler({ pid: undefined, rssBytes: () => 42 * MB })
    expect(await sample()).toBe(42 * MB)
  })

  it.runIf(process.platform === 'linux')('asks the OS first on Linux', async () => {
    const sample = workerRssSampler({ pid: process.pid, rssBytes: () => 1 })
    expect(await sample()).toBeGreaterThan(10 * MB)
  })
})
