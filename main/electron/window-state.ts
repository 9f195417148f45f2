/**
 * The main window's size, position and maximized state, kept between runs in a small JSON file of
 * the data folder. A damaged or implausible file is ignored (the window opens at its default).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1440, height: 900, maximized: false }

/** Smallest window the layout supports (architecture: 1280×720 and up). */
export const MIN_WIDTH = 1280
export const MIN_HEIGHT = 720

const int = (v: unknown, min: number, max: number): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined

/** Reads the state; anything missing or out of range falls back to the default. */
export function loadWindowState(file: string): WindowState {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return { ...DEFAULT_WINDOW_STATE }
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE }
  const r = raw as Record<string, unknown>
  const width = int(r.width, MIN_WIDTH, 16384)
  const height = int(r.height, MIN_HEIGHT, 16384)
  if (width === undefined || height === undefined) return { ...DEFAULT_WINDOW_STATE }
  const x = int(r.x, -16384, 16384)
  const y = int(r.y, -16384, 16384)
  return { width, height, maximized: r.maximized === true, ...(x !== undefined && y !== undefined ? { x, y } : {}) }
}

/** Writes the state through a temporary file, so a crash never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  const temp = `${file}.tmp`
  writeFileSync(temp, JSON.stringify(state))
  renameSync(temp, file)
}
