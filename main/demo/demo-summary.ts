/** Human-readable text of a {@link DemoSummary}, for the CLI. */
import type { DemoSummary } from './types.js'

function n(value: number): string {
  return value.toLocaleString('en-US')
}

function list(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : '(none in a run this small)'
}

/** Multi-line description of what was made and what was planted. */
export function formatDemoSummary(s: DemoSummary): string {
  const { bad_machine: machine, bad_material_lot: material, downstream_effect: effect, guards, samples } = s.planted
  const width = Math.max(...Object.keys(s.tables).map((t) => t.length))
  const lines = [
    `Demo plant written to ${s.out}`,
    `  seed "${s.seed}", ${n(s.lots)} lots, ${s.startDate} … ${s.endDate}, ${(s.elapsedMs / 1000).toFixed(1)} s`,
    '',
    'Rows per table:',
    ...Object.entries(s.tables).map(([table, count]) => `  ${table.padEnd(width)}  ${n(count).padStart(11)}`),
    '',
    'Planted problems (find them with the MSD analysis):',
    `  1. Bad wire bonder ${machine.equipment_name} (${machine.equipment_id}) at ${machine.station} from ${machine.from_date}:`,
    `     final-test (${machine.detection_station}) rejects ${machine.loss_reason} rise; ${n(machine.affected_lots)} lots affected.`,
    `  2. Bad material lot ${material.material_lot_name} of ${material.material_part_name} at ${material.station}:`,
    `     final-test (${material.detection_station}) rejects ${material.loss_reason} rise; ${n(material.affected_lots)} lots affected.`,
    `  3. Lots rejected for ${effect.loss_reason} at ${effect.detection_station} (${n(effect.affected_lots)} lots) and their split children`,
    `     reject more later at ${effect.downstream_stations.map((st) => `${st} (${effect.downstream_loss_reasons[st] ?? '?'})`).join(', ')}.`,
    '',
    'Guard cases (genealogies a tracer must survive):',
    `  split cycle      ${guards.split_cycle.names.join(' → ')} → ${guards.split_cycle.names[1] ?? ''}`,
    `  self-reference   ${guards.self_reference.name}`,
    `  deep split chain ${guards.deep_chain.root_name} … ${guards.deep_chain.leaf_name} (${guards.deep_chain.depth} levels)`,
    '',
    'Try tracing:',
    `  lot IDs         ${list(samples.lot_ids)}`,
    `  work orders     ${list(samples.work_orders)}`,
    `  wafer lots      ${list(samples.wafer_lots)}`,
    `  serial numbers  ${list(samples.serials)}`,
    `  GD work orders  ${list(samples.gd_work_orders)}`,
    `  GD lot IDs      ${list(samples.gd_lot_ids)}`,
  ]
  return lines.join('\n')
}
