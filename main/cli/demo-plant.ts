/** The demo plant as the commands make it: `demo` writes one, `demo-run` and `serve` keep one in the data folder. */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { invalidInput } from '../../shared/errors.js'
import { parseCalendarDate } from '../../shared/time.js'
import { DEMO_GENERATOR_VERSION, formatDemoSummary, generateDemoPlant, type DemoOptions } from '../demo/index.js'
import { openSource, parseSourceSpec } from '../sources/index.js'
import { intFlag, type Flags } from './flags.js'
import type { CliIo } from './io.js'

/** The demo generator's options from `--lots`, `--days`, `--seed`, `--end-date` and `--force`; errors name the flag. */
export function demoOptions(flags: Flags, out: string): DemoOptions {
  const endDate = flags['end-date']
  if (endDate !== undefined && !parseCalendarDate(String(endDate))) {
    throw invalidInput('--end-date', `must be a date in the form YYYY-MM-DD, got "${String(endDate)}"`)
  }
  const seed = flags.seed
  if (seed !== undefined && String(seed).trim() === '') throw invalidInput('--seed', 'must not be empty')
  const lots = intFlag(flags, 'lots', 100, 1_000_000)
  const days = intFlag(flags, 'days', 7, 730)
  return {
    out,
    ...(lots !== undefined ? { lots } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(seed !== undefined ? { seed: String(seed) } : {}),
    ...(endDate !== undefined ? { endDate: String(endDate) } : {}),
    overwrite: flags.force === true,
  }
}

/**
 * The demo plant of a data folder (`<dataDir>/demo/plant.sqlite`), made first if it is missing.
 * Returns its path.
 */
export async function ensureDemoPlant(dataDir: string, flags: Flags, io: CliIo): Promise<string> {
  const plant = join(dataDir, 'demo', 'plant.sqlite')
  const made = existsSync(plant) ? await generatorVersionOf(plant) : undefined
  if (made === DEMO_GENERATOR_VERSION) {
    io.stdout(`Using the demo plant at ${plant}\n\n`)
    return plant
  }
  await mkdir(join(dataDir, 'demo'), { recursive: true })
  // The data folder's demo plant is the app's own: one an older generator made lacks what today's
  // tour shows (e.g. the capillaries that ride along with the bad bonder), so it is made again.
  io.stdout(
    made === undefined
      ? `Making the demo plant at ${plant} …\n`
      : `The demo plant at ${plant} was made by an older generator (${made ?? 'unknown'}); making it again …\n`,
  )
  const summary = await generateDemoPlant({ ...demoOptions(flags, plant), overwrite: true, onProgress: (m) => io.stderr(`${m}\n`) })
  io.stdout(`${formatDemoSummary(summary)}\n\n`)
  return plant
}

/** The generator version a demo plant records; null when it records none or cannot be read. */
async function generatorVersionOf(plant: string): Promise<string | null> {
  try {
    const { source } = await openSource(parseSourceSpec(`sqlite:${plant}`))
    try {
      const rows = await source.all("SELECT VALUE FROM MES_TRACE_DEMO_INFO WHERE KEY = 'generator_version'", [])
      return rows.length > 0 ? String(rows[0]!.VALUE) : null
    } finally {
      await source.close()
    }
  } catch {
    return null
  }
}
