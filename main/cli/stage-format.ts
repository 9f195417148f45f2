/**
 * The stage times of a job as `show` prints them: one line per stage, its milliseconds and its
 * share of the total, the parts of `events` and `analysis` indented under them.
 */
import { stageLines, type StageTimings } from '../../shared/stage-timings.js'
import { formatTable } from './job-format.js'

/** The stage-time table of `timings` (a heading line, then the table indented by two spaces). */
export function formatStageTimes(timings: StageTimings): string {
  const rows = stageLines(timings).map((line) => {
    // A part is named without its parent's prefix, under it: `history.fetch` under `events`.
    const name = line.depth === 0 ? line.stage : `  ${line.stage.slice(line.stage.indexOf('.') + 1)}`
    return [name, line.ms.toFixed(1), line.stage === 'total' ? '' : `${(line.share * 100).toFixed(1)} %`]
  })
  const table = formatTable(['stage', 'ms', 'share'], rows, new Set([1, 2]))
  return ['Stage times', ...table.split('\n').map((l) => `  ${l}`)].join('\n')
}
