/**
 * What turns a ranked list into a named cause: for the significant suspects, when their lots
 * started to fail (onset) and which of them only ride along with another (explain-away); and the
 * daily time view of the ranked machines and materials. Runs on the analysis's factor tables
 * (`temp.msd_lot_machine`, `temp.msd_lot_material`, `temp.msd_lot_root`) with the lots held as
 * dense indexes, so a pair of suspects costs the size of the smaller lot set, not of the plant.
 */
import { compareCodeUnits } from '../../shared/compare.js'
import {
  MSD_EXPLAIN_ALPHA,
  MSD_MIN_SUSPECT_LOTS,
  MSD_ONSET_ALPHA,
  roundTo,
  type Suspect,
  type SuspectRef,
  type SuspectTimeline,
  type SuspectTimelineDay,
} from '../../shared/msd.js'
import {
  benjaminiHochberg,
  cochranMantelHaenszel,
  fisherExact,
  fnv1a,
  proportionChangePoint,
  type ChangePointResult,
  type CountGroup,
  type TwoByTwo,
} from '../../shared/statistics.js'
import type { SqliteDatabase } from '../store/index.js'

/** Where a factor's lots are in the factor tables. */
export type FactorKey =
  | { kind: 'machine'; grp: string; name: string; id: string }
  | { kind: 'material'; part: string; lot: string }
  | { kind: 'wafer_root'; root: string }

/** A machine's or material's key: factors whose lots have times. */
type TimedFactorKey = Exclude<FactorKey, { kind: 'wafer_root' }>

/**
 * Significant suspects the explain-away compares pairwise (in list order): beyond this many the
 * rest keep `explained_by` null and say nothing was tested (their conditional p stays null).
 */
export const MSD_EXPLAIN_MAX_SUSPECTS = 60

/**
 * Relabellings of the onset's permutation test: enough for p-values down to 2e-4, which the
 * Benjamini–Hochberg step over up to {@link MSD_EXPLAIN_MAX_SUSPECTS} onsets needs. Cheap: one
 * relabelling costs the smaller of the failed and passed lots, and a change that is not there
 * stops after 20 as extreme (Besag & Clifford).
 */
const ONSET_PERMUTATIONS = 4999

/** Most other suspects a suspect is conditioned on at once (phase 2 of the explain-away). */
const MAX_JOINT_CONDITIONS = 30

/** A factor's lots: dense lot indexes, and for machines and materials the day each passed it. */
interface FactorLots {
  lots: Int32Array
  /**
   * The day of each lot (same order as `lots`) as a day code of the reader ({@link FactorReader.dayName},
   * 0: no time); null for wafer roots. The analysis looks at days only: a time string per lot and
   * factor was most of its heap (568 286 of them, 22 MB at 120 000 lots), and a reference per lot
   * to a shared day string still 8 bytes per lot of every population (a population can be every lot).
   */
  days: Int32Array | null
}

/**
 * The detection lots by their row number in `temp.msd_lot` (1..n, the `lot_no` the factor tables
 * carry), with their defect flags.
 */
class LotIndex {
  readonly defective: Uint8Array
  readonly size: number

  constructor(db: SqliteDatabase) {
    this.size = (db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM temp.msd_lot').pluck().get() as number) + 1
    this.defective = new Uint8Array(this.size)
    for (const [lot, bad] of db.prepare('SELECT rowid, defect_qty > 0 FROM temp.msd_lot').raw().iterate() as IterableIterator<[number, number]>) {
      this.defective[lot] = bad
    }
  }
}

/** Whether `time` is earlier than a lot's first time so far (`first`): a lot's first time counts, a missing one never wins. */
function isEarlier(time: string | null, first: string | null): boolean {
  return time !== null && (first === null || time < first)
}

/**
 * Lots from rows of `[lot_no, time]` (a lot may come more than once: its first time counts). When
 * `timed`, ordered by time then lot, with the day of each lot's time (`dayOf` gives the day of a
 * time); else by lot. `scratch` has a slot per lot number, all undefined, and is left so.
 */
function collectLots(
  rows: Iterable<[number, string | null]>,
  scratch: (string | null | undefined)[],
  timed: boolean,
  dayOf: (time: string) => number,
): FactorLots {
  const lots: number[] = []
  for (const [lot, t] of rows) {
    const seen = scratch[lot]
    if (seen === undefined) lots.push(lot)
    if (seen === undefined || isEarlier(t, seen)) scratch[lot] = t
  }
  if (timed) lots.sort((a, b) => compareCodeUnits(scratch[a] ?? '', scratch[b] ?? '') || a - b)
  else lots.sort((a, b) => a - b)
  const days = timed ? Int32Array.from(lots, (lot) => (scratch[lot] === null ? 0 : dayOf(scratch[lot]!))) : null
  for (const lot of lots) scratch[lot] = undefined
  return { lots: Int32Array.from(lots), days }
}

/** The populations' memo key: a machine's station group, a material's part, or every lot. */
function populationMemo(key: FactorKey): string {
  return JSON.stringify(key.kind === 'wafer_root' ? [key.kind] : [key.kind, key.kind === 'machine' ? key.grp : key.part])
}

/** A machine's or material's population, as rows of `lot_no` (and `t` when `timed`). */
function populationSql(key: TimedFactorKey, timed = false): string {
  const columns = timed ? 'f.lot_no, f.t' : 'f.lot_no'
  return key.kind === 'machine'
    ? `SELECT ${columns} FROM temp.msd_machine k JOIN temp.msd_lot_machine f ON f.f = k.f WHERE k.grp = ?`
    : `SELECT ${columns} FROM temp.msd_material k JOIN temp.msd_lot_material f ON f.m = k.m WHERE k.part = ?`
}

function populationParam(key: TimedFactorKey): string {
  return key.kind === 'machine' ? key.grp : key.part
}

/**
 * Reads lot sets from the factor tables (their covering indexes), memoizing the populations:
 * many factors share one station group or part. One reader serves the explain-away and the time
 * views.
 */
export class FactorReader {
  private readonly populationSets = new Map<string, LotSet>()
  private readonly populationDays = new Map<string, Int32Array>()
  private readonly factors = new Map<string, FactorLots>()

  readonly index: LotIndex
  private readonly scratch: (string | null | undefined)[]
  /** Day (`YYYY-MM-DD`) → day code, and back (code 0: no time). */
  private readonly dayCodes = new Map<string, number>()
  private readonly dayNames: (string | null)[] = [null]
  private readonly dayOf = (time: string): number => {
    const date = time.slice(0, 10)
    let code = this.dayCodes.get(date)
    if (code === undefined) {
      code = this.dayNames.length
      this.dayCodes.set(date, code)
      this.dayNames.push(date)
    }
    return code
  }

  /** The day (`YYYY-MM-DD`) of a day code of this reader's lot sets; null for code 0 (no time). */
  dayName(code: number): string | null {
    return this.dayNames[code] ?? null
  }

  /** Reads the factor tables of `db` (made by the backward analysis, still open). */
  constructor(private readonly db: SqliteDatabase) {
    this.index = new LotIndex(db)
    this.scratch = new Array<string | null | undefined>(this.index.size)
  }

  /** A factor's lots, in the order they passed it; read once (the onset, the explain-away and the time view all ask). */
  lotsOf(key: FactorKey): FactorLots {
    const memo = JSON.stringify(key)
    let lots = this.factors.get(memo)
    if (!lots) {
      lots = this.readFactor(key)
      this.factors.set(memo, lots)
    }
    return lots
  }

  private readFactor(key: FactorKey): FactorLots {
    switch (key.kind) {
      case 'machine':
        return this.read(
          'SELECT f.lot_no, f.t FROM temp.msd_machine k JOIN temp.msd_lot_machine f ON f.f = k.f WHERE k.grp = ? AND k.name = ? AND k.id = ?',
          [key.grp, key.name, key.id],
          true,
        )
      case 'material':
        return this.read('SELECT f.lot_no, f.t FROM temp.msd_material k JOIN temp.msd_lot_material f ON f.m = k.m WHERE k.part = ? AND k.lot = ?', [key.part, key.lot], true)
      case 'wafer_root':
        return this.read('SELECT l.rowid, NULL FROM temp.msd_lot_root r JOIN temp.msd_lot l ON l.cid = r.cid WHERE r.root = ?', [key.root], false)
    }
  }

  /** The lots the factor is contrasted with (itself included): what the explain-away counts over. */
  populationSetOf(key: FactorKey): LotSet {
    const memo = populationMemo(key)
    let set = this.populationSets.get(memo)
    if (!set) {
      const rows =
        key.kind === 'wafer_root'
          ? this.db.prepare('SELECT rowid FROM temp.msd_lot').pluck().iterate()
          : this.db.prepare(populationSql(key)).pluck().iterate(populationParam(key))
      set = new LotSet(this.index.size, rows as IterableIterator<number>)
      this.populationSets.set(memo, set)
    }
    return set
  }

  /**
   * Per lot number, whether the lot is in the factor's population and the day it first passed the
   * station group or consumed the part: 0 when not in it, else the day code + 1 (code 0: no time).
   * A machine's or material's; one array per lot, not the population's lots and days in lists
   * (each population was up to every lot twice over, all of them held through the explain-away).
   */
  populationDaysOf(key: TimedFactorKey): Int32Array {
    const memo = populationMemo(key)
    let days = this.populationDays.get(memo)
    if (!days) {
      days = new Int32Array(this.index.size)
      // A lot's first time counts and a missing one never wins: its day is the earliest day of its
      // times, compared as dates (`YYYY-MM-DD`), whatever order the rows come in.
      for (const [lot, t] of this.db.prepare(populationSql(key, true)).raw().iterate(populationParam(key)) as IterableIterator<[number, string | null]>) {
        const code = t === null ? 0 : this.dayOf(t)
        const seen = days[lot]! - 1
        if (seen < 0 || (code !== 0 && (seen === 0 || this.dayNames[code]! < this.dayNames[seen]!))) days[lot] = code + 1
      }
      this.populationDays.set(memo, days)
    }
    return days
  }

  private read(sql: string, params: string[], timed: boolean): FactorLots {
    return collectLots(this.db.prepare(sql).raw().iterate(...params) as IterableIterator<[number, string | null]>, this.scratch, timed, this.dayOf)
  }
}

/** A factor's lots grouped by the day they passed it, in time order. */
function byDay(lots: FactorLots, defective: Uint8Array, dayName: (code: number) => string | null): { date: string; group: CountGroup }[] {
  const days: { date: string; group: CountGroup }[] = []
  lots.lots.forEach((lot, k) => {
    const date = dayName(lots.days![k]!) ?? ''
    let last = days[days.length - 1]
    if (!last || last.date !== date) days.push((last = { date, group: { n: 0, x: 0 } }))
    last.group.n++
    last.group.x += defective[lot]!
  })
  return days
}

/** Percent with 4 decimals of a proportion x/n. */
function pct(group: CountGroup): number {
  return group.n > 0 ? roundTo((group.x / group.n) * 100, 4) : 0
}

/** A factor's change point: its days and the test's result. */
interface OnsetTest {
  suspect: Suspect
  days: { date: string; group: CountGroup }[]
  result: ChangePointResult
}

/**
 * The change point of a machine's or material's lots, in the order they passed the factor, with
 * changes only between days (an onset is a date).
 */
function testOnset(suspect: Suspect, lots: FactorLots, reader: FactorReader): OnsetTest {
  const days = byDay(lots, reader.index.defective, (code) => reader.dayName(code)).filter((d) => d.date !== '')
  const result = proportionChangePoint(
    days.map((d) => d.group),
    { minSize: MSD_MIN_SUSPECT_LOTS, permutations: ONSET_PERMUTATIONS, seed: fnv1a(`${suspect.factor_type}\u0000${suspect.station}\u0000${suspect.name}`) },
  )
  suspect.onset_p_value = result.pValue
  return { suspect, days, result }
}

/**
 * Gives an onset to the factors whose lots started to fail: a rise that is significant once the
 * tests of every factor are paid for (Benjamini–Hochberg over the change points' p-values at
 * {@link MSD_ONSET_ALPHA}), from a rate no worse than the rest of the factor's population (a
 * factor already failing before its change was bad from the start, and has no onset). The onset is
 * the first day after the change; the rates are the defective-lot rates either side.
 */
function applyOnsets(tests: readonly OnsetTest[]): void {
  const tested = tests.filter((t) => t.result.pValue !== null)
  const q = benjaminiHochberg(tested.map((t) => t.result.pValue!))
  tested.forEach((t, i) => {
    if (q[i]! > MSD_ONSET_ALPHA) return
    const { before } = t.result
    const rest = { defective: t.suspect.baseline_defective_lots, lots: t.suspect.baseline_lots }
    const alreadyBad = fisherExact({ a: before.x, b: before.n - before.x, c: rest.defective, d: rest.lots - rest.defective }).greater
    if (alreadyBad <= MSD_ONSET_ALPHA) return
    t.suspect.onset = t.days[t.result.index!]!.date
    t.suspect.rate_before_onset = pct(t.result.before)
    t.suspect.rate_after_onset = pct(t.result.after)
  })
}

/**
 * Lot indexes as one bit each. A byte per lot for each factor, its population and its effect took
 * the lot count times up to 180 bytes (16 MB at 240 000 lots).
 */
class LotSet {
  private readonly bits: Uint32Array
  constructor(size: number, lots: Iterable<number>) {
    this.bits = new Uint32Array((size + 31) >>> 5)
    for (const lot of lots) this.bits[lot >>> 5]! |= 1 << (lot & 31)
  }
  has(lot: number): boolean {
    return (this.bits[lot >>> 5]! & (1 << (lot & 31))) !== 0
  }
  /** Calls `fn` with each lot of the set, in ascending order. */
  forEach(fn: (lot: number) => void): void {
    const bits = this.bits
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w]!
      while (word !== 0) {
        const low = word & -word
        fn(w * 32 + 31 - Math.clz32(low))
        word ^= low
      }
    }
  }
}

/** What the explain-away keeps per significant suspect. */
interface Candidate {
  suspect: Suspect
  key: FactorKey
  lots: FactorLots
  /** Membership of the factor's lots and of its population, by lot index. */
  member: LotSet
  population: LotSet
  /** The lots its effect is carried by: those after its onset when it has one, else all. */
  effect: Int32Array
  effectMember: LotSet
  /** The factor's contrast over its whole population (touched × defective). */
  table: TwoByTwo
}

function candidateOf(suspect: Suspect, key: FactorKey, reader: FactorReader): Candidate {
  const { index } = reader
  const lots = reader.lotsOf(key)
  const population = reader.populationSetOf(key)
  const member = new LotSet(index.size, lots.lots)
  let effect = lots.lots
  if (suspect.onset !== null && lots.days) {
    const onset = suspect.onset
    const first = lots.days.findIndex((code) => code !== 0 && reader.dayName(code)! >= onset)
    effect = first < 0 ? new Int32Array(0) : lots.lots.slice(first)
  }
  const effectMember = new LotSet(index.size, effect)
  const table: TwoByTwo = { a: 0, b: 0, c: 0, d: 0 }
  population.forEach((lot) => count(table, member.has(lot), index.defective[lot] === 1))
  return { suspect, key, lots, member, population, effect, effectMember, table }
}

/**
 * One-sided p-value of A's elevation given B: A's contrast within its population, stratified by
 * whether a lot carries B's effect (Cochran–Mantel–Haenszel with continuity correction). Null when
 * neither stratum has a contrast to test.
 */
function conditionalP(a: Candidate, b: Candidate, defective: Uint8Array): number | null {
  const inside: TwoByTwo = { a: 0, b: 0, c: 0, d: 0 }
  for (const lot of b.effect) {
    if (!a.population.has(lot)) continue
    count(inside, a.member.has(lot), defective[lot] === 1)
  }
  const outside: TwoByTwo = { a: a.table.a - inside.a, b: a.table.b - inside.b, c: a.table.c - inside.c, d: a.table.d - inside.d }
  const cmh = cochranMantelHaenszel([inside, outside], { correct: true })
  return cmh.informativeStrata === 0 ? null : cmh.greater
}

/** Counts a lot into a contrast table: touched or not × defective or not. */
function count(table: TwoByTwo, touched: boolean, bad: boolean): void {
  if (touched) {
    if (bad) table.a++
    else table.b++
  } else if (bad) table.c++
  else table.d++
}

/** Whether two factors have a lot in common. */
function shareLots(a: Candidate, b: Candidate): boolean {
  const [small, large] = a.lots.lots.length <= b.lots.lots.length ? [a, b] : [b, a]
  for (const lot of small.lots.lots) if (large.member.has(lot)) return true
  return false
}

const TYPE_ORDER: Readonly<Record<Suspect['factor_type'], number>> = { machine: 0, material: 1, wafer_root: 2 }

/**
 * When neither of two factors stays elevated given the other, the data cannot tell them apart:
 * the one with more lots (the broader factor, e.g. a machine over a tool used only in its bad
 * period) is taken to explain the other; then machines before materials before wafer roots, then
 * by name. Never by marginal rank.
 */
function broader(a: Candidate, b: Candidate): boolean {
  return (
    a.lots.lots.length - b.lots.lots.length ||
    TYPE_ORDER[b.suspect.factor_type] - TYPE_ORDER[a.suspect.factor_type] ||
    compareCodeUnits(b.suspect.name, a.suspect.name) ||
    compareCodeUnits(b.suspect.station ?? '', a.suspect.station ?? '')
  ) > 0
}

function refOf(s: Suspect): SuspectRef {
  return { factor_type: s.factor_type, name: s.name, station: s.station }
}

/**
 * One-sided p-value of A's elevation given several others at once: A's contrast within its
 * population, stratified by which of the others' effects each lot carries (CMH). Null when no
 * stratum has a contrast.
 */
function jointConditionalP(a: Candidate, others: readonly Candidate[], defective: Uint8Array): number | null {
  const strata = new Map<number, TwoByTwo>()
  a.population.forEach((lot) => {
    let key = 0
    others.forEach((o, k) => {
      if (o.effectMember.has(lot)) key |= 1 << k
    })
    let table = strata.get(key)
    if (!table) strata.set(key, (table = { a: 0, b: 0, c: 0, d: 0 }))
    count(table, a.member.has(lot), defective[lot] === 1)
  })
  const cmh = cochranMantelHaenszel([...strata.values()], { correct: true })
  return cmh.informativeStrata === 0 ? null : cmh.greater
}

/**
 * Onset and explain-away of the significant suspects (at most {@link MSD_EXPLAIN_MAX_SUSPECTS}, in
 * list order).
 *
 * 1. Onsets: a change point per machine and material, kept when significant over all of them.
 * 2. Pairs: for every two suspects that share lots, each is tested given the other's effect (its
 *    lots after its onset, else all its lots). A is explained by B when A's conditional p is above
 *    {@link MSD_EXPLAIN_ALPHA} while B's given A is not — or when neither survives the other and B
 *    is {@link broader}. The verdict is symmetric in A and B, so it does not depend on which ranks
 *    first; a tool used only in a machine's bad period is explained by the machine even when its
 *    own lift is higher. Among several such B, the one given which A looks least elevated wins.
 * 3. Together: a factor that survived every pair can still ride along with several at once (a
 *    material lot consumed both by the bad machine's lots and by the bad material's). Each is
 *    tested given all the other survivors it shares lots with, jointly; one that is no longer
 *    elevated is explained by the survivor given which it looked least elevated alone.
 */
export function explainSuspects(reader: FactorReader, suspects: readonly Suspect[], keys: ReadonlyMap<Suspect, FactorKey>): void {
  const index = reader.index
  const significant = suspects.filter((s) => s.significant && keys.has(s)).slice(0, MSD_EXPLAIN_MAX_SUSPECTS)
  const onsets: OnsetTest[] = []
  for (const s of significant) {
    const key = keys.get(s)!
    if (key.kind !== 'wafer_root') onsets.push(testOnset(s, reader.lotsOf(key), reader))
  }
  applyOnsets(onsets)
  const candidates = significant.map((s) => candidateOf(s, keys.get(s)!, reader))
  const n = candidates.length
  const defective = index.defective

  // 2. Pairs. p[i][j]: candidate i given candidate j (undefined: no shared lots).
  const p: (number | null | undefined)[][] = candidates.map(() => new Array<number | null | undefined>(n))
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!shareLots(candidates[i]!, candidates[j]!)) continue
      p[i]![j] = conditionalP(candidates[i]!, candidates[j]!, defective)
      p[j]![i] = conditionalP(candidates[j]!, candidates[i]!, defective)
    }
  }
  const survives = (x: number | null | undefined): boolean => x !== null && x !== undefined && x <= MSD_EXPLAIN_ALPHA
  const worstOf = (i: number, among: (j: number) => boolean): number => {
    let best = -1
    for (let j = 0; j < n; j++) {
      const given = p[i]![j]
      if (j === i || given === undefined || given === null || !among(j)) continue
      if (best < 0 || given > p[i]![best]!) best = j
    }
    return best
  }
  const explains = (j: number, i: number): boolean => {
    const given = p[i]![j]
    const reverse = p[j]![i]
    if (given === undefined || given === null || survives(given) || reverse === undefined) return false
    return survives(reverse) || (reverse !== null && broader(candidates[j]!, candidates[i]!))
  }
  const explainer = new Int32Array(n).fill(-1)
  for (let i = 0; i < n; i++) explainer[i] = worstOf(i, (j) => explains(j, i))

  // 3. Together, among the pairwise survivors.
  const survivors = candidates.map((_, i) => i).filter((i) => explainer[i]! < 0)
  const joint = new Map<number, number | null>()
  for (const i of survivors) {
    const others = survivors.filter((j) => j !== i && p[i]![j] !== undefined).slice(0, MAX_JOINT_CONDITIONS)
    if (others.length < 2) continue
    const given = jointConditionalP(candidates[i]!, others.map((j) => candidates[j]!), defective)
    joint.set(i, given)
    if (given !== null && !survives(given)) explainer[i] = worstOf(i, (j) => others.includes(j))
  }

  // Name an explainer that is itself independent when one qualifies, rather than a chain.
  for (let i = 0; i < n; i++) {
    if (explainer[i]! < 0 || explainer[explainer[i]!]! < 0 || joint.has(i)) continue
    const independent = worstOf(i, (j) => explainer[j]! < 0 && explains(j, i))
    if (independent >= 0) explainer[i] = independent
  }

  for (let i = 0; i < n; i++) {
    const a = candidates[i]!.suspect
    const by = explainer[i]!
    if (by >= 0) {
      a.explained_by = refOf(candidates[by]!.suspect)
      a.conditional_p_value = joint.has(i) && !survives(joint.get(i)) ? joint.get(i)! : p[i]![by]!
    } else {
      // What it was tested against: the others it shares lots with, except those it explains.
      const worst = worstOf(i, (j) => explainer[j] !== i)
      const jointP = joint.get(i)
      const pair = worst >= 0 ? p[i]![worst]! : null
      a.conditional_p_value = jointP !== undefined && jointP !== null ? Math.max(jointP, pair ?? 0) : pair
    }
  }
}

/** Time views of the ranked machines and materials among `suspects`. */
export function suspectTimelines(reader: FactorReader, suspects: readonly Suspect[], keys: ReadonlyMap<Suspect, FactorKey>): SuspectTimeline[] {
  const index = reader.index
  const timelines: SuspectTimeline[] = []
  for (const suspect of suspects) {
    const key = keys.get(suspect)
    if (suspect.rank === null || !key || key.kind === 'wafer_root') continue
    const lots = reader.lotsOf(key)
    const member = new LotSet(index.size, lots.lots)
    const days = new Map<string, SuspectTimelineDay>()
    const dayOf = (date: string | null): SuspectTimelineDay | null => {
      if (!date) return null
      let day = days.get(date)
      if (!day) days.set(date, (day = { date, lots: 0, defective_lots: 0, rest_lots: 0, rest_defective_lots: 0 }))
      return day
    }
    lots.lots.forEach((lot, k) => {
      const day = dayOf(reader.dayName(lots.days![k]!))
      if (!day) return
      day.lots++
      day.defective_lots += index.defective[lot]!
    })
    reader.populationDaysOf(key).forEach((entry, lot) => {
      if (entry === 0 || member.has(lot)) return
      const day = dayOf(reader.dayName(entry - 1))
      if (!day) return
      day.rest_lots++
      day.rest_defective_lots += index.defective[lot]!
    })
    timelines.push({ ...refOf(suspect), days: [...days.values()].sort((a, b) => compareCodeUnits(a.date, b.date)) })
  }
  return timelines
}
