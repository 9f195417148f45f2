/**
 * Static reference data of the demo plant: workcenters and their machines, packages, products,
 * loss reasons, material kinds, hold reasons and job codes. Scaled from the production plant
 * described in domain.md §11.1 (machine counts ≈ 1/10). Nothing here is random: the seed only
 * decides how lots use it.
 */

/** A machine family (model) and how many machines of it a workcenter has. */
export interface MachineFamilyDef {
  /** `RESOURCEFAMILYNAME`, e.g. `WBK_ConnX Elite_EAP`. */
  readonly family: string
  /** Machines for a secondary step of the workcenter (post-mold-cure ovens, inspection). */
  readonly role?: MachineRole
  /** `RESOURCENAME` prefix, e.g. `GWBA` → `GWBA-0012`. */
  readonly prefix: string
  readonly count: number
}

/** What a machine does at its workcenter besides the main process. */
export type MachineRole = 'cure' | 'inspect'

/** Reject behaviour of a station: how often a step rejects something and how much. */
export interface RejectProfile {
  /** Probability that a step has a reject event at all. */
  readonly eventChance: number
  /** Mean reject rate (fraction of the step's input) when it has one. */
  readonly meanRate: number
  /** Loss reasons of the station, most frequent first (picked with a long-tail weight). */
  readonly reasons: readonly string[]
}

/** A raw workcenter (`WORKCENTERNAME`). */
export interface WorkcenterDef {
  /** Raw name as the MES writes it. */
  readonly name: string
  /** Short code used in spec names. */
  readonly code: string
  /** The station group it is meant to map to (null: maps to none, e.g. 點測). */
  readonly group: string | null
  readonly machines: readonly MachineFamilyDef[]
  /** Typical processing hours of a 100 000-unit lot. */
  readonly processHours: number
  /** Null for steps that never reject (material issue, packing). */
  readonly rejects: RejectProfile | null
}

// Loss reasons shared by every station (general handling damage, material, engineering pulls).
const GENERAL_REASONS = ['001_CRACK', '002_BREAK', '003_MATERIAL', '005_SCRATCH', '006_CONTAMINATION', '007_MISSING_UNIT', '009_ENG_SAMPLE']

/** Final-test reason raised by the planted bad wire-bond machine. */
export const BAD_MACHINE_REASON = '201_OPEN'
/** Final-test reason raised by the planted bad mold-compound lot. */
export const BAD_MATERIAL_REASON = '206_LEAKAGE'
/** Molding reason that marks lots with a latent defect (the planted downstream effect). */
export const DOWNSTREAM_DETECTION_REASON = '061_SHORT_MOLD'
/** Reasons the latent molding defect raises later, by station group. */
export const DOWNSTREAM_EFFECT_REASONS: Readonly<Record<string, string>> = {
  電鍍: '094_SOLDER_BRIDGE',
  測試: '202_SHORT',
}

const TEST_REASONS = [
  '203_VF_FAIL', '201_OPEN', '204_IR_FAIL', '209_CONTACT_FAIL', '202_SHORT', '206_LEAKAGE', '205_VBR_FAIL',
  '207_HFE_FAIL', '208_VISUAL', '210_OS_FAIL', '211_PARAMETRIC', '212_RETEST_FAIL', '003_MATERIAL', '007_MISSING_UNIT',
]

function reasons(specific: readonly string[], general: readonly string[] = GENERAL_REASONS): readonly string[] {
  // Station-specific reasons lead the Pareto; the general ones form its tail.
  return [...specific.slice(0, 2), general[0]!, ...specific.slice(2), ...general.slice(1)]
}

/** Every raw workcenter of the plant, in process order. */
export const WORKCENTERS: readonly WorkcenterDef[] = [
  {
    name: '點測', code: 'PRB', group: null, processHours: 2,
    machines: [{ family: 'PRB_UF3000', prefix: 'GPRB', count: 3 }],
    rejects: { eventChance: 0.12, meanRate: 0.004, reasons: reasons(['301_PROBE_FAIL', '302_INK_DIE', '303_PROBE_MARK']) },
  },
  {
    name: '切割', code: 'SAW', group: '切割', processHours: 2,
    machines: [{ family: 'DSD_DAD3350', prefix: 'GDSD', count: 7 }],
    rejects: { eventChance: 0.22, meanRate: 0.003, reasons: reasons(['011_SAW_CHIPPING', '012_DIE_CRACK', '013_KERF_SHIFT']) },
  },
  {
    name: '焊_DB_料', code: 'DBM', group: '焊接_DB', processHours: 0.3,
    machines: [{ family: 'MAT_FEEDER', prefix: 'GDBM', count: 2 }], rejects: null,
  },
  {
    name: '焊接_DB', code: 'DB', group: '焊接_DB', processHours: 3,
    machines: [{ family: 'DBA_AD832UR', prefix: 'GDBA', count: 13 }],
    rejects: {
      eventChance: 0.28, meanRate: 0.004,
      reasons: reasons(['021_DIE_SHIFT', '023_EPOXY_VOID', '022_DIE_TILT', '024_EPOXY_OVERFLOW', '025_MISSING_DIE', '026_SOLDER_BALL']),
    },
  },
  {
    name: '焊_WB_料', code: 'WBM', group: '焊接_WB', processHours: 0.3,
    machines: [{ family: 'MAT_FEEDER', prefix: 'GWBM', count: 2 }], rejects: null,
  },
  {
    name: '焊接_WB', code: 'WB', group: '焊接_WB', processHours: 4,
    machines: [
      { family: 'WBK_ConnX Elite_EAP', prefix: 'GWBA', count: 14 },
      { family: 'WBA_Eagle AERO', prefix: 'GWBE', count: 8 },
      { family: 'AOI_KOH YOUNG', prefix: 'GAOI', count: 2, role: 'inspect' },
    ],
    rejects: {
      eventChance: 0.28, meanRate: 0.003,
      reasons: reasons(['043_NSOP', '044_NSOL', '041_WIRE_BROKEN', '042_BALL_LIFT', '045_WIRE_SWEEP', '046_LOOP_HIGH', '047_TAIL_SHORT']),
    },
  },
  {
    name: '焊接_DW', code: 'DW', group: '焊接_DW', processHours: 3.5,
    machines: [
      { family: 'DWA_ESEC2100', prefix: 'GDWA', count: 18 },
      { family: 'AOI_KOH YOUNG', prefix: 'GAOD', count: 2, role: 'inspect' },
    ],
    rejects: { eventChance: 0.28, meanRate: 0.004, reasons: reasons(['051_CLIP_SHIFT', '052_SOLDER_VOID', '053_CLIP_MISSING']) },
  },
  {
    name: '成型_料', code: 'MLM', group: '成型', processHours: 0.3,
    machines: [{ family: 'MAT_FEEDER', prefix: 'GMLM', count: 4 }], rejects: null,
  },
  {
    name: '成型', code: 'MLD', group: '成型', processHours: 2,
    machines: [
      { family: 'MLD_TOWA YPS', prefix: 'GMDA', count: 16 },
      { family: 'MLD_CURE OVEN', prefix: 'GMCO', count: 3, role: 'cure' },
      { family: 'XRY_NORDSON DAGE', prefix: 'GXRY', count: 2, role: 'inspect' },
    ],
    rejects: {
      eventChance: 0.28, meanRate: 0.005,
      // The planted detection reason (061_SHORT_MOLD) is not among the baseline reasons, so every
      // lot rejected for it at molding carries the latent defect.
      reasons: reasons(['062_VOID', '063_FLASH', '064_PKG_CRACK', '065_DELAMINATION', '066_WIRE_EXPOSED', '067_MOLD_CRACK']),
    },
  },
  {
    name: '去膠', code: 'DFL', group: '去膠', processHours: 1,
    machines: [{ family: 'DFL_JET DEFLASH', prefix: 'GDFL', count: 5 }],
    rejects: { eventChance: 0.1, meanRate: 0.002, reasons: reasons(['071_RESIDUE', '072_GLUE_REMAIN']) },
  },
  {
    name: '水吹砂', code: 'WJB', group: '水吹砂', processHours: 1,
    machines: [{ family: 'WJB_WATERJET', prefix: 'GWJB', count: 3 }],
    rejects: { eventChance: 0.08, meanRate: 0.001, reasons: reasons(['081_SAND_MARK', '082_LEAD_DAMAGE']) },
  },
  ...(['條鍍', '掛鍍', '滾鍍', '電鍍'] as const).map(
    (name, i): WorkcenterDef => ({
      name, code: ['PLS', 'PLR', 'PLB', 'PLT'][i]!, group: '電鍍', processHours: 4,
      machines: [{ family: 'PLT_LINE', prefix: ['GPLS', 'GPLR', 'GPLB', 'GPLT'][i]!, count: i === 3 ? 2 : 1 }],
      rejects: {
        eventChance: 0.22, meanRate: 0.004,
        reasons: reasons(['091_PLATING_THIN', '093_DISCOLOR', '092_PLATING_PEEL', '094_SOLDER_BRIDGE', '095_TIN_WHISKER']),
      },
    }),
  ),
  {
    name: '移印', code: 'MRK', group: '移印', processHours: 1,
    machines: [{ family: 'MRK_PAD PRINT', prefix: 'GMRK', count: 4 }],
    rejects: { eventChance: 0.14, meanRate: 0.002, reasons: reasons(['277_印字不良', '278_印字偏移', '279_印字模糊']) },
  },
  {
    name: '切彎腳', code: 'TNF', group: '切彎腳', processHours: 2,
    machines: [{ family: 'TNF_TRIM FORM', prefix: 'GTNF', count: 4 }],
    rejects: { eventChance: 0.22, meanRate: 0.004, reasons: reasons(['276_腳型不良', '280_彎腳', '281_毛邊', '282_COPLANARITY']) },
  },
  {
    name: 'PKG_SAW', code: 'PKS', group: '元件切割', processHours: 2,
    machines: [{ family: 'DSD_DAD3350', prefix: 'GPKS', count: 2 }],
    rejects: { eventChance: 0.22, meanRate: 0.004, reasons: reasons(['101_SAW_BURR', '102_PKG_CHIPPING']) },
  },
  {
    name: 'TMTT', code: 'TMTT', group: '測試', processHours: 3,
    machines: [
      { family: 'TMA_FT2018', prefix: 'GTMA', count: 8 },
      { family: 'TMA_HT9046', prefix: 'GTMB', count: 4 },
    ],
    rejects: { eventChance: 0.45, meanRate: 0.01, reasons: TEST_REASONS },
  },
  // Packing and warehouse entry of combined lots: checkpoints without a machine, in no station group.
  { name: '包裝', code: 'PKG', group: null, processHours: 1, machines: [], rejects: null },
  { name: '入庫', code: 'WHS', group: null, processHours: 0.5, machines: [], rejects: null },
]

/** Looks a workcenter up by its raw name. */
export function workcenterByName(name: string): WorkcenterDef {
  const wc = WORKCENTERS.find((w) => w.name === name)
  if (!wc) throw new Error(`unknown demo workcenter ${name}`)
  return wc
}

/** The route shapes of the plant (which bonding and singulation a package needs). */
export type RouteKind = 'LEADED_WB' | 'LEADED_DW' | 'POWER' | 'LEADLESS'

/** A package (`PRODUCTLINENAME`). */
export interface PackageDef {
  readonly name: string
  readonly code: string
  readonly route: RouteKind
  /** Raw plating workcenter the package uses. */
  readonly plating: '條鍍' | '掛鍍' | '滾鍍' | '電鍍'
  /** Relative share of work orders. */
  readonly weight: number
  /** Devices built in this package. */
  readonly devices: readonly DeviceDef[]
}

/** A device type (`PJ_TYPE`) and its function (`PJ_FUNCTION`). */
export interface DeviceDef {
  readonly type: string
  readonly func: string
}

const SMALL_SIGNAL: readonly DeviceDef[] = [
  { type: 'MMBT3904', func: 'BJT' }, { type: 'MMBT3906', func: 'BJT' }, { type: 'BC847B', func: 'BJT' },
  { type: 'MMBT2222A', func: 'BJT' }, { type: '2N7002', func: 'MOSFET' }, { type: 'BSS138', func: 'MOSFET' },
  { type: 'BSS84', func: 'MOSFET' }, { type: 'BAV99', func: 'SWITCHING DIODE' }, { type: 'BAT54S', func: 'SCHOTTKY' },
]
const SMALL_DIODES: readonly DeviceDef[] = [
  { type: '1N4148W', func: 'SWITCHING DIODE' }, { type: 'BAT54', func: 'SCHOTTKY' }, { type: 'BZT52C5V1', func: 'ZENER' },
  { type: 'MMSZ5231B', func: 'ZENER' }, { type: 'ESD5Z5.0', func: 'ESD' }, { type: 'RB521S30', func: 'SCHOTTKY' },
]
const RECTIFIERS: readonly DeviceDef[] = [
  { type: 'SS14', func: 'SCHOTTKY' }, { type: 'SS34', func: 'SCHOTTKY' }, { type: 'MBR0540', func: 'SCHOTTKY' },
  { type: 'US1M', func: 'RECTIFIER' }, { type: 'ES1J', func: 'RECTIFIER' }, { type: 'M7', func: 'RECTIFIER' },
  { type: 'SMAJ5.0A', func: 'TVS' }, { type: 'SMBJ15A', func: 'TVS' },
]
const POWER_DEVICES: readonly DeviceDef[] = [
  { type: 'PJD40N06', func: 'MOSFET' }, { type: 'PJD2955', func: 'BJT' }, { type: 'PJD10P04', func: 'MOSFET' },
]
const LEADLESS_DEVICES: readonly DeviceDef[] = [
  { type: 'PJDFN3904', func: 'BJT' }, { type: 'ESD9L5.0', func: 'ESD' }, { type: 'PJQ4435', func: 'MOSFET' },
  { type: 'PJX138K', func: 'MOSFET' },
]

function devices(list: readonly DeviceDef[], from: number, count: number): readonly DeviceDef[] {
  return Array.from({ length: count }, (_, i) => list[(from + i) % list.length]!)
}

/** Packages of the plant; the weights follow a typical discrete-semiconductor mix. */
export const PACKAGES: readonly PackageDef[] = [
  { name: 'SOT-23', code: 'SOT23', route: 'LEADED_WB', plating: '條鍍', weight: 20, devices: devices(SMALL_SIGNAL, 0, 7) },
  { name: 'SOT-23-6', code: 'SOT236', route: 'LEADED_WB', plating: '條鍍', weight: 4, devices: devices(SMALL_SIGNAL, 4, 3) },
  { name: 'SOT-323', code: 'SOT323', route: 'LEADED_WB', plating: '條鍍', weight: 8, devices: devices(SMALL_SIGNAL, 2, 4) },
  { name: 'SOT-523', code: 'SOT523', route: 'LEADED_WB', plating: '滾鍍', weight: 3, devices: devices(SMALL_SIGNAL, 6, 3) },
  { name: 'SOT-89', code: 'SOT89', route: 'LEADED_WB', plating: '掛鍍', weight: 4, devices: devices(SMALL_SIGNAL, 3, 3) },
  { name: 'SOD-123', code: 'SOD123', route: 'LEADED_WB', plating: '滾鍍', weight: 8, devices: devices(SMALL_DIODES, 0, 5) },
  { name: 'SOD-323', code: 'SOD323', route: 'LEADED_WB', plating: '滾鍍', weight: 7, devices: devices(SMALL_DIODES, 1, 5) },
  { name: 'SOD-523', code: 'SOD523', route: 'LEADED_WB', plating: '滾鍍', weight: 3, devices: devices(SMALL_DIODES, 3, 3) },
  { name: 'SOD-123FL', code: 'SOD123FL', route: 'LEADED_DW', plating: '電鍍', weight: 9, devices: devices(RECTIFIERS, 0, 5) },
  { name: 'SMA', code: 'SMA', route: 'LEADED_DW', plating: '掛鍍', weight: 7, devices: devices(RECTIFIERS, 2, 6) },
  { name: 'SMB', code: 'SMB', route: 'LEADED_DW', plating: '掛鍍', weight: 4, devices: devices(RECTIFIERS, 4, 4) },
  { name: 'SMC', code: 'SMC', route: 'LEADED_DW', plating: '掛鍍', weight: 2, devices: devices(RECTIFIERS, 6, 2) },
  { name: 'TO-252', code: 'TO252', route: 'POWER', plating: '掛鍍', weight: 3, devices: devices(POWER_DEVICES, 0, 3) },
  { name: 'TO-277', code: 'TO277', route: 'POWER', plating: '電鍍', weight: 2, devices: devices(POWER_DEVICES, 1, 2) },
  { name: 'DFN-3', code: 'DFN3', route: 'LEADLESS', plating: '電鍍', weight: 4, devices: devices(LEADLESS_DEVICES, 0, 3) },
  { name: 'DFN1006-2', code: 'DFN1006', route: 'LEADLESS', plating: '電鍍', weight: 3, devices: devices(LEADLESS_DEVICES, 1, 2) },
  { name: 'QFN-16', code: 'QFN16', route: 'LEADLESS', plating: '電鍍', weight: 2, devices: devices(LEADLESS_DEVICES, 2, 2) },
]

/** Main steps of each route shape (raw workcenter names), before optional steps are added. */
export const ROUTE_STEPS: Readonly<Record<RouteKind, readonly string[]>> = {
  LEADED_WB: ['切割', '焊接_DB', '焊接_WB', '成型', '去膠', '水吹砂', 'PLATING', '移印', '切彎腳', 'TMTT'],
  LEADED_DW: ['切割', '焊接_DB', '焊接_DW', '成型', '去膠', '水吹砂', 'PLATING', '移印', '切彎腳', 'TMTT'],
  POWER: ['切割', '焊接_DB', '焊接_WB', '焊接_DW', '成型', '去膠', '水吹砂', 'PLATING', '移印', '切彎腳', 'TMTT'],
  LEADLESS: ['切割', '焊接_DB', '焊接_WB', '成型', '去膠', 'PLATING', '移印', 'PKG_SAW', 'TMTT'],
}

/** Kinds of consumed material and where they are consumed. */
export type MaterialKind = 'DICING_TAPE' | 'LEADFRAME' | 'DIE_ATTACH' | 'WIRE' | 'CLIP' | 'COMPOUND' | 'PLATING' | 'INK'

/** A material part number (`MATERIALPARTNAME`). */
export interface MaterialPartDef {
  readonly name: string
  readonly kind: MaterialKind
  readonly description: string
  /** Vendor code leading its material-lot names. */
  readonly vendor: string
  /** Hours one material lot of this part stays in use before the next one is opened. */
  readonly lotHours: number
  /** Consumption per 1000 units and its unit (for QTYCONSUMED). */
  readonly perThousand: number
}

/** The raw workcenter (main step) where a material kind is consumed. */
export const MATERIAL_STATION: Readonly<Record<MaterialKind, string>> = {
  DICING_TAPE: '切割', LEADFRAME: '焊接_DB', DIE_ATTACH: '焊接_DB', WIRE: '焊接_WB', CLIP: '焊接_DW', COMPOUND: '成型', PLATING: 'PLATING', INK: '移印',
}

/** Material-issue workcenters: when a route has one, its material is booked there. */
export const MATERIAL_ISSUE_STEP: Readonly<Record<string, string>> = {
  焊接_DB: '焊_DB_料', 焊接_WB: '焊_WB_料', 成型: '成型_料',
}

function leadFrames(): MaterialPartDef[] {
  return PACKAGES.flatMap((p, i) =>
    ['A', 'B'].map((alt, j) => ({
      name: `LF-${p.code}-${alt}`, kind: 'LEADFRAME' as const,
      description: `LEAD FRAME ${p.name} ${j === 0 ? 'CU C194' : 'CU KFC'} 0.1T`,
      vendor: j === 0 ? 'SHK' : 'MHT', lotHours: 36 + ((i * 7 + j * 11) % 5) * 12, perThousand: 0.8,
    })),
  )
}

/** Every material part number of the plant (≈ 75). */
export const MATERIAL_PARTS: readonly MaterialPartDef[] = [
  ...['TAPE-UV-D175', 'TAPE-UV-D210', 'TAPE-BG-D200'].map((name, i) => ({
    name, kind: 'DICING_TAPE' as const, vendor: ['LTC', 'LTC', 'NTO'][i]!, description: `DICING TAPE ${name.slice(5)}`,
    lotHours: 96 + i * 24, perThousand: 0.004,
  })),
  ...leadFrames(),
  ...['DA-EP-8200T', 'DA-EP-84-1LMI', 'DA-SP-SAC305', 'DA-SP-PB92', 'DA-EP-CE3103'].map((name, i) => ({
    name, kind: 'DIE_ATTACH' as const, vendor: ['HNK', 'HNK', 'ALP', 'IND', 'HNK'][i]!,
    description: name.includes('-SP-') ? `SOLDER PASTE ${name.slice(6)}` : `SILVER EPOXY ${name.slice(6)}`,
    lotHours: 48 + i * 12, perThousand: 0.05,
  })),
  ...['WR-AU-0.8MIL', 'WR-AU-1.0MIL', 'WR-CU-0.8MIL', 'WR-CU-1.0MIL', 'WR-PDCU-1.0MIL', 'WR-AG-1.0MIL', 'WR-CU-1.2MIL'].map(
    (name, i) => ({
      name, kind: 'WIRE' as const, vendor: ['HRU', 'HRU', 'MKE', 'MKE', 'TNK', 'MKE', 'TNK'][i]!,
      description: `${name.split('-')[1]} BONDING WIRE ${name.split('-')[2]}`, lotHours: 48 + (i % 3) * 24, perThousand: 1.6,
    }),
  ),
  ...['CLIP-SOD123FL', 'CLIP-SMA', 'CLIP-SMB', 'CLIP-SMC', 'CLIP-TO252', 'CLIP-TO277', 'SP-PB-5SN', 'SP-SAC-DW'].map((name, i) => ({
    name, kind: 'CLIP' as const, vendor: i < 6 ? 'SHK' : 'ALP',
    description: name.startsWith('CLIP') ? `CU CLIP ${name.slice(5)}` : `SOLDER PASTE ${name.slice(3)}`,
    lotHours: 48 + (i % 2) * 24, perThousand: i < 6 ? 1 : 0.04,
  })),
  ...['EMC-G600-A', 'EMC-G600-B', 'EMC-G700LA', 'EMC-KMC289', 'EMC-SG8500', 'EMC-GE1030', 'EMC-EME6600', 'EMC-CEL9240'].map(
    (name, i) => ({
      name, kind: 'COMPOUND' as const, vendor: ['SMB', 'SMB', 'SMB', 'KCC', 'SHE', 'HIT', 'SMB', 'HIT'][i]!,
      description: `EPOXY MOLD COMPOUND ${name.slice(4)}`, lotHours: i === 0 ? 120 : 72, perThousand: 0.03,
    }),
  ),
  ...['PLT-SN-ANODE', 'PLT-MSA-70', 'PLT-ADD-TS2', 'PLT-SN-CONC', 'PLT-ACT-ACID', 'PLT-NEUTRAL'].map((name, i) => ({
    name, kind: 'PLATING' as const, vendor: ['UMC', 'ATO', 'ATO', 'UMC', 'ATO', 'DOW'][i]!,
    description: `PLATING CHEMICAL ${name.slice(4)}`, lotHours: 96 + i * 24, perThousand: 0.002,
  })),
  ...['INK-WHITE-7200', 'INK-WHITE-7500', 'INK-BLACK-3300'].map((name, i) => ({
    name, kind: 'INK' as const, vendor: 'MRB', description: `MARKING INK ${name.slice(4)}`, lotHours: 120 + i * 24,
    perThousand: 0.001,
  })),
]

/** The compound most small SOT/SOD orders use; the planted bad material lot is one of its lots. */
export const BAD_MATERIAL_PART = 'EMC-G600-A'

/** Hold reasons, most frequent first. */
export const HOLD_REASONS: readonly string[] = [
  'Q-HOLD 品質異常', 'E-HOLD 工程確認', 'M-HOLD 機台異常', 'MATERIAL HOLD 物料異常', 'YIELD HOLD 良率偏低',
  'CUSTOMER HOLD 客戶要求', 'SPC HOLD 管制圖異常', 'DOC HOLD 文件不符',
]

/** Departments that hold lots. */
export const HOLD_DEPARTMENTS: readonly string[] = ['品保部', '製造一部', '製造二部', '工程部', '設備部']

/** Free-text comments of holds. */
export const HOLD_COMMENTS: readonly string[] = [
  '外觀異常待確認', '抽檢不良率偏高', '機台異常期間生產', '物料批號待確認', '工程變更待驗證', 'SPC 連續超規', '客戶指定暫停出貨',
]

/** Free-text comments of releases. */
export const RELEASE_COMMENTS: readonly string[] = [
  'MRB 判定允收', '重工後放行', '工程確認 OK', '全檢後放行', '物料確認無異常', '依客戶同意放行',
]

/** Free-text comments of some reject rows. */
export const REJECT_COMMENTS: readonly string[] = ['AOI 檢出', '目檢不良', '工程判定報廢', '客退分析', '首件確認不良', 'SPC 異常抽檢']

/** Maintenance job models, most frequent first. */
export const JOB_MODELS: readonly string[] = ['REPAIR', 'PM-DAILY', 'PM-WEEKLY', 'CALIBRATION', 'PM-MONTHLY', 'CONVERSION']

/** Cause codes of repair jobs, most frequent first. */
export const JOB_CAUSES: readonly string[] = [
  'C01_PART_WEAR', 'C02_MISALIGNMENT', 'C03_CONTAMINATION', 'C04_SETUP_ERROR', 'C05_ELECTRICAL', 'C06_SOFTWARE', 'C99_OTHER',
]

/** Repair codes of jobs, most frequent first. */
export const JOB_REPAIRS: readonly string[] = [
  'R01_REPLACE_PART', 'R02_ADJUST', 'R03_CLEAN', 'R04_CALIBRATE', 'R05_RESET', 'R06_REPLACE_TOOL',
]

/** Symptom codes of repair jobs, most frequent first. */
export const JOB_SYMPTOMS: readonly string[] = [
  'S01_ALARM_STOP', 'S02_QUALITY_DRIFT', 'S03_JAM', 'S04_VISION_FAIL', 'S05_TEMP_ABNORMAL', 'S06_NOISE', 'S07_NSOP_ALARM',
  'S08_VACUUM_LOW',
]

/** A person of the plant as the MES records them: employee number and name. */
export type Person = readonly [empNo: string, name: string]

/** Equipment technicians who work maintenance jobs. */
export const JOB_TECHNICIANS: readonly Person[] = [
  ['E20314', '陳志明'], ['E20427', '林建宏'], ['E20533', '黃俊傑'], ['E20618', '張家豪'], ['E20702', '李冠廷'],
  ['E20845', '王宗翰'], ['E20911', '吳承恩'], ['E21026', '劉哲維'], ['E21139', '蔡明哲'], ['E21254', '楊子軒'],
  ['E21367', '許志偉'], ['E21473', '鄭凱文'],
]

/** Production operators who report machine problems. */
export const JOB_REPORTERS: readonly Person[] = [
  ['E31102', '林淑芬'], ['E31215', '陳雅婷'], ['E31328', '黃美玲'], ['E31436', '張惠雯'], ['E31549', '李佩珊'],
  ['E31657', '王怡君'], ['E31762', '吳佳蓉'], ['E31875', '劉心怡'],
]

/** Equipment shift leaders who assign jobs to technicians. */
export const JOB_LEADERS: readonly Person[] = [['E10218', '周文彬'], ['E10335', '謝政達'], ['E10447', '郭信宏']]

/** The scheduler account that opens preventive-maintenance jobs. */
export const JOB_SCHEDULER: Person = ['SYSTEM', 'PM排程']

/** How an operator describes each symptom when reporting it. */
export const SYMPTOM_REPORTS: Readonly<Record<string, string>> = {
  S01_ALARM_STOP: '機台警報停機，請設備處理',
  S02_QUALITY_DRIFT: '產品品質偏移，請設備確認',
  S03_JAM: '卡料，無法排除',
  S04_VISION_FAIL: '影像辨識異常',
  S05_TEMP_ABNORMAL: '溫度異常',
  S06_NOISE: '機台異音',
  S07_NSOP_ALARM: 'NSOP 警報頻繁',
  S08_VACUUM_LOW: '真空值不足',
}

/** The technician's closing note for each repair code. */
export const REPAIR_NOTES: Readonly<Record<string, string>> = {
  R01_REPLACE_PART: '更換零件後試機正常',
  R02_ADJUST: '調整後試機正常',
  R03_CLEAN: '清潔後試機正常',
  R04_CALIBRATE: '校正完成',
  R05_RESET: '重置後恢復正常',
  R06_REPLACE_TOOL: '更換治具後試機正常',
}
