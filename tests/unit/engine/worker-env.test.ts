import { describe, expect, it } from 'vitest'
import { isWorkerEnvName, workerEnvOf } from '../../../main/engine/worker-env.js'

/** A parent's environment as a developer's shell might have it: secrets, Node switches, and what a worker needs. */
const PARENT: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin',
  HOME: '/home/ada',
  USER: 'ada',
  TMPDIR: '/tmp/ada',
  TZ: 'Asia/Taipei',
  LANG: 'zh_TW.UTF-8',
  LC_ALL: 'zh_TW.UTF-8',
  LC_TIME: 'en_GB.UTF-8',
  PGPASSFILE: '/home/ada/.pgpass-plant',
  PGSSLMODE: 'verify-full',
  PGSSLROOTCERT: '/etc/ssl/plant-ca.pem',
  PGCONNECT_TIMEOUT: '5',
  PGAPPNAME: 'mes-trace',
  TNS_ADMIN: '/opt/oracle/network/admin',
  PGPASSWORD: 'parent-pg-password',
  MES_TRACE_ORACLE_PASSWORD: 'parent-oracle-password',
  PGSSLPASSWORD: 'parent-key-password',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  GITHUB_TOKEN: 'ghp_secret',
  NODE_OPTIONS: '--require /tmp/evil.cjs',
  NODE_PATH: '/tmp/evil-modules',
  ELECTRON_RUN_AS_NODE: '1',
  NODE_ORACLEDB_DEBUG_PACKETS: '1',
  MES_TRACE_POLICY_FILE: '/tmp/policy.json',
  LC_: 'not a locale category',
  SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
}

describe('workerEnvOf', () => {
  it('keeps what a worker needs and nothing else of the parent', () => {
    expect(workerEnvOf(PARENT, {}, 'linux')).toEqual({
      PATH: '/usr/local/bin:/usr/bin',
      HOME: '/home/ada',
      USER: 'ada',
      TMPDIR: '/tmp/ada',
      TZ: 'Asia/Taipei',
      LANG: 'zh_TW.UTF-8',
      LC_ALL: 'zh_TW.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
      PGPASSFILE: '/home/ada/.pgpass-plant',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/etc/ssl/plant-ca.pem',
      PGCONNECT_TIMEOUT: '5',
      PGAPPNAME: 'mes-trace',
      TNS_ADMIN: '/opt/oracle/network/admin',
      MALLOC_MMAP_THRESHOLD_: '131072',
    })
  })

  it('pins glibc’s mmap threshold on Linux only, whatever the parent had', () => {
    const parent = { ...PARENT, MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_ARENA_MAX: '1', GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=0' }
    const linux = workerEnvOf(parent, {}, 'linux')
    expect(linux.MALLOC_MMAP_THRESHOLD_).toBe('131072')
    expect(Object.keys(linux).filter((name) => name.startsWith('MALLOC_') || name.startsWith('GLIBC_'))).toEqual(['MALLOC_MMAP_THRESHOLD_'])
    for (const platform of ['win32', 'darwin'] as const) {
      expect(Object.keys(workerEnvOf(parent, {}, platform)).filter((name) => /^(MALLOC|GLIBC)_/i.test(name)), platform).toEqual([])
    }
  })

  it('never passes the parent’s passwords, keys, tokens or Node and Electron switches', () => {
    const env = workerEnvOf(PARENT, {}, 'linux')
    for (const name of [
      'PGPASSWORD', 'MES_TRACE_ORACLE_PASSWORD', 'PGSSLPASSWORD', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'NODE_OPTIONS', 'NODE_PATH',
      'ELECTRON_RUN_AS_NODE', 'NODE_ORACLEDB_DEBUG_PACKETS', 'MES_TRACE_POLICY_FILE', 'SSH_AUTH_SOCK',
    ]) {
      expect(env[name], name).toBeUndefined()
    }
    expect(Object.values(env).join('\n')).not.toMatch(/secret|password|evil/)
  })

  it('adds the job’s own variables over the allowed ones: its password reaches its worker', () => {
    const env = workerEnvOf(PARENT, { PGPASSWORD: 'job-password', PGSSLMODE: 'require' }, 'linux')
    expect(env.PGPASSWORD).toBe('job-password')
    expect(env.PGSSLMODE).toBe('require')
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined()
  })

  it('skips variables that are declared but unset', () => {
    expect(workerEnvOf({ PATH: undefined, HOME: '/home/ada' }, {}, 'darwin')).toEqual({ HOME: '/home/ada' })
  })

  describe('on Windows', () => {
    const WINDOWS: NodeJS.ProcessEnv = {
      Path: 'C:\\Windows\\system32;C:\\Windows',
      SystemRoot: 'C:\\Windows',
      windir: 'C:\\Windows',
      ComSpec: 'C:\\Windows\\system32\\cmd.exe',
      TEMP: 'C:\\Users\\ada\\AppData\\Local\\Temp',
      TMP: 'C:\\Users\\ada\\AppData\\Local\\Temp',
      USERPROFILE: 'C:\\Users\\ada',
      USERNAME: 'ada',
      APPDATA: 'C:\\Users\\ada\\AppData\\Roaming',
      LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
      PgPassword: 'parent-pg-password',
      AZURE_CLIENT_SECRET: 'azure-secret',
      Node_Options: '--require C:\\evil.cjs',
    }

    it('matches names without regard to case and keeps their spelling', () => {
      expect(workerEnvOf(WINDOWS, {}, 'win32')).toEqual({
        Path: 'C:\\Windows\\system32;C:\\Windows',
        SystemRoot: 'C:\\Windows',
        windir: 'C:\\Windows',
        ComSpec: 'C:\\Windows\\system32\\cmd.exe',
        TEMP: 'C:\\Users\\ada\\AppData\\Local\\Temp',
        TMP: 'C:\\Users\\ada\\AppData\\Local\\Temp',
        USERPROFILE: 'C:\\Users\\ada',
        USERNAME: 'ada',
        APPDATA: 'C:\\Users\\ada\\AppData\\Roaming',
        LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
      })
    })

    it('leaves one spelling of a job variable', () => {
      const env = workerEnvOf({ Path: 'C:\\Windows', PgSslMode: 'disable' }, { PGSSLMODE: 'require', PATH: 'C:\\Tools' }, 'win32')
      expect(env).toEqual({ PGSSLMODE: 'require', PATH: 'C:\\Tools' })
    })

    it('is case-sensitive elsewhere, as the OS is', () => {
      expect(isWorkerEnvName('Path', 'win32')).toBe(true)
      expect(isWorkerEnvName('Path', 'linux')).toBe(false)
      expect(isWorkerEnvName('PgPassword', 'win32')).toBe(false)
    })
  })
})
