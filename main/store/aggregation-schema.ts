/**
 * The shape of the MSD aggregation a result file stores (`json_parts.aggregation`), checked when it
 * is read: a result file may come from another machine, so the JSON is only an `MsdAggregation`
 * once it has been seen to be one. The schema is tied to the type (`satisfies`): a field added to
 * or changed in shared/msd.ts that the schema does not follow is a compile error here. Objects keep
 * keys the schema does not name (a later version's additions pass through, never silently dropped).
 */
import { z } from 'zod'
import type { MsdAggregation } from '../../shared/msd.js'

const number = z.number()
const rate = z.number().nullable()
const texts = z.array(z.string())

// Fields added after the first version default to "not recorded" (null, false, empty), so a
// result written by an earlier version still reads, and says it lacks them.
const notRecorded = z.number().nullable().default(null)

const trendItem = z.looseObject({
  date: z.string(),
  input_qty: number,
  defect_qty: number,
  defect_rate: number,
  lot_count: notRecorded,
  defective_lot_count: notRecorded,
})

const paretoFields = { name: z.string(), input_qty: number, defect_qty: number, defect_rate: number, lot_count: number, cumulative_pct: number }
const paretoItems = z.array(z.looseObject(paretoFields))

const machineAttribution = z.looseObject({
  WORKCENTER_GROUP: z.string(),
  EQUIPMENT_NAME: z.string(),
  EQUIPMENT_ID: z.string(),
  RESOURCEFAMILYNAME: z.string(),
  DETECTION_LOT_COUNT: number,
  INPUT_QTY: number,
  DEFECT_QTY: number,
  DEFECT_RATE: number,
  WORKFLOW: z.string(),
  PRODUCTLINENAME: z.string(),
  PJ_TYPE: z.string(),
  DETECTION_EQUIPMENTNAME: z.string(),
})

const suspectRefFields = {
  factor_type: z.enum(['machine', 'material', 'wafer_root']),
  name: z.string(),
  station: z.string().nullable(),
}
const suspectRef = z.looseObject(suspectRefFields)

const suspect = z.looseObject({
  ...suspectRefFields,
  lots: number,
  defective_lots: number,
  input_qty: number,
  defect_qty: number,
  defect_rate: number,
  baseline_rate: rate,
  baseline_lots: number,
  baseline_defective_lots: number,
  lift: rate,
  p_value: rate,
  inconclusive: z.boolean(),
  no_contrast: z.boolean(),
  rank: rate,
  q_value: notRecorded,
  significant: z.boolean().default(false),
  explained_by: suspectRef.nullable().default(null),
  conditional_p_value: notRecorded,
  onset: z.string().nullable().default(null),
  onset_p_value: notRecorded,
  rate_before_onset: notRecorded,
  rate_after_onset: notRecorded,
})

const suspectTimeline = z.looseObject({
  ...suspectRefFields,
  days: z.array(
    z.looseObject({ date: z.string(), lots: number, defective_lots: number, rest_lots: number, rest_defective_lots: number }),
  ),
})

const suspectSummary = z.looseObject({
  machines: number,
  materials: number,
  wafer_roots: number,
  ranked: number,
  not_elevated: number,
  inconclusive: number,
  no_contrast: number,
  total: number,
  significant: z.number().default(0),
  independent: z.number().default(0),
  explained: z.number().default(0),
  fdr: notRecorded,
})

const base = {
  station: z.string(),
  loss_reasons: texts,
  available_loss_reasons: texts,
  genealogy_status: z.enum(['ready', 'error']),
  daily_trend: z.array(trendItem),
  detail_total_count: number,
  container_mode_hint: z.string().optional(),
  warnings: texts,
}

const backward = z.looseObject({
  ...base,
  direction: z.literal('backward'),
  kpi: z.looseObject({
    total_input: number,
    lot_count: number,
    defective_lot_count: number,
    total_defect_qty: number,
    total_defect_rate: number,
    top_loss_reason: z.string(),
    affected_machine_count: number,
  }),
  charts: z.looseObject({
    by_machine: paretoItems,
    by_detection_machine: paretoItems,
    by_material: paretoItems,
    by_wafer_root: paretoItems,
    by_loss_reason: paretoItems,
  }),
  attribution: z.array(machineAttribution),
  suspects: z.array(suspect),
  suspect_summary: suspectSummary,
  suspect_timelines: z.array(suspectTimeline).default([]),
})

const forward = z.looseObject({
  ...base,
  direction: z.literal('forward'),
  kpi: z.looseObject({
    detection_lot_count: number,
    defect_lot_count: number,
    detection_defect_qty: number,
    detection_defect_rate: number,
    tracked_lot_count: number,
    downstream_stations_reached: number,
    downstream_total_reject: number,
    downstream_reject_rate: number,
    baseline_downstream_reject_rate: rate,
    amplification: rate,
  }),
  charts: z.looseObject({
    by_downstream_station: z.array(
      z.looseObject({ ...paretoFields, order: number, baseline_rate: rate, lift: rate, top_loss_reason: z.string() }),
    ),
    by_downstream_machine: paretoItems,
    by_downstream_loss_reason: paretoItems,
    by_detection_machine: paretoItems,
  }),
  attribution: z.tuple([]),
})

/** An MSD aggregation as stored: backward or forward, by its `direction`. */
export const msdAggregationSchema = z.discriminatedUnion('direction', [backward, forward]) satisfies z.ZodType<MsdAggregation>
