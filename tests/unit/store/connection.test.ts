import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openConnection, RESULT_WRITER_CACHE_KIB } from '../../../main/store/connection.js'

describe('result writer connection', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('bounds the page cache of the file and of its temp tables alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mes-trace-connection-'))
    dirs.push(dir)
    const db = openConnection(join(dir, 'result.sqlite.partial'), 'result-writer')
    try {
      // A temp table as the MSD analysis makes them: the temp database keeps the writer's bound.
      db.exec('CREATE TEMP TABLE msd_probe (x)')
      expect(db.pragma('cache_size', { simple: true })).toBe(-RESULT_WRITER_CACHE_KIB)
      expect(db.pragma('temp.cache_size', { simple: true })).toBe(-RESULT_WRITER_CACHE_KIB)
      // SQLite's own default (16 MB here) would let each cache grow four times as large.
      expect(RESULT_WRITER_CACHE_KIB).toBeLessThan(16_000)
    } finally {
      db.close()
    }
  })
})
