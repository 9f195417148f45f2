/** Public types of the demo-plant generator. */

/** Options of {@link generateDemoPlant}. */
export interface DemoOptions {
  /** Path of the SQLite file to create. */
  out: string
  /**
   * Production lots to create: GA/GC/GD containers including split children and combined lots.
   * Wafer-lot containers and the ≈ 30 guard-case containers come on top.
   * @default 20000
   */
  lots?: number
  /**
   * Seed of every random choice; the same options always give the same table contents.
   * @default 'mes-trace'
   */
  seed?: string | number
  /**
   * Last day of the time window (`YYYY-MM-DD`, plant local).
   * @default '2026-10-31'
   */
  endDate?: string
  /**
   * Length of the time window in days, ending with `endDate`.
   * @default 60
   */
  days?: number
  /**
   * Replace an existing file at `out`; otherwise an existing file is an error.
   * @default false
   */
  overwrite?: boolean
  /** Receives short progress messages while the file is written. */
  onProgress?: (message: string) => void
}

/** A wire-bond machine whose lots fail final test more often from a date on. */
export interface PlantedBadMachine {
  equipment_name: string
  equipment_id: string
  station: '焊接_WB'
  /** First day (`YYYY-MM-DD`) of wire-bond track-ins that carry the problem. */
  from_date: string
  /** Final-test loss reason that rises. */
  loss_reason: string
  detection_station: '測試'
  /** Lots that reached final test carrying the problem. */
  affected_lots: number
}

/** A material lot whose lots fail final test more often. */
export interface PlantedBadMaterialLot {
  material_part_name: string
  material_lot_name: string
  /** Station group where the material is consumed. */
  station: '成型'
  loss_reason: string
  detection_station: '測試'
  affected_lots: number
}

/** Lots rejected at a mid station whose children reject more at later stations. */
export interface PlantedDownstreamEffect {
  detection_station: '成型'
  /** Loss reason at the detection station that marks the lots. */
  loss_reason: string
  /** Later station groups where the marked lots and their split children reject more. */
  downstream_stations: string[]
  /** Loss reason that rises at each downstream station. */
  downstream_loss_reasons: Record<string, string>
  affected_lots: number
}

/** Containers whose genealogy must not trap a tracer. */
export interface PlantedGuards {
  /** `cids[0]` → `cids[1]` → `cids[2]` → `cids[1]` through SPLITFROMID. */
  split_cycle: { cids: string[]; names: string[] }
  /** SPLITFROMID equals the container's own CID. */
  self_reference: { cid: string; name: string }
  /** A split chain deeper than the tracer's depth cap of 20. */
  deep_chain: { root_cid: string; root_name: string; leaf_cid: string; leaf_name: string; depth: number }
}

/** Good starting points for a demo trace; every value exists in the file. */
export interface PlantedSamples {
  /** CONTAINERNAMEs of lots with split relatives and a combined descendant. */
  lot_ids: string[]
  /** GA work orders with splits and combined lots. */
  work_orders: string[]
  /** Wafer-lot names (FIRSTNAME) feeding several lots. */
  wafer_lots: string[]
  /** FINISHEDNAMEs of combined lots. */
  serials: string[]
  gd_work_orders: string[]
  gd_lot_ids: string[]
}

/** What the generator planted on purpose (also stored as JSON in MES_TRACE_DEMO_INFO). */
export interface DemoPlanted {
  bad_machine: PlantedBadMachine
  bad_material_lot: PlantedBadMaterialLot
  downstream_effect: PlantedDownstreamEffect
  guards: PlantedGuards
  samples: PlantedSamples
}

/** Result of {@link generateDemoPlant}. */
export interface DemoSummary {
  /** Absolute path of the written file. */
  out: string
  seed: string
  lots: number
  /** First day of the window (`YYYY-MM-DD`). */
  startDate: string
  endDate: string
  /** Row counts per source table. */
  tables: Record<string, number>
  planted: DemoPlanted
  elapsedMs: number
}
