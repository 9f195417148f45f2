/**
 * Stage 1 of a trace: turn what the engineer typed (lot IDs, wafer lots, work orders, serials, GD
 * orders) or an MSD station + date window into seed container IDs (domain.md §2).
 *
 * SQL narrows the candidates (batched exact IN lists plus one LIKE per pattern); every token is
 * then matched again in code so that `not_found` and per-token expansion are exact on every
 * database, whatever its LIKE case rules.
 */
import { compareCodeUnits, hasOrderFamily } from '../../shared/compare.js'
import { invalidInput, throwIfCancelled } from '../../shared/errors.js'
import { MAX_SEED_MATCHES } from '../../shared/limits.js'
import { stationGroupByName, type StationGroup } from '../../shared/stations.js'
import { addDays } from '../../shared/time.js'
import { isPattern, likeToRegExp, toLikePattern, unescapeLiteral } from '../../shared/tokens.js'
import type { ContainerSeedSpec, DateRangeSeedSpec } from '../../shared/trace-request.js'
import type { ResolveType, Seed, SeedResult } from '../../shared/trace.js'
import { chunk, escapeLike, readStationWorkcenterNames, SqlParams, type MesSource, type SourceRow } from '../sources/index.js'

export interface SeedResolveOptions {
  source: MesSource
  signal?: AbortSignal
  /** Most containers the request may resolve to. @default MAX_SEED_MATCHES */
  maxMatches?: number
}

/** How one input type is looked up (domain.md §2.2). */
interface LookupRule {
  /** Column of DW_MES_CONTAINER matched against the tokens. */
  column: 'CONTAINERNAME' | 'FIRSTNAME' | 'MFGORDERNAME'
  /** Compare upper-cased (work orders and GD lot IDs are matched case-insensitively). */
  upper: boolean
  /** Only real lots (`OBJECTTYPE = 'LOT'`). */
  lotsOnly: boolean
  /** Extra row filter applied in code. */
  accept?: (row: SourceRow) => boolean
  matchSource?: Seed['match_source']
}

/**
 * A text column trimmed, or null when missing or blank: the original's `NVL(TRIM(…))`, so a
 * blank-padded name, order or serial reads as the user types it (docs/fidelity.md).
 */
const text = (value: unknown): string | null => {
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed
}

/** The lot ID shown for a seed: its container's name, else its merge record's, else the CID. */
function seedName(row: SourceRow, cid: string): string {
  return text(row.CONTAINERNAME) ?? text(row.COMBINED_NAME) ?? cid
}

const RULES: Record<Exclude<ResolveType, 'serial_number'>, LookupRule> = {
  lot_id: { column: 'CONTAINERNAME', upper: false, lotsOnly: false },
  wafer_lot: { column: 'FIRSTNAME', upper: false, lotsOnly: true },
  work_order: {
    column: 'MFGORDERNAME',
    upper: true,
    lotsOnly: false,
    accept: (row) => hasOrderFamily(text(row.MFGORDERNAME), null, 'GA') || hasOrderFamily(text(row.MFGORDERNAME), null, 'GC'),
  },
  gd_work_order: {
    column: 'MFGORDERNAME',
    upper: true,
    lotsOnly: false,
    accept: (row) => hasOrderFamily(text(row.MFGORDERNAME), null, 'GD'),
  },
  gd_lot_id: {
    column: 'CONTAINERNAME',
    upper: true,
    lotsOnly: false,
    accept: (row) => hasOrderFamily(text(row.MFGORDERNAME), text(row.CONTAINERNAME), 'GD'),
  },
}

/** Serial numbers are looked for in three places; the lower priority number wins per (token, CID). */
const SERIAL_SOURCES: readonly { priority: number; rule: LookupRule; viaCombined: boolean }[] = [
  { priority: 0, viaCombined: true, rule: { column: 'CONTAINERNAME', upper: false, lotsOnly: false, matchSource: 'finished_name' } },
  { priority: 1, viaCombined: false, rule: { column: 'CONTAINERNAME', upper: false, lotsOnly: true, matchSource: 'container_name' } },
  { priority: 2, viaCombined: false, rule: { column: 'FIRSTNAME', upper: false, lotsOnly: true, matchSource: 'first_name' } },
]

interface Match {
  token: string
  cid: string
  name: string
  priority: number
  matchSource?: Seed['match_source']
}

/** Runs the candidate queries for one rule: exact tokens in IN batches, each pattern as its own LIKE. */
async function* candidateRows(
  source: MesSource,
  tokens: readonly string[],
  rule: LookupRule,
  viaCombined: boolean,
  signal: AbortSignal | undefined,
): AsyncGenerator<SourceRow[]> {
  const { dialect } = source
  const matchExpr = viaCombined ? 'm.FINISHEDNAME' : `c.${rule.column}`
  const compared = rule.upper ? `UPPER(${matchExpr})` : matchExpr
  // A serial's source lot is the merge record's CONTAINERID whether or not the container table
  // has a row for it: the original's LEFT JOIN (docs/fidelity.md).
  const from = viaCombined
    ? `${dialect.table('DW_MES_PJ_COMBINEDASSYLOTS')} m LEFT JOIN ${dialect.table('DW_MES_CONTAINER')} c ON c.CONTAINERID = m.CONTAINERID`
    : `${dialect.table('DW_MES_CONTAINER')} c`
  const columns = viaCombined
    ? 'm.CONTAINERID, c.CONTAINERNAME, c.MFGORDERNAME, c.FIRSTNAME, c.OBJECTTYPE, m.CONTAINERNAME AS COMBINED_NAME'
    : 'c.CONTAINERID, c.CONTAINERNAME, c.MFGORDERNAME, c.FIRSTNAME, c.OBJECTTYPE'
  const select = `SELECT ${columns}, ${matchExpr} AS MATCH_VALUE FROM ${from} WHERE `
  const lotsOnly = rule.lotsOnly ? " AND c.OBJECTTYPE = 'LOT'" : ''
  const exact = tokens.filter((t) => !isPattern(t)).map((t) => (rule.upper ? unescapeLiteral(t).toUpperCase() : unescapeLiteral(t)))
  for (const batch of chunk(exact, dialect.maxInList)) {
    const params = new SqlParams(dialect)
    const sql = `${select}${compared} IN (${params.list(batch)})${lotsOnly}`
    yield* source.stream(sql, params.values, { signal })
  }
  for (const pattern of tokens.filter(isPattern)) {
    throwIfCancelled(signal)
    const params = new SqlParams(dialect)
    const like = toLikePattern(rule.upper ? pattern.toUpperCase() : pattern)
    const sql = `${select}${compared} LIKE ${params.add(like)} ESCAPE '\\'${lotsOnly}`
    yield* source.stream(sql, params.values, { signal })
  }
}

/** Matches candidate rows back to the tokens they satisfy. */
function tokenMatcher(tokens: readonly string[], upper: boolean): (value: string) => string[] {
  const exact = new Map<string, string[]>()
  const patterns: { token: string; re: RegExp }[] = []
  for (const token of tokens) {
    if (isPattern(token)) {
      patterns.push({ token, re: likeToRegExp(token, upper) })
    } else {
      const key = upper ? unescapeLiteral(token).toUpperCase() : unescapeLiteral(token)
      exact.set(key, [...(exact.get(key) ?? []), token])
    }
  }
  return (value) => {
    const hits = [...(exact.get(upper ? value.toUpperCase() : value) ?? [])]
    for (const { token, re } of patterns) if (re.test(value)) hits.push(token)
    return hits
  }
}

async function collectMatches(
  source: MesSource,
  tokens: readonly string[],
  rule: LookupRule,
  viaCombined: boolean,
  priority: number,
  options: SeedResolveOptions,
  into: Map<string, Match>,
): Promise<void> {
  const match = tokenMatcher(tokens, rule.upper)
  const maxMatches = options.maxMatches ?? MAX_SEED_MATCHES
  for await (const rows of candidateRows(source, tokens, rule, viaCombined, options.signal)) {
    for (const row of rows) {
      const cid = text(row.CONTAINERID)
      const value = text(row.MATCH_VALUE)
      if (cid === null || value === null) continue
      if (rule.accept && !rule.accept(row)) continue
      for (const token of match(value)) {
        const key = `${token}\u0000${cid}`
        const existing = into.get(key)
        if (existing && existing.priority <= priority) continue
        into.set(key, {
          token,
          cid,
          name: seedName(row, cid),
          priority,
          ...(rule.matchSource ? { matchSource: rule.matchSource } : {}),
        })
        if (into.size > maxMatches) {
          throw invalidInput('params.values', `the input matches more than ${maxMatches} containers; narrow it down`, {
            limit: maxMatches,
          })
        }
      }
    }
  }
}

function toSeedResult(tokens: readonly string[], matches: Match[], sortBy: 'input' | 'priority'): SeedResult {
  const order = new Map(tokens.map((t, i) => [t, i]))
  matches.sort((a, b) =>
    sortBy === 'priority'
      ? a.priority - b.priority || compareCodeUnits(a.name, b.name) || compareCodeUnits(a.cid, b.cid)
      : order.get(a.token)! - order.get(b.token)! || compareCodeUnits(a.name, b.name) || compareCodeUnits(a.cid, b.cid),
  )
  const expansion_info: Record<string, number> = Object.fromEntries(tokens.map((t) => [t, 0]))
  const seeds: Seed[] = []
  const seen = new Set<string>()
  for (const m of matches) {
    expansion_info[m.token] = (expansion_info[m.token] ?? 0) + 1
    if (seen.has(m.cid)) continue
    seen.add(m.cid)
    seeds.push({
      container_id: m.cid,
      container_name: m.name,
      lot_id: m.name,
      input_value: m.token,
      ...(m.matchSource ? { match_source: m.matchSource } : {}),
    })
  }
  return {
    seeds,
    seed_count: seeds.length,
    not_found: tokens.filter((t) => expansion_info[t] === 0),
    expansion_info,
    input_count: tokens.length,
  }
}

/** Resolves container tokens of any input type to seeds (domain.md §2.1–2.2). */
export async function resolveContainerSeeds(spec: ContainerSeedSpec, options: SeedResolveOptions): Promise<SeedResult> {
  const { source } = options
  const matches = new Map<string, Match>()
  if (spec.resolve_type === 'serial_number') {
    for (const s of SERIAL_SOURCES) {
      await collectMatches(source, spec.values, s.rule, s.viaCombined, s.priority, options, matches)
    }
    return toSeedResult(spec.values, [...matches.values()], 'priority')
  }
  await collectMatches(source, spec.values, RULES[spec.resolve_type], false, 0, options, matches)
  return toSeedResult(spec.values, [...matches.values()], 'input')
}

/**
 * The SQL condition "`column` is a workcenter of `group`" (domain.md §5.2): any include pattern
 * and no exclude pattern, as case-insensitive substrings, every pattern bound.
 */
export function stationFilterSql(params: SqlParams, group: StationGroup, column: string): string {
  const include = group.patterns.map((p) => `UPPER(${column}) LIKE ${params.add(`%${escapeLike(p.toUpperCase())}%`)} ESCAPE '\\'`)
  const exclude = group.excludes.map((x) => ` AND UPPER(${column}) NOT LIKE ${params.add(`%${escapeLike(x.toUpperCase())}%`)} ESCAPE '\\'`)
  return `(${include.join(' OR ')})${exclude.join('')}`
}

/**
 * MSD date-range seeds: every lot with a machine track-in at the detection station inside
 * `[start_date, end_date + 1 day)` — including lots without any reject, which are the
 * denominator of every rate (domain.md §2.3). Sorted by (lot ID, CID).
 */
export async function resolveDetectionPopulation(spec: DateRangeSeedSpec, options: SeedResolveOptions): Promise<SeedResult> {
  const { source, signal } = options
  const group = stationGroupByName(spec.station)
  if (!group) throw invalidInput('params.station', `unknown station ${JSON.stringify(spec.station)}`)
  const { dialect } = source
  // The station's workcenters by name when the source lists them cheaply: the window is then read
  // by seeks on (workcenter, track-in) instead of a pass over every workcenter's window (the
  // station's own filter still decides). Null: read with the filter alone.
  const names = await readStationWorkcenterNames(source, group, 'DW_MES_LOTWIPHISTORY', signal)
  const seeds: Seed[] = []
  const seen = new Set<string>()
  const maxMatches = options.maxMatches ?? MAX_SEED_MATCHES
  for (const batch of names === null ? [null] : chunk(names, dialect.maxInList)) {
    const params = new SqlParams(dialect)
    const byName = batch === null ? '' : `h.WORKCENTERNAME IN (${params.list(batch)}) AND `
    const stationSql = stationFilterSql(params, group, 'h.WORKCENTERNAME')
    const from = params.timestamp(`${spec.start_date} 00:00:00`)
    const to = params.timestamp(`${addDays(spec.end_date, 1)} 00:00:00`)
    const sql =
      `SELECT DISTINCT h.CONTAINERID, c.CONTAINERNAME FROM ${dialect.table('DW_MES_LOTWIPHISTORY')} h ` +
      `LEFT JOIN ${dialect.table('DW_MES_CONTAINER')} c ON c.CONTAINERID = h.CONTAINERID ` +
      `WHERE ${byName}${stationSql} ` +
      `AND h.EQUIPMENTID IS NOT NULL AND h.TRACKINTIMESTAMP >= ${from} AND h.TRACKINTIMESTAMP < ${to}`
    for await (const rows of source.stream(sql, params.values, { signal })) {
      for (const row of rows) {
        const cid = text(row.CONTAINERID)
        if (cid === null || seen.has(cid)) continue
        seen.add(cid)
        const name = seedName(row, cid)
        seeds.push({ container_id: cid, container_name: name, lot_id: name })
        if (seeds.length > maxMatches) {
          throw invalidInput('params.start_date', `the date range holds more than ${maxMatches} lots at ${spec.station}; shorten it`, {
            limit: maxMatches,
          })
        }
      }
    }
  }
  seeds.sort((a, b) => compareCodeUnits(a.lot_id, b.lot_id) || compareCodeUnits(a.container_id, b.container_id))
  return { seeds, seed_count: seeds.length, not_found: [], expansion_info: {}, input_count: 0 }
}
