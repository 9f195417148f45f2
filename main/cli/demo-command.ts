/**
 * `mes-trace demo` (make a demo plant) and `mes-trace demo-run` (make it if missing, then trace a
 * few of its lots: the README's quick tour).
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { AppError, invalidInput, isAppError } from '../../shared/errors.js'
import { parseCalendarDate } from '../../shared/time.js'
import { formatDemoSummary, generateDemoPlant, type DemoOptions } from '../demo/index.js'
import { openSource, parseSourceSpec } from '../sources/index.js'
import { defaultDataDir } from './data-dir.js'
import type { CliIo } from './main.js'
import { runCommand } from './run-command.js'

type Flags = Record<string, string | boolean | undefined>

/** Parses a whole-number flag within bounds; the error names the flag. */
export function intFlag(flags: Flags, name: string, min: number, max: number): number | undefined {
  const raw = flags[name]
  if (raw === undefined) return undefined
  const text = String(raw).trim()
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw invalidInput(`--${name}`, `must be a whole number from ${min} to ${max}, got "${text}"`)
  }
  return Number(text)
}

function demoOptions(flags: Flags, out: string): DemoOptions {
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

/** `mes-trace demo`: writes a demo plant and prints what was made and planted. */
export async function demoCommand(flags: Flags, io: CliIo): Promise<number> {
  const out = resolve(String(flags.out ?? 'demo-plant.sqlite'))
  const options = demoOptions(flags, out)
  const summary = await generateDemoPlant({
    ...options,
    onProgress: flags.json ? undefined : (message) => io.stderr(`${message}\n`),
  }).catch((error: unknown) => {
    if (isAppError(error, 'storage/write-failed') && error.details?.exists === true) {
      throw new AppError('storage/write-failed', `${out} already exists; pass --force to replace it or --out to write elsewhere`, error.details)
    }
    throw error
  })
  io.stdout(flags.json ? `${JSON.stringify(summary)}\n` : `${formatDemoSummary(summary)}\n`)
  return 0
}

interface DemoSamples {
  lot_ids: string[]
  /** The planted downstream effect's station and reason, for the forward example. */
  forward: { station: string; reason: string } | null
  start_date: string
  end_date: string
}

async function readSamples(path: string): Promise<DemoSamples> {
  const { source } = await openSource(parseSourceSpec(path))
  try {
    const rows = await source.all("SELECT KEY, VALUE FROM MES_TRACE_DEMO_INFO WHERE KEY IN ('planted', 'start_date', 'end_date')", [])
    const info = new Map(rows.map((r) => [String(r.KEY), String(r.VALUE)]))
    const planted = JSON.parse(info.get('planted') ?? '{}') as {
      samples?: { lot_ids?: string[] }
      downstream_effect?: { detection_station?: string; loss_reason?: string }
    }
    const effect = planted.downstream_effect
    const forward = effect?.detection_station && effect.loss_reason ? { station: effect.detection_station, reason: effect.loss_reason } : null
    const lotIds = planted.samples?.lot_ids
    if (!Array.isArray(lotIds) || lotIds.length === 0) {
      throw new AppError('source/schema', `${path} has no demo samples; make it again with \`mes-trace demo --force\`.`)
    }
    return { lot_ids: lotIds, forward, start_date: info.get('start_date') ?? '', end_date: info.get('end_date') ?? '' }
  } finally {
    await source.close()
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

/** `mes-trace demo-run`: the quick tour on the embedded demo plant. */
export async function demoRunCommand(flags: Flags, io: CliIo): Promise<number> {
  const dataDir = resolve(String(flags['data-dir'] ?? defaultDataDir()))
  const plant = await ensureDemoPlant(dataDir, flags, io)
  const samples = await readSamples(plant)
  io.stdout(`Tracing lots ${samples.lot_ids.join(', ')} forward with all their events:\n\n`)
  const code = await runCommand(
    { source: `sqlite:${plant}`, profile: 'query_tool', 'lot-ids': samples.lot_ids.join(','), 'data-dir': dataDir },
    io,
  )
  if (code !== 0 || !parseCalendarDate(samples.start_date) || !parseCalendarDate(samples.end_date)) return code
  const window = `--from ${samples.start_date} --to ${samples.end_date}`
  io.stdout(
    `\nMid-section defect analysis: every lot tested at final test (測試) from ${samples.start_date} to ${samples.end_date}, ` +
      `traced back to the machines, material lots and wafer lots it passed:\n\n`,
  )
  const msd = await runCommand(
    {
      source: `sqlite:${plant}`, profile: 'mid_section_defect', station: '測試', from: samples.start_date, to: samples.end_date,
      'data-dir': dataDir,
    },
    io,
  )
  if (msd === 0) {
    io.stdout(
      `\nTry next:\n` +
        `  npx mes-trace run --source sqlite:"${plant}" --profile mid_section_defect --direction forward ` +
        `--station ${samples.forward?.station ?? '成型'}${samples.forward ? ` --loss-reasons ${samples.forward.reason}` : ''} ${window}\n` +
        `  npx mes-trace export <job id above> --format xlsx --out msd.xlsx\n`,
    )
  }
  return msd
}
