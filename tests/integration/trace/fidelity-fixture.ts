/**
 * A hand-built plant for the fidelity decisions of docs/fidelity.md: blank-padded names and wafer
 * lots, a blank name, merge sources from another wafer and from a GD rework, serial source lots
 * without a container row, a wafer lot whose split tree would fan one node out to every container,
 * a split cycle cut from one wafer and a wafer that is also a split parent. The comments draw it.
 */
import type { FixtureRows } from '../../fixtures/source-fixture.js'

type Row = Record<string, unknown>

function lot(
  cid: string,
  name: string | null,
  fields: { order?: string | null; first?: string | null; split?: string | null; original?: string | null } = {},
): Row {
  return {
    CONTAINERID: cid,
    CONTAINERNAME: name,
    MFGORDERNAME: fields.order ?? null,
    OBJECTTYPE: 'LOT',
    FIRSTNAME: fields.first ?? null,
    SPLITFROMID: fields.split ?? null,
    ORIGINALCONTAINERID: fields.original ?? null,
  }
}

function combined(source: string, name: string | null, target: string, serial: string | null): Row {
  return { CONTAINERID: source, CONTAINERNAME: name, LOTID: target, FINISHEDNAME: serial }
}

function trackIn(cid: string, at: string): Row {
  return { CONTAINERID: cid, WORKCENTERNAME: 'TMTT', EQUIPMENTID: 'e1', EQUIPMENTNAME: 'GTMA-0001', TRACKINTIMESTAMP: at, TRACKINQTY: 100 }
}

export const FIDELITY_ROWS: FixtureRows = {
  DW_MES_CONTAINER: [
    // Wafer WAF-100 (W): A is cut from it (its FIRSTNAME is blank-padded), then split
    // A → {A1, A2, BL}, A2 → A21; every one of them names WAF-100.
    lot('W', 'WAF-100'),
    lot('A', 'GA3001-A01', { order: 'GA3001', first: 'WAF-100   ' }),
    lot('A1', 'GA3001-A01-001  ', { order: 'GA3001', first: 'WAF-100', split: 'A' }),
    lot('A2', 'GA3001-A01-002', { order: 'GA3001', first: 'WAF-100', split: 'A' }),
    lot('A21', 'GA3001-A01-002-01', { order: 'GA3001', first: 'WAF-100', split: 'A2' }),
    // A lot whose name is blank: it shows its CID.
    lot('BL', '   ', { order: 'GA3001', first: 'WAF-100', split: 'A' }),
    // T is merged from A1, from X (cut from wafer WAF-200) and from G (a GD rework of Z).
    lot('T', 'GA3001-M01', { order: 'GA3001' }),
    lot('X', 'GA3002-A01', { order: 'GA3002', first: 'WAF-200' }),
    lot('W2', 'WAF-200'),
    lot('G', 'GD3003-A01', { order: 'GD3003', original: 'Z' }),
    lot('Z', 'GA3003-A01', { order: 'GA3003' }),
    // Split cycle C1 → C2 → C1, both cut from WAF-300.
    lot('W3', 'WAF-300'),
    lot('C1', 'GA3005-C1', { order: 'GA3005', first: 'WAF-300', split: 'C2' }),
    lot('C2', 'GA3005-C2', { order: 'GA3005', first: 'WAF-300', split: 'C1' }),
    // The wafer container V is also the split parent of V1.
    lot('V', 'WAF-400'),
    lot('V1', 'GA3006-V1', { order: 'GA3006', first: 'WAF-400', split: 'V' }),
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [
    combined('A1', 'GA3001-A01-001', 'T', 'SN-T  '),
    combined('X', 'GA3002-A01', 'T', 'SN-T'),
    combined('G', 'GD3003-A01', 'T', 'SN-T'),
    // Serial SN-NOROW: two source lots the container table does not have, one named by its merge
    // record, one not named at all.
    combined('NOROW', 'GA3009-A01', 'T2', 'SN-NOROW'),
    combined('NOROW2', null, 'T2', 'SN-NOROW'),
  ],
  DW_MES_LOTWIPHISTORY: [trackIn('A1', '2026-02-02 08:00:00'), trackIn('BL', '2026-02-02 09:00:00')],
}
