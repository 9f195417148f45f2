/**
 * The 12 ordered process-station groups (workcenter groups) of the assembly/test line and the
 * substring rules that map a raw `WORKCENTERNAME` to one of them (domain.md §4.2, §5.2).
 *
 * Pure data and pure functions: used by the trace worker, the MSD analysis and the renderer.
 */

/** One process-station group. */
export interface StationGroup {
  /** Group name as the MES and the users call it, e.g. `焊接_WB`. */
  readonly name: string
  /** Position in the process flow, 0 (切割) … 11 (測試). */
  readonly order: number
  /** Substrings (case-insensitive) that put a workcenter into this group. */
  readonly patterns: readonly string[]
  /** Substrings that keep a workcenter out of this group even when a pattern matches. */
  readonly excludes: readonly string[]
  /** Label of the station picker (the first pattern, as the original showed it). */
  readonly label: string
  /** English gloss for engineers who do not read the Chinese names. */
  readonly gloss: string
}

/** Order given to a workcenter that maps to no group (e.g. `點測`). */
export const UNKNOWN_STATION_ORDER = 999

/** Group name shown for a workcenter that maps to no group. */
export const UNKNOWN_STATION_NAME = '(未知)'

/** The default MSD detection station (final test). */
export const DEFAULT_DETECTION_STATION = '測試'

/** The 12 groups in process order. */
export const STATION_GROUPS: readonly StationGroup[] = [
  { name: '切割', order: 0, patterns: ['切割'], excludes: ['元件切割', 'PKG_SAW'], label: '切割', gloss: 'wafer saw' },
  { name: '焊接_DB', order: 1, patterns: ['焊接_DB', '焊_DB_料', '焊_DB'], excludes: [], label: '焊接_DB', gloss: 'die bond' },
  { name: '焊接_WB', order: 2, patterns: ['焊接_WB', '焊_WB_料', '焊_WB'], excludes: [], label: '焊接_WB', gloss: 'wire bond' },
  { name: '焊接_DW', order: 3, patterns: ['焊接_DW', '焊_DW', '焊_DW_料'], excludes: [], label: '焊接_DW', gloss: 'DW bond' },
  { name: '成型', order: 4, patterns: ['成型', '成型_料'], excludes: [], label: '成型', gloss: 'molding' },
  { name: '去膠', order: 5, patterns: ['去膠'], excludes: [], label: '去膠', gloss: 'deflash' },
  { name: '水吹砂', order: 6, patterns: ['水吹砂'], excludes: [], label: '水吹砂', gloss: 'water blasting' },
  {
    name: '電鍍',
    order: 7,
    patterns: ['掛鍍', '滾鍍', '條鍍', '電鍍', '補鍍', 'TOTAI', 'BANDL'],
    excludes: [],
    label: '掛鍍',
    gloss: 'plating',
  },
  { name: '移印', order: 8, patterns: ['移印'], excludes: [], label: '移印', gloss: 'marking' },
  { name: '切彎腳', order: 9, patterns: ['切彎腳'], excludes: [], label: '切彎腳', gloss: 'trim & form' },
  { name: '元件切割', order: 10, patterns: ['元件切割', 'PKG_SAW'], excludes: [], label: '元件切割', gloss: 'package singulation' },
  { name: '測試', order: 11, patterns: ['TMTT', '測試'], excludes: [], label: 'TMTT', gloss: 'final test' },
]

const BY_NAME = new Map(STATION_GROUPS.map((g) => [g.name, g]))

/**
 * Evaluation order of the mapping: 元件切割 before 切割 so that "元件切割"/"PKG_SAW" never fall
 * into 切割 (the SQL CASE of the original is ordered the same way; the exclude list says the same).
 */
const MATCH_ORDER: readonly StationGroup[] = [
  BY_NAME.get('元件切割')!,
  ...STATION_GROUPS.filter((g) => g.name !== '元件切割'),
]

/** Looks a group up by its name; `undefined` when the name is not one of the 12. */
export function stationGroupByName(name: string): StationGroup | undefined {
  return BY_NAME.get(name)
}

/** True when `workcenter` belongs to `group` by its include/exclude substrings. */
export function workcenterMatchesGroup(workcenter: string, group: StationGroup): boolean {
  const upper = workcenter.toUpperCase()
  return (
    group.patterns.some((p) => upper.includes(p.toUpperCase())) &&
    !group.excludes.some((x) => upper.includes(x.toUpperCase()))
  )
}

/** Upper case of ASCII letters only, as SQLite's `UPPER` does. */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (s) => s.toUpperCase())
}

/**
 * Whether a workcenter name can belong to `group` under any database's upper-casing (SQLite's
 * ASCII-only `UPPER`, the servers' Unicode one): a superset of the names the station's SQL filter
 * keeps, so a query may narrow to these names by index and still apply that filter itself.
 */
export function mayMatchGroup(workcenter: string, group: StationGroup): boolean {
  const ascii = asciiUpper(workcenter)
  const full = workcenter.toUpperCase()
  // SQLite compares UPPER(name) with the pattern upper-cased here, case-blind on ASCII only.
  return group.patterns.some((p) => ascii.includes(p.toUpperCase()) || full.includes(p.toUpperCase()))
}

/**
 * Maps a raw workcenter name to its group, or `null` when no group matches (e.g. `點測`) or the
 * name is empty.
 */
export function stationGroupOf(workcenter: string | null | undefined): StationGroup | null {
  if (!workcenter) return null
  for (const group of MATCH_ORDER) {
    if (workcenterMatchesGroup(workcenter, group)) return group
  }
  return null
}

/** Order of a group name; {@link UNKNOWN_STATION_ORDER} for anything that is not one of the 12. */
export function stationOrder(groupName: string | null | undefined): number {
  if (!groupName) return UNKNOWN_STATION_ORDER
  return BY_NAME.get(groupName)?.order ?? UNKNOWN_STATION_ORDER
}
