/** The demo plant as the commands make it: `demo` writes one, `demo-run` and `serve` keep one in the data folder. */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { invalidInput } from '../../shared/errors.js'
import { parseCalendarDate } from '../../shared/time.js'
import { formatDemoSummary, generateDemoPlant, type DemoOptions } from '../demo/index.js'
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
  if (!existsSync(plant)) {
    await mkdir(join(dataDir, 'demo'), { recursive: true })
    io.stdout(`Making the demo plant at ${plant} …\n`)
    const summary = await generateDemoPlant({ ...demoOptions(flags, plant), onProgress: (m) => io.stderr(`${m}\n`) })
    io.stdout(`${formatDemoSummary(summary)}\n\n`)
  } else {
    io.stdout(`Using the demo plant at ${plant}\n\n`)
  }
  return plant
}
