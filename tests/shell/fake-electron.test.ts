/**
 * The fake Electron the shell boots under keeps Electron's documented rules: it has to fail where
 * Electron would, or the boot tests prove nothing. An app entry (fixtures/fake-rules.mjs) hits
 * each rule under the same module hooks the shell runs with.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const HERE = import.meta.dirname
const REGISTER = join(HERE, 'fake-electron', 'register.mjs')

describe('the fake Electron', () => {
  let results: Record<string, unknown>

  beforeAll(async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', REGISTER, join(HERE, 'fixtures', 'fake-rules.mjs')], { timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } }, (error, out, err) =>
        error ? reject(new Error(`fake-rules.mjs failed: ${error.message}\n${err}`)) : resolve(out),
      )
    })
    results = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
  }, 40_000)

  it('refuses windows, sessions, dialogs, utility processes and protocol handlers before ready', () => {
    expect(results).toMatchObject({
      browserWindowBeforeReady: 'throws: Cannot create BrowserWindow before app is ready',
      protocolHandleBeforeReady: 'throws: protocol.handle is not a function',
      sessionBeforeReady: 'throws: Session can only be received when app is ready',
      forkBeforeReady: 'throws: utilityProcess cannot be created before app is ready.',
      dialogBeforeReady: 'throws: dialog module can only be used after app is ready',
    })
  })

  it('privileges schemes only before ready, and takes one handler per scheme and per IPC channel', () => {
    expect(results).toMatchObject({
      registerSchemes: 'ok',
      registerSchemesAfterReady: 'throws: protocol.registerSchemesAsPrivileged should be called before app is ready',
      protocolHandle: 'ok',
      protocolHandleTwice: 'throws: Failed to register protocol: app',
      firstHandle: 'ok',
      secondHandle: "throws: Attempted to register a second handler for 'jobs:list'",
      menuWithoutLabel: 'throws: Invalid template for MenuItem: must have at least one of label, role or type',
    })
  })

  it('fetches file: URLs with net.fetch, and canonicalizes a standard custom scheme', () => {
    expect(results.netFetchFile).toEqual({ status: 200, same: true })
    expect(results.netFetchMissing).toBe('rejects: net::ERR_FILE_NOT_FOUND')
    expect(results.netFetchCustom).toBe('app://mes-trace/b.html')
  })

  it('talks to a utility process only through process.parentPort, with structured clone both ways', () => {
    expect(results.pidBeforeSpawn).toBe(true)
    // Posted before the child listened: queued for it, not lost.
    expect(results.echo).toEqual({ whenIsDate: true, mapIsMap: true, ports: 0, send: 'undefined', channel: 'none', argv: ['--x'] })
    expect(results.postFunction).toMatch(/^throws: .*could not be cloned/)
    expect(results.echoExit).toEqual({ code: 0, pidAfterExit: true, stdoutAfterExit: null })
    expect(results.stdinPipe).toBe('throws: stdin value other than ignore is not supported.')
  })

  it('gives a worker written for child_process.fork no channel at all', () => {
    expect(results.childProcessWorker).toEqual({ code: 3, messages: 0, stderr: 'no IPC channel: process.send is undefined' })
  })

  it('reports a utility process killed from outside with a non-zero exit code and nothing else', () => {
    expect(results.killedExit).toEqual({ arguments: 1, code: 9 })
  })
})
