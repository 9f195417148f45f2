/**
 * The environment a worker process starts with: a short allow-list taken from the parent's
 * environment, plus the job's own variables (its source's password). Never the parent's whole
 * environment: a worker runs queries against servers named by whoever made the job, so it must
 * not carry the user's cloud keys, tokens or other passwords, nor Node's and Electron's control
 * variables (`NODE_OPTIONS` could load code into it, `ELECTRON_RUN_AS_NODE` changes what it is).
 */

/**
 * Variables a worker takes from its parent, by name. Each is something the worker's own code or
 * the libraries it loads really read, and none carries a secret:
 * - finding programs and the system on every OS: `PATH`, and on Windows `SYSTEMROOT`,
 *   `SYSTEMDRIVE`, `WINDIR`, `COMSPEC`, `PATHEXT`;
 * - temporary files and the home folder (`os.tmpdir()`, `os.homedir()`, where `~/.pgpass` and
 *   `%APPDATA%\postgresql\pgpass.conf` are found): `TMPDIR`, `TMP`, `TEMP`, `HOME`, `USERPROFILE`,
 *   `HOMEDRIVE`, `HOMEPATH`, `APPDATA`, `LOCALAPPDATA`;
 * - the user name node-postgres defaults to: `USER`, `LOGNAME`, `USERNAME`;
 * - time zone and language (times from the source are local): `TZ`, `LANG`, `LANGUAGE`, `LC_*`;
 * - the connection settings node-postgres honours (`PGPASSWORD` excepted: a job's password comes
 *   only with the job), and the file paths of PostgreSQL's TLS setup;
 * - node-oracledb's Thin mode: `TNS_ADMIN` (tnsnames.ora, wallets), `ORA_SDTZ`, `ORA_EDITION`;
 * - a company's root certificates for TLS to the source: `NODE_EXTRA_CA_CERTS`.
 */
export const WORKER_ENV_NAMES: readonly string[] = [
  'PATH',
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'TMPDIR',
  'TMP',
  'TEMP',
  'HOME',
  'USERPROFILE',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'USER',
  'LOGNAME',
  'USERNAME',
  'TZ',
  'LANG',
  'LANGUAGE',
  'PGHOST',
  'PGPORT',
  'PGDATABASE',
  'PGUSER',
  'PGPASSFILE',
  'PGSSLMODE',
  'PGSSLNEGOTIATION',
  'PGSSLROOTCERT',
  'PGSSLCERT',
  'PGSSLKEY',
  'PGSSLCRL',
  'PGCONNECT_TIMEOUT',
  'PGAPPNAME',
  'PGOPTIONS',
  'PGCLIENT_ENCODING',
  'TNS_ADMIN',
  'ORA_SDTZ',
  'ORA_EDITION',
  'NODE_EXTRA_CA_CERTS',
]

/** Prefixes of variables a worker takes from its parent (the locale categories). */
export const WORKER_ENV_PREFIXES: readonly string[] = ['LC_']

/**
 * Whether a worker may take the parent's variable `name`. On Windows names are matched without
 * regard to case, as Windows itself does (`Path`, `SystemRoot`, `windir` are spelled so there).
 */
export function isWorkerEnvName(name: string, platform: NodeJS.Platform = process.platform): boolean {
  const key = platform === 'win32' ? name.toUpperCase() : name
  return WORKER_ENV_NAMES.includes(key) || WORKER_ENV_PREFIXES.some((prefix) => key.startsWith(prefix) && key.length > prefix.length)
}

/**
 * How the C library's allocator serves a worker, on Linux: glibc reads `MALLOC_MMAP_THRESHOLD_`
 * when the process starts (other C libraries and systems ignore it). Blocks of 128 KiB and more
 * are then mapped on their own and given back to the system when freed, as Windows' heap does with
 * large blocks. By default glibc raises that threshold to the largest block freed so far (up to
 * 32 MiB); from then on the arrays with an entry per container or lot (about 1 MB each at 240 000
 * lots) came from its main heap, and once freed stayed resident there for the rest of the run (33
 * of a worker's 145 MB at that size). Measured at 240 000 lots (docs/pushdown.md): pushdown peak
 * RSS 145 → 135 MB backward and 146 → 140 MB forward in one profiled run each, the analysis steps
 * after the walk 20-30 MB lower, the same wall time.
 */
export function workerAllocatorEnv(platform: NodeJS.Platform = process.platform): Record<string, string> {
  return platform === 'linux' ? { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) } : {}
}

/**
 * The environment of a new worker: the allow-listed variables of `parent` (spelled as there), the
 * allocator's settings ({@link workerAllocatorEnv}), then `jobEnv` over them. `jobEnv` is the
 * job's own (its source's password, a test fixture's setting) and is taken whole: the engine gives
 * it only to the job it belongs to.
 */
export function workerEnvOf(
  parent: NodeJS.ProcessEnv,
  jobEnv: Readonly<Record<string, string>> = {},
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && isWorkerEnvName(name, platform)) env[name] = value
  }
  Object.assign(env, workerAllocatorEnv(platform))
  for (const [name, value] of Object.entries(jobEnv)) {
    // One spelling per variable on Windows, or the child would see whichever comes first.
    if (platform === 'win32') {
      for (const existing of Object.keys(env)) if (existing.toUpperCase() === name.toUpperCase()) delete env[existing]
    }
    env[name] = value
  }
  return env
}
