/**
 * Writing an output file safely. Everything an export writes goes first to a hidden temporary file
 * beside its final path and appears under that path only when complete, so a failure never leaves
 * half a file under the name asked for. It appears *exclusively*: a new file is linked into place
 * and never renamed over an existing one, so an export cannot replace what the person did not
 * choose (the command line's `--force` is the one exception, and only for a regular file). Before
 * the first byte, the target is checked: never a symbolic link, a folder or a device, never a file
 * of the data folder outside its `exports` folder. Line writes wait for a stream to drain, so an
 * export never buffers more than one chunk.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { constants, copyFileSync, linkSync, lstatSync, realpathSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import { finished } from 'node:stream/promises'
import { AppError, invalidInput, type AppErrorData } from '../../shared/errors.js'

/** Folder of the data folder that exports may be written to. */
export const EXPORTS_FOLDER = 'exports'

/** A temporary name next to `path`, on the same file system so the final step is atomic. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
}

/** What an export target must respect. */
export interface TargetRules {
  /**
   * The app's data folder: nothing inside it may be written but its `exports` folder (the catalog
   * and the result files live there).
   * @default no data folder to protect
   */
  dataDir?: string
  /**
   * Replace an existing regular file (the command line's `--force`, for its own user). A link, a
   * folder or a device is refused even then.
   * @default false
   */
  replace?: boolean
  /** The field that names the target in errors (`path`, or a flag such as `--out`). @default 'path' */
  field?: string
}

function refused(path: string, why: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('export/refused', `${path} ${why}`, { path, ...details })
}

/** A folder's identity on disk (device and inode, or the volume and file index on Windows). */
function folderId(path: string): string | null {
  try {
    const stat = statSync(path, { bigint: true })
    return `${stat.dev}:${stat.ino}`
  } catch {
    return null
  }
}

/**
 * True when the existing folder `path` is `dir` or inside it. Compared by identity on disk, not
 * by spelling: on case-insensitive file systems (Windows, macOS) and with Windows short names
 * (`MESTRA~1`) one folder has many spellings.
 */
function isWithin(path: string, dir: string): boolean {
  const wanted = folderId(dir)
  if (wanted === null) return false
  for (let current = path; ; ) {
    if (folderId(current) === wanted) return true
    const parent = dirname(current)
    if (parent === current) return false
    current = parent
  }
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path)
  } catch {
    return null
  }
}

/**
 * The absolute `path` with its folder resolved (links in the folder path followed, so the
 * data-folder rule cannot be walked around), after the checks every export target shares: an
 * absolute path whose folder exists, and nothing inside the data folder but its `exports` folder.
 */
function resolveTarget(path: string, rules: TargetRules, verb: 'write' | 'make'): string {
  const field = rules.field ?? 'path'
  if (!isAbsolute(path)) throw invalidInput(field, `must be an absolute path, got ${JSON.stringify(path.slice(0, 200))}`)
  const folder = realOrNull(dirname(path))
  if (folder === null || !statSync(folder).isDirectory()) throw invalidInput(field, `cannot ${verb} ${path}: the folder ${dirname(path)} does not exist`)
  const target = join(folder, basename(path))
  if (rules.dataDir && isWithin(folder, rules.dataDir)) {
    const exportsDir = join(rules.dataDir, EXPORTS_FOLDER)
    // The target's own folder decides; a folder target may be `exports` itself, made on first use.
    const allowed =
      isWithin(folder, exportsDir) ||
      (verb === 'make' && (folderId(target) !== null ? isWithin(target, exportsDir) : folderId(folder) === folderId(rules.dataDir) && basename(target).toLowerCase() === EXPORTS_FOLDER))
    if (!allowed) {
      throw refused(path, `is inside the app's data folder (${rules.dataDir}), which holds the catalog and the results; an export goes to its ${EXPORTS_FOLDER} folder or outside it.`, { reason: 'data-folder' })
    }
  }
  return target
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}

/**
 * Checks an export target before anything is written, and returns it with its folder resolved.
 * Refuses with `export/refused` a symbolic link, anything that is not a regular file, a file of
 * the data folder outside `exports/`, and an existing file unless `replace`; a missing folder is
 * `input/invalid` naming the field.
 */
export function assertExportTarget(path: string, rules: TargetRules = {}): string {
  const target = resolveTarget(path, rules, 'write')
  const stat = lstatOrNull(target)
  if (stat) {
    if (stat.isSymbolicLink()) throw refused(path, 'is a symbolic link; an export is written only to a new or regular file.', { reason: 'link' })
    if (stat.isDirectory()) throw invalidInput(rules.field ?? 'path', `${path} is a folder; give a file path`)
    if (!stat.isFile()) throw refused(path, 'is not a regular file (a device, a pipe or a socket); an export is written only to a new or regular file.', { reason: 'not-a-file' })
    if (!rules.replace) {
      throw refused(path, 'already exists; an export never replaces a file: choose another name.', { reason: 'exists', exists: true })
    }
  }
  return target
}

/**
 * Checks a folder an export writes several files into (CSV of every table) before it is made:
 * its parent must exist, it must not be a link or a file, and the data-folder rule of
 * {@link assertExportTarget} holds for it. Each file in it is checked again before it is written.
 */
export function assertExportFolder(path: string, rules: TargetRules = {}): void {
  const stat = lstatOrNull(resolveTarget(path, rules, 'make'))
  if (!stat) return
  if (stat.isSymbolicLink()) throw refused(path, 'is a symbolic link; an export is written only into a real folder.', { reason: 'link' })
  if (!stat.isDirectory()) throw invalidInput(rules.field ?? 'path', `${path} is a file; for every table, give a folder that gets one <table>.csv per table`)
}

/** Errors of `link` that mean "this file system has no hard links", where a copy must do. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EINVAL', 'EMLINK'])

/**
 * Puts a finished temporary file at `path`: linked there (fails if anything appeared at `path`
 * meanwhile), or copied with `COPYFILE_EXCL` where the file system has no hard links, then the
 * temporary name is removed. With `replace`, renamed over the existing file.
 */
function publish(temp: string, path: string, replace: boolean): void {
  if (replace) {
    renameSync(temp, path)
    return
  }
  try {
    linkSync(temp, path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    if (code === 'EEXIST') throw refused(path, 'already exists; an export never replaces a file: choose another name.', { reason: 'exists', exists: true })
    if (!NO_LINKS.has(code)) throw error
    try {
      copyFileSync(temp, path, constants.COPYFILE_EXCL)
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') {
        throw refused(path, 'already exists; an export never replaces a file: choose another name.', { reason: 'exists', exists: true })
      }
      throw copyError
    }
  }
  rmSync(temp, { force: true })
}

/**
 * Writes `path` through a temporary file that appears there only when complete (exclusively,
 * unless `replace`); the temporary file never survives a failure. `temp` defaults to a hidden name
 * beside `path`.
 */
export async function writeAtomically<T>(
  path: string,
  write: (tempPath: string) => Promise<T>,
  temp = tempPathFor(path),
  options: { replace?: boolean } = {},
): Promise<T> {
  try {
    const result = await write(temp)
    publish(temp, path, options.replace === true)
    return result
  } catch (error) {
    rmSync(temp, { force: true })
    if (error instanceof AppError) throw error
    throw new AppError('storage/write-failed', `writing ${path} failed: ${(error as Error).message}`, { path }, { cause: error })
  }
}

function writeFailed(path: string, error: unknown): AppErrorData {
  return { code: 'storage/write-failed', message: `writing ${path} failed: ${(error as Error).message}`, details: { path } }
}

/** Flushes and closes an output stream; returns the error when the file could not be completed. */
export async function closeOutput(stream: WriteStream, path: string): Promise<AppErrorData | null> {
  if (stream.destroyed) return stream.errored ? writeFailed(path, stream.errored) : null
  stream.end()
  try {
    await finished(stream)
    return null
  } catch (error) {
    return writeFailed(path, error)
  }
}

/** Writes one line, waiting for the stream to drain; `once` rejects if the stream errors meanwhile. */
export async function writeLine(stream: WriteStream, line: string): Promise<void> {
  if (stream.destroyed) {
    const data = writeFailed(String(stream.path), stream.errored ?? new Error('the file was closed'))
    throw new AppError(data.code, data.message, data.details)
  }
  if (!stream.write(line)) await once(stream, 'drain')
}
