/** How a job that found nothing to trace explains itself, in the page's language (job card, result view). */
import { dayOf, type JobOutcome } from '../../shared/data-window'

type Translate = (key: string, values?: Record<string, unknown>) => string

/**
 * The sentences of a `warning` outcome: why nothing was found and, for a date range, where the
 * source's data at the station is (when the result recorded it). Empty for `ok`.
 */
export function outcomeLines(outcome: JobOutcome | undefined, t: Translate): string[] {
  if (!outcome || outcome.status === 'ok') return []
  if (outcome.reason === 'inputs_unknown') return [t('app.outcome.inputsUnknown', { n: outcome.input_count })]
  const lines = [t('app.outcome.noLots', { station: outcome.station ?? '', start: outcome.start_date ?? '', end: outcome.end_date ?? '' })]
  const window = outcome.source_window
  if (window) {
    const first = dayOf(window.first)
    const last = dayOf(window.last)
    lines.push(first && last ? t('app.outcome.sourceWindow', { first, last }) : t('app.outcome.sourceEmpty'))
  }
  return lines
}
