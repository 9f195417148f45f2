import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../../main/cli/main.js'
import { DEMO_GENERATOR_VERSION } from '../../../main/demo/index.js'
import { captureIo } from '../../fixtures/cli-io.js'


describe('mes-trace demo-run (npm run demo)', () => {
  let dir: string | undefined
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('makes the demo plant once, then traces its sample lots', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mes-trace-demo-run-'))
    const first = captureIo()
    expect(await main(['demo-run', '--data-dir', dir, '--lots', '400'], first)).toBe(0)
    expect(existsSync(join(dir, 'demo', 'plant.sqlite'))).toBe(true)
    expect(first.out).toContain('Making the demo plant at')
    expect(first.out).toMatch(/Seeds {9}5 container\(s\) from 5 input value\(s\)/)
    expect(first.out).toMatch(/ {2}history +\d+ rows {2}complete/)
    expect(first.out).toContain('Quality       complete')
    // Then the MSD analysis over the plant's whole window, with its suspects and a next step.
    expect(first.out).toMatch(/Profile {7}mid_section_defect \(backward\)/)
    expect(first.out).toMatch(/MSD backward at 測試\nDetection {5}\d+ lots, input \d+/)
    expect(first.out).toMatch(/Suspects {6}\d+ significant of \d+ factors tested \(FDR q ≤ 5%\): \d+ independent, \d+ explained by another\n {14}\d+ ranked of \d+ factors/)
    expect(first.out).toMatch(/--direction forward --station 成型 --loss-reasons 061_SHORT_MOLD --from \d{4}-\d{2}-\d{2} --to 2026-10-31/)

    const second = captureIo()
    expect(await main(['demo-run', '--data-dir', dir], second)).toBe(0)
    expect(second.out).toContain('Using the demo plant at')
    // Same plant, same samples: the same trace.
    const summary = (s: string) => s.slice(s.indexOf('Profile'), s.indexOf('Time '))
    expect(summary(second.out)).toBe(summary(first.out))

    // `demo` never replaces a file silently: it says how to.
    const again = captureIo()
    expect(await main(['demo', '--out', join(dir, 'demo', 'plant.sqlite'), '--lots', '400'], again)).toBe(1)
    expect(again.err).toContain('already exists; pass --force to replace it')

    // A plant an older generator made is made again (the data folder's demo plant is the app's own).
    const plant = join(dir, 'demo', 'plant.sqlite')
    const db = new Database(plant)
    db.prepare("UPDATE MES_TRACE_DEMO_INFO SET VALUE = '1' WHERE KEY = 'generator_version'").run()
    db.close()
    const older = captureIo()
    expect(await main(['demo-run', '--data-dir', dir, '--lots', '400'], older)).toBe(0)
    expect(older.out).toContain(`The demo plant at ${plant} was made by an older generator (1); making it again`)
    const remade = new Database(plant, { readonly: true })
    expect(remade.prepare("SELECT VALUE FROM MES_TRACE_DEMO_INFO WHERE KEY = 'generator_version'").pluck().get()).toBe(DEMO_GENERATOR_VERSION)
    remade.close()
  })
})
