/**
 * Result files handed to the app by the OS (double-click on an exported `.mtr` result): on Windows
 * and Linux as command-line arguments (also of a second instance), on macOS through `open-file`.
 * Such a file may come from anywhere (they are mailed around), so the app first asks whether to
 * import it, saying what it is and where it came from.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path'

/** Extension of exported result files the installers associate with the app. */
export const RESULT_FILE_EXTENSION = '.mtr'

/** The existing `.mtr` files among `argv` (flags and other arguments are ignored). */
export function resultFilesIn(argv: readonly string[], cwd: string = process.cwd()): string[] {
  const out: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-') || extname(arg).toLowerCase() !== RESULT_FILE_EXTENSION) continue
    const path = isAbsolute(arg) ? arg : resolve(cwd, arg)
    if (existsSync(path) && statSync(path).isFile() && !out.includes(path)) out.push(path)
  }
  return out
}

/** What the app tells a person about a file the OS handed it, before importing it. */
export interface OpenedFileFacts {
  name: string
  /** The folder it is in. */
  folder: string
  bytes: number
  /**
   * Where it came from, when the OS recorded it: the zone and address of a download (Windows'
   * `Zone.Identifier`), or the addresses macOS keeps (`kMDItemWhereFroms`); null when unknown.
   */
  origin: string | null
}

/** Zone names of Windows' `ZoneId` (URLZONE_*). */
const ZONES: Readonly<Record<string, string>> = {
  '0': 'this computer',
  '1': 'the local intranet',
  '2': 'a trusted site',
  '3': 'the Internet',
  '4': 'a restricted site',
}

/**
 * The origin a Windows `Zone.Identifier` stream records (`[ZoneTransfer]`, `ZoneId=3`,
 * `HostUrl=…`), as text; null when it holds none.
 */
export function parseZoneIdentifier(text: string): string | null {
  const values = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf('=')
    if (at > 0) values.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim())
  }
  const zone = values.get('zoneid')
  const where = values.get('hosturl') ?? values.get('referrerurl')
  if (zone === undefined && where === undefined) return null
  const parts = [zone !== undefined ? (ZONES[zone] ?? `zone ${zone.slice(0, 10)}`) : null, where ? where.slice(0, 300) : null]
  return parts.filter((p): p is string => p !== null).join(', ')
}

/** The addresses of `mdls -raw -name kMDItemWhereFroms FILE` (a parenthesised list), or null. */
export function parseWhereFroms(output: string): string | null {
  const addresses = [...output.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!).filter((a) => a.length > 0)
  return addresses.length > 0 ? addresses.slice(0, 2).join(', ').slice(0, 300) : null
}

/** How the origin is read on each OS (replaced in tests). */
export interface OriginReaders {
  /** The text of a Windows alternate data stream, or null. */
  readStream?: (path: string) => string | null
  /** The output of `mdls` for the file, or null. */
  whereFroms?: (path: string) => Promise<string | null>
}

const defaultReaders: Required<OriginReaders> = {
  readStream: (path) => {
    try {
      return readFileSync(path, 'utf8').slice(0, 4096)
    } catch {
      return null
    }
  },
  whereFroms: (path) =>
    new Promise((done) => {
      execFile('/usr/bin/mdls', ['-raw', '-name', 'kMDItemWhereFroms', path], { timeout: 2000, maxBuffer: 64 * 1024 }, (error, stdout) =>
        done(error ? null : stdout),
      )
    }),
}

/** Name, folder, size and origin of a file the OS handed the app. */
export async function openedFileFacts(path: string, platform: NodeJS.Platform = process.platform, readers: OriginReaders = {}): Promise<OpenedFileFacts> {
  const read = { ...defaultReaders, ...readers }
  let origin: string | null = null
  if (platform === 'win32') {
    const zone = read.readStream(`${path}:Zone.Identifier`)
    origin = zone === null ? null : parseZoneIdentifier(zone)
  } else if (platform === 'darwin') {
    const output = await read.whereFroms(path)
    origin = output === null ? null : parseWhereFroms(output)
  }
  return { name: basename(path), folder: dirname(path), bytes: statSync(path).size, origin }
}

/** `12.3 MB`: a size as people read it. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** The question the app asks before importing a file the OS handed it. */
export interface ImportPrompt {
  title: string
  message: string
  detail: string
  /** `[import, cancel]`: cancel is the default and the Escape answer. */
  buttons: [string, string]
}

/** The import question in the user's language (zh-TW unless the system language is another). */
export function importPromptOf(facts: OpenedFileFacts, locale: string): ImportPrompt {
  const size = formatFileSize(facts.bytes)
  if (/^zh/i.test(locale)) {
    return {
      title: '匯入結果檔',
      message: `要匯入結果檔「${facts.name}」嗎？`,
      detail: [`大小：${size}`, `位置：${facts.folder}`, `來源：${facts.origin ?? '不明'}`, '', '只匯入您信任的人寄來的檔案。檔案會先經過檢查，不符合本程式格式的檔案會被拒絕。'].join('\n'),
      buttons: ['匯入', '取消'],
    }
  }
  return {
    title: 'Import a result file',
    message: `Import the result file "${facts.name}"?`,
    detail: [`Size: ${size}`, `Folder: ${facts.folder}`, `From: ${facts.origin ?? 'unknown'}`, '', 'Import only files from people you trust. The file is checked first; one that is not exactly what this app writes is refused.'].join('\n'),
    buttons: ['Import', 'Cancel'],
  }
}
