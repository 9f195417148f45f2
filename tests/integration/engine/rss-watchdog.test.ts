import { afterEach, describe, expect, it } from 'vitest'
import { NodeWorkerHost, RssWatchdog, workerExitError, workerRssSampler, type WorkerHandle } from '../../../main/engine/index.js'
import { SpawnTracker, fixtureOptions, startMessage, whenExited } from './worker-kit.js'

const MB = 1024 * 1024
/** Well above an idle Node process (~40–60 MB), well below big-rss's 256 MB of Buffers. */
const CAP_BYTES = 160 * MB

const tracker = new SpawnTracker(new NodeWorkerHost())
let watchdog: RssWatchdog | undefined

afterEach(async () => {
  watchdog?.stop()
  watchdog = undefined
  await tracker.cleanUp()
})

/** Starts a watchdog that kills the worker as the engine does, and resolves with the RSS that tripped it. */
function guard(handle: WorkerHandle, sample: () => number | undefined | Promise<number | undefined>): Promise<number> {
  return new Promise((resolve) => {
    watchdog = new RssWatchdog({
      capBytes: CAP_BYTES,
      intervalMs: 50,
      sample,
      onExceeded: (rss) => {
        handle.kill('memory-limit')
        resolve(rss)
      },
    })
  })
}

describe('RssWatchdog with a real worker', () => {
  it('fires for a worker growing its RSS outside the V8 heap, and the exit says memory-limit', async () => {
    // A 128 MB heap cap cannot stop this worker: its memory is Buffers, so only the watchdog can.
    const handle = await tracker.spawn(fixtureOptions('big-rss', { env: { BIG_RSS_MB: '256' } }))
    const tripped = guard(handle, workerRssSampler(handle))
    const exited = whenExited(handle)
    handle.send(startMessage())
    expect(await tripped).toBeGreaterThan(CAP_BYTES)
    const exit = await exited
    expect(exit).toMatchObject({ reason: 'memory-limit', signal: 'SIGKILL' })
    expect(workerExitError(exit).code).toBe('worker/memory-limit')
  })

  it('fires from the handle’s own rssBytes() too', async () => {
    const handle = await tracker.spawn(fixtureOptions('big-rss', { env: { BIG_RSS_MB: '256' } }))
    const tripped = guard(handle, () => handle.rssBytes())
    handle.send(startMessage())
    expect(await tripped).toBeGreaterThan(CAP_BYTES)
  })

  it('stays quiet for a worker within its cap', async () => {
    const handle = await tracker.spawn(fixtureOptions('slow', { env: { SLOW_FIXTURE_SECONDS: '0.8' } }))
    let samples = 0
    const sampler = workerRssSampler(handle)
    let hasFired = false
    void guard(handle, async () => {
      samples += 1
      return sampler()
    }).then(() => {
      hasFired = true
    })
    const exited = whenExited(handle)
    handle.send(startMessage())
    const exit = await exited
    expect(exit.reason).toBe('exited')
    expect(samples).toBeGreaterThanOrEqual(8)
    expect(hasFired).toBe(false)
  })
})
