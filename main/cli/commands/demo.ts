/** `mes-trace demo`: make a demo plant (a SQLite MES source) and say what was made and planted. */
import { resolve } from 'node:path'
import { AppError, isAppError } from '../../../shared/errors.js'
import { formatDemoSummary, generateDemoPlant } from '../../demo/index.js'
import type { Command } from '../command.js'
import { demoOptions } from '../demo-plant.js'
import { SWITCH_FLAG, VALUE_FLAG } from '../flags.js'
import { printJson, printLine } from '../io.js'

/** `mes-trace demo`. */
export const demoCommand: Command = {
  summary: 'Make a demo plant (a SQLite MES source)',
  options: { out: VALUE_FLAG, lots: VALUE_FLAG, seed: VALUE_FLAG, days: VALUE_FLAG, 'end-date': VALUE_FLAG, force: SWITCH_FLAG, json: SWITCH_FLAG },
  usage: [
    '--out FILE        where to write it (default demo-plant.sqlite)',
    '--lots N          lots to make (default 20000)',
    '--seed S          random seed (default mes-trace); same seed → same data',
    '--days N          days of production (default 60), ending --end-date (default 2026-10-31)',
    '--force           overwrite an existing file',
    '--json            print the summary as JSON',
  ],
  async run({ flags }, io) {
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
    if (flags.json) printJson(io, summary)
    else printLine(io, formatDemoSummary(summary))
    return 0
  },
}
