import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../../main/cli/command-table.js'
import { main } from '../../../main/cli/main.js'
import { captureIo } from '../../fixtures/cli-io.js'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

describe('mes-trace dispatch', () => {
  it('refuses a word that names no command with input/invalid naming it and listing the commands (exit 2), running nothing', async () => {
    for (const word of ['bogus', 'toString', '__proto__', 'constructor', 'Run']) {
      const r = await cli(word, '--data-dir', '/nonexistent/never-made')
      expect([word, r.code, r.out]).toEqual([word, 2, ''])
      expect(r.err).toBe(
        `mes-trace: [input/invalid] COMMAND: unknown command ${JSON.stringify(word)}; the commands are ` +
          'demo, run, demo-run, jobs, show, diff, cancel, pin, rm, rerun, export, report, import, load, serve, help (`mes-trace help` says what each does)\n',
      )
    }
  })

  it('prints the usage on stdout and exits 2 when no command is given', async () => {
    const r = await cli()
    expect([r.code, r.err]).toEqual([2, ''])
    expect(r.out.startsWith('Usage: mes-trace <command> [options]\n')).toBe(true)
  })

  it('generates the usage from the command table: every command, its summary and its flags', async () => {
    for (const argv of [['help'], ['--help'], ['-h']]) {
      const r = await cli(...argv)
      expect([argv[0], r.code, r.err]).toEqual([argv[0], 0, ''])
      for (const [name, command] of Object.entries(COMMANDS)) {
        const head = command.positional ? `${name} ${command.positional}` : name
        expect(r.out).toMatch(new RegExp(`^  ${head.replace(/[-]/g, '\\-')}( |\\n)`, 'm'))
        expect(r.out).toContain(command.summary.split('\n')[0])
        for (const line of command.usage) expect(r.out).toContain(`               ${line}\n`)
      }
    }
  })

  it('prints one command’s usage for `help COMMAND` and `COMMAND --help`, with the shared flags it takes', async () => {
    const byHelp = await cli('help', 'cancel')
    const byFlag = await cli('cancel', '--help')
    expect(byHelp).toEqual(byFlag)
    expect(byHelp).toEqual({
      code: 0,
      err: '',
      out:
        'Usage: mes-trace cancel JOB_ID [options]\n\n' +
        'Cancel a queued job (a job that already ended is left as it is)\n\n' +
        "  --data-dir DIR    catalog and results (default: the app's data folder)\n" +
        '  --json            print one JSON object on stdout\n',
    })
    const show = await cli('show', 'trace-evt-0123456789ab', '-h')
    expect(show.code).toBe(0)
    expect(show.out).toContain('  --verbose         the log with the stack of each error\n')
    const unknown = await cli('help', 'nope')
    expect([unknown.code, unknown.out]).toEqual([2, ''])
    expect(unknown.err).toContain('mes-trace help: [input/invalid] COMMAND: unknown command "nope"')
  })

  it('takes --help after `--` as an argument, not as a request for help', async () => {
    const r = await cli('import', '--', '--help', '--data-dir', '/x')
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toContain('FILE: give one FILE')
  })
})
