/**
 * Resident set size of another process, read from the OS where that is cheap. On Linux that is
 * `/proc/<pid>/status` (a procfs read, no disk); elsewhere there is no dependency-free cheap way,
 * so callers fall back to what the worker reports about itself.
 */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

/** True where {@link readRssBytes} can answer from the OS. */
export const CAN_READ_RSS_FROM_OS = process.platform === 'linux'

/** Parses the `VmRSS:  123456 kB` line of `/proc/<pid>/status`; undefined when absent (zombie, kernel thread). */
export function parseVmRssBytes(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024
}

/** RSS of `pid` in bytes, or undefined when not on Linux or the process is gone. */
export async function readRssBytes(pid: number): Promise<number | undefined> {
  if (!CAN_READ_RSS_FROM_OS) return undefined
  try {
    return parseVmRssBytes(await readFile(`/proc/${pid}/status`, 'utf8'))
  } catch {
    // ENOENT/ESRCH: the process ended between samples; its exit is reported elsewhere.
    return undefined
  }
}

/**
 * Synchronous twin of {@link readRssBytes} for `WorkerHandle.rssBytes()`, which is a plain getter.
 * A procfs read is served from kernel memory in microseconds, so it does not stall the main loop.
 */
export function readRssBytesSync(pid: number): number | undefined {
  if (!CAN_READ_RSS_FROM_OS) return undefined
  try {
    return parseVmRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return undefined
  }
}
