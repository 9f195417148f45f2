/** `mes-trace demo-run`: make the demo plant if missing, then trace a few of its lots (the README's quick tour). */
import { resolve } from 'node:path'
import { AppError } from '../../../shared/errors.js'
import { parseCalendarDate } from '../../../shared/time.js'
import { openSource, parseSourceSpec } from '../../sources/index.js'
import type { Command } from '../command.js'
import { defaultDataDir } from '../data-dir.js'
import { ensureDemoPlant } from '../demo-plant.js'
import { VALUE_FLAG } from '../flags.js'
import { runTrace } from './run.js'

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

/** `mes-trace demo-run`. */
export const demoRunCommand: Command = {
  summary: 'Make the demo plant if missing and trace a few of its lots (the quick tour)',
  options: { 'data-dir': VALUE_FLAG, lots: VALUE_FLAG },
  usage: ["--data-dir DIR    where the demo plant is kept (default: the app's data folder)"],
  async run({ flags }, io) {
    const dataDir = resolve(String(flags['data-dir'] ?? defaultDataDir()))
    const plant = await ensureDemoPlant(dataDir, flags, io)
    const samples = await readSamples(plant)
    io.stdout(`Tracing lots ${samples.lot_ids.join(', ')} forward with all their events:\n\n`)
    const code = await runTrace({ source: `sqlite:${plant}`, profile: 'query_tool', 'lot-ids': samples.lot_ids.join(','), 'data-dir': dataDir }, io)
    if (code !== 0 || !parseCalendarDate(samples.start_date) || !parseCalendarDate(samples.end_date)) return code
    const window = `--from ${samples.start_date} --to ${samples.end_date}`
    io.stdout(
      `\nMid-section defect analysis: every lot tested at final test (測試) from ${samples.start_date} to ${samples.end_date}, ` +
        `traced back to the machines, material lots and wafer lots it passed:\n\n`,
    )
    const msd = await runTrace(
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
  },
}
