import { describe, expect, it } from 'vitest'
import { CAN_READ_RSS_FROM_OS, parseVmRssBytes, readRssBytes, readRssBytesSync } from '../../../main/engine/index.js'

describe('parseVmRssBytes', () => {
  it('reads the VmRSS line in bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t  999999 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 30000 kB\n'
    expect(parseVmRssBytes(status)).toBe(51200 * 1024)
  })

  it('answers undefined when the line is missing (a zombie has none)', () => {
    expect(parseVmRssBytes('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined()
  })
})

describe.runIf(CAN_READ_RSS_FROM_OS)('readRssBytes on Linux', () => {
  it('reads this process’s RSS from /proc, close to what Node itself reports', async () => {
    const own = process.memoryUsage.rss()
    const [fromAsync, fromSync] = [await readRssBytes(process.pid), readRssBytesSync(process.pid)]
    expect(fromAsync).toBeGreaterThan(own / 2)
    expect(fromAsync).toBeLessThan(own * 2)
    expect(fromSync).toBeGreaterThan(own / 2)
  })

  it('answers undefined for a pid that does not exist', async () => {
    expect(await readRssBytes(2 ** 22 + 12345)).toBeUndefined()
    expect(readRssBytesSync(2 ** 22 + 12345)).toBeUndefined()
  })
})
