/**
 * The data folder's lock: a file naming the process whose engine owns the folder's running jobs.
 * Only the owner recovers at start (marks running jobs interrupted, removes partial files); a
 * second engine on the same folder — the CLI beside the desktop app — leaves the other's work
 * alone. Any process can ask whether a process id still lives, so a reader can tell a running job
 * whose engine is gone.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'

/** Name of the lock file an engine keeps in its data folder. */
export const ENGINE_LOCK_FILE = 'engine.lock'

/** True while a process with this id exists (one of another user's counts: it exists). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class DataFolderLock {
  private owned = false

  /** `path` undefined: no lock, this engine always owns recovery and never knows of others. */
  constructor(private readonly path: string | undefined) {}

  /** Whether a lock file is kept at all. */
  get enabled(): boolean {
    return this.path !== undefined
  }

  /** Whether this process holds the lock. */
  get ownedHere(): boolean {
    return this.owned || !this.enabled
  }

  /** The process id the lock file names, if it names one. */
  holder(): number | null {
    if (!this.path) return null
    try {
      const pid = Number(readFileSync(this.path, 'utf8').trim())
      return Number.isSafeInteger(pid) && pid > 0 ? pid : null
    } catch {
      return null
    }
  }

  /** True when a live process holds the folder (this one included, once it took the lock). */
  heldByLiveProcess(): boolean {
    if (!this.enabled) return true
    const pid = this.holder()
    return pid !== null && processAlive(pid)
  }

  /** Takes the lock unless another live process holds it; true when this process owns recovery. */
  acquire(): boolean {
    if (!this.path) return true
    const holder = this.holder()
    if (holder !== null && holder !== process.pid && processAlive(holder)) return false
    // No lock yet, an unreadable one, or a dead holder's: take it.
    writeFileSync(this.path, String(process.pid))
    this.owned = true
    return true
  }

  /** Gives the lock up, if this process still holds it. */
  release(): void {
    if (!this.path || !this.owned) return
    try {
      if (readFileSync(this.path, 'utf8').trim() === String(process.pid)) rmSync(this.path, { force: true })
    } catch {
      // Already gone.
    }
    this.owned = false
  }
}
