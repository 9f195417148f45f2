/**
 * The handlers behind every channel of the contract (shared/api.ts), built once from the engine,
 * the result service, the catalog and the data folder. Transports never call these directly: they
 * go through the ServiceRouter, which validates first.
 */
import { createHash } from 'node:crypto'
import { basename, isAbsolute } from 'node:path'
import { AppError, invalidInput } from '../../shared/errors.js'
import type { Responses } from '../../shared/api.js'
import { EMPTY_POLICY, type ManagedPolicy } from '../../shared/policy.js'
import { defaultSettings, isSettingKey, parseSetting, resolveSettings, type EngineSettings } from '../../shared/settings.js'
import { jobViewOf, type JobEngine } from '../engine/index.js'
import { diffResults, exportResult, exportsFolderDestination, exportTablesOf, planView, type ExportDestination, type ResultService } from '../results/index.js'
import { deliverReport, type ReportSaver } from '../report/index.js'
import { openSource, parseSourceSpec, readMachineJobs, sourceIdOf, type SourceSpec } from '../sources/index.js'
import type { Catalog } from '../store/index.js'
import type { Handlers } from './router.js'
import type { SecretStore } from './secret-store.js'
import { createEquipmentServices } from './equipment-services.js'
import { SourceFacts } from './source-facts.js'
import { SourceProfiles } from './source-profiles.js'

export interface ServicesOptions {
  engine: JobEngine
  /** The one reader of finished results (its owner closes it, not the services). */
  results: ResultService
  catalog: Catalog
  dataDir: string
  appVersion: string
  /** Source profiles (default: kept in the catalog, with the policy's managed source). */
  sources?: SourceProfiles
  /** The machine's policy. @default nothing managed */
  policy?: ManagedPolicy
  /** Why the machine's policy was ignored or could not be checked, shown in the settings view. @default none */
  policyWarnings?: string[]
  /**
   * The engine's settings from every layer as its host resolves them (policy, command-line flags,
   * environment, the stored values), read again after `settings:set` so the next trace uses the
   * change. @default the change applies when the host starts again
   */
  engineSettings?: () => EngineSettings
  /** Where server passwords are kept (when `sources` is not given). @default in memory */
  secrets?: SecretStore
  /** The cached data-window and loss-reason reads. @default a cache of its own */
  sourceFacts?: SourceFacts
  /**
   * Where `jobs:export` writes: the desktop app's save dialog, or the browser host's exports folder.
   * @default a new file in `<dataDir>/exports`, for the page to download
   */
  exportDestination?: ExportDestination
  /**
   * Where `results:report` saves a report and how it prints one to PDF: the desktop app's save
   * dialog and browser engine.
   * @default none: the report's HTML goes back to the page, to download (browser host)
   */
  reportSaver?: ReportSaver
  /**
   * Shows an exported file in its folder (the desktop app: Electron's `shell.showItemInFolder`).
   * @default none: `jobs:show-export` is refused (the browser host has no folder to show)
   */
  folderRevealer?: FolderRevealer
}

/** Opens the folder of a file with the file selected, in the system's file manager. */
export interface FolderRevealer {
  showInFolder(path: string): void
}

/** Exported files `jobs:show-export` may show: the most recent ones, oldest forgotten first. */
export const MAX_SHOWABLE_EXPORTS = 200

/** Builds the handler of every channel. */
export function createServices(options: ServicesOptions): Handlers {
  const { engine, results, catalog, dataDir, appVersion } = options
  const exportDestination = options.exportDestination ?? exportsFolderDestination(dataDir)
  const policy = options.policy ?? EMPTY_POLICY
  // Files this process exported where the person chose: the only ones `jobs:show-export` shows.
  const showable = new Set<string>()
  const sources = options.sources ?? new SourceProfiles(catalog, policy.source, options.secrets)
  // The data window and loss reasons the new-trace form asks for, kept a while per source.
  const facts = options.sourceFacts ?? new SourceFacts()
  // Keyed by the spec too (hashed: it may hold a password), so a changed profile reads afresh.
  const factsKeyOf = (id: string): { key: string; spec: SourceSpec } => {
    const { spec } = sources.specOf(id)
    return { key: `${id}:${createHash('sha256').update(JSON.stringify(spec)).digest('hex')}`, spec }
  }
  const settingValues = (): Responses['settings:get'] => {
    const defaults = defaultSettings()
    const stored = Object.fromEntries(Object.entries(catalog.allSettings()).filter(([key, value]) => isSettingKey(key) && typeof value === 'number'))
    const values: Record<string, number> = resolveSettings({ policy: policy.settings, stored })
    // What the engine's own resolver gives besides: the layers the app was started with.
    const engineValues: Record<string, number> = options.engineSettings?.() ?? values
    const inEffect = Object.fromEntries(Object.entries(engineValues).filter(([key, value]) => values[key] !== value))
    return {
      values,
      defaults,
      managed: { ...policy.settings } as Record<string, { value: number; locked: boolean }>,
      in_effect: inEffect,
      updates: policy.updates ? { enabled: policy.updates.value, locked: policy.updates.locked } : null,
      policy_warnings: [...(options.policyWarnings ?? [])],
    }
  }
  const applySettings = (): void => {
    if (options.engineSettings) engine.updateSettings(options.engineSettings())
  }
  const assertUnlocked = (key: string): void => {
    if (isSettingKey(key) && policy.settings[key]?.locked) {
      throw new AppError('policy/locked', `${key} is set to ${policy.settings[key].value} by the machine policy and cannot be changed here. Ask IT.`, { field: 'key', key })
    }
  }
  const remember = (path: string): void => {
    showable.delete(path)
    showable.add(path)
    for (const old of showable) {
      if (showable.size <= MAX_SHOWABLE_EXPORTS) break
      showable.delete(old)
    }
  }
  const equipment = createEquipmentServices({
    sources,
    facts,
    results,
    sourceIdOfJob: (jobId) => engine.status(jobId).source_id,
    factsKeyOf,
    limits: () => {
      const { values } = settingValues()
      return { max_machines: Number(values.EQUIPMENT_MAX_MACHINES), max_days: Number(values.EQUIPMENT_MAX_DAYS) }
    },
    exportDestination,
    dataDir,
    remember,
  })
  return {
    ...equipment,
    // Jobs
    'jobs:enqueue': ({ request, source_id: sourceId, force }) => {
      const { spec, description } = sources.specOf(sourceId, 'source_id')
      const profile = sources.get(sourceId, 'source_id')
      const result = engine.enqueue(request, {
        source: spec,
        sourceDescription: description,
        ...(force ? { force } : {}),
        // A server profile says how its MSD traces are pushed down; a file is left to auto (never).
        pushdown: profile.kind === 'sqlite' ? 'auto' : profile.pushdown,
      })
      return { job_id: result.jobId, cached: result.cached, as_of: result.asOf ?? null }
    },
    'jobs:list': (query) =>
      engine
        .list({
          ...(query.status ? { status: query.status } : {}),
          ...(query.profile ? { profile: query.profile } : {}),
          ...(query.text !== undefined ? { text: query.text } : {}),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(query.offset !== undefined ? { offset: query.offset } : {}),
        })
        .map(jobViewOf),
    'jobs:status': ({ job_id: jobId }) => engine.view(jobId),
    'jobs:cancel': ({ job_id: jobId }) => jobViewOf(engine.cancel(jobId)),
    'jobs:pin': ({ job_id: jobId, pinned }) => jobViewOf(engine.pin(jobId, pinned)),
    'jobs:remove': ({ job_id: jobId }) => {
      engine.remove(jobId)
      return { removed: true }
    },
    'jobs:rerun': ({ job_id: jobId }) => {
      const secretEnv = sources.secretEnvOf(engine.status(jobId).source_id)
      return { job_id: engine.rerun(jobId, secretEnv ? { secretEnv } : {}).jobId }
    },
    'jobs:export': async ({ job_id: jobId, format, table, view }, context) => {
      if (format === 'csv' && table === undefined) throw invalidInput('table', 'a CSV export holds one table; choose which')
      if (view !== undefined && table === undefined) throw invalidInput('table', 'a view is of one table; choose which')
      if (view !== undefined && format === 'sqlite') throw invalidInput('view', 'applies to csv and xlsx only (the sqlite copy holds everything)')
      // The job, its table and the view are checked before anyone is asked where to put the file.
      const reader = results.reader(jobId)
      exportTablesOf(reader, format, table)
      if (view !== undefined && table !== undefined) planView(reader, table, view)
      const target = await exportDestination.choose({ jobId, table: table ?? null, format, ...(view ? { view: true } : {}), clientId: context.clientId })
      if (!target) return { cancelled: true, delivery: 'saved', files: [] }
      const files = await exportResult(reader, { format, path: target.path, ...(table ? { table } : {}), ...(view ? { view } : {}), dataDir })
      if (target.delivery === 'saved') for (const f of files) remember(f.path)
      return {
        cancelled: false,
        delivery: target.delivery,
        files: files.map((f) => ({
          path: f.path,
          name: basename(f.path),
          ...(f.rows !== undefined ? { rows: f.rows } : f.sheets ? { rows: f.sheets.reduce((n, sheet) => n + sheet.rows, 0) } : {}),
          ...(f.bytes !== undefined ? { bytes: f.bytes } : {}),
        })),
      }
    },
    'jobs:show-export': ({ path }) => {
      if (!options.folderRevealer) {
        throw new AppError('export/refused', 'Show in folder is available in the desktop app only; the browser keeps its downloads in its own folder.', { reason: 'unavailable' })
      }
      // Only a file this app just wrote where the person chose, compared as main wrote it: a page cannot name any other.
      if (!showable.has(path)) {
        throw new AppError('export/refused', 'path: only a file this app exported since it started can be shown in its folder.', { field: 'path', reason: 'not-exported' })
      }
      options.folderRevealer.showInFolder(path)
      return { shown: true }
    },
    'jobs:import': async ({ path }) => jobViewOf((await engine.importResult(path)).row),
    // Results
    'results:page': ({ job_id: jobId, domain, ...page }) => results.page(jobId, domain, page),
    'results:lineage': ({ job_id: jobId }) => results.lineage(jobId),
    'results:aggregation': ({ job_id: jobId }) => results.aggregation(jobId),
    'results:detail': ({ job_id: jobId, table, ...page }) => results.detail(jobId, table, page),
    'results:diff': ({ job_a: jobA, job_b: jobB }) => diffResults(results, jobA, jobB, { a: 'job_a', b: 'job_b' }),
    'results:report': ({ job_id: jobId, locale, format }, context) =>
      deliverReport(results, { jobId, locale, format: format ?? 'html', clientId: context.clientId }, {
        appVersion,
        dataDir,
        ...(options.reportSaver ? { saver: options.reportSaver } : {}),
      }),
    'results:summary': ({ job_id: jobId }) => results.summary(jobId),
    // Sources
    'sources:list': () => sources.list(),
    'sources:add': (input) => sources.add(input),
    'sources:test': async (input) => {
      let spec: SourceSpec
      if (input.id !== undefined) spec = sources.specOf(input.id).spec
      else if (input.kind === 'postgres' || input.kind === 'oracle') {
        if (input.url === undefined) throw invalidInput('url', `give the ${input.kind}:// URL of the source`)
        spec = parseSourceSpec(input.url, 'url')
        if (spec.kind !== input.kind) throw invalidInput('url', `is not a ${input.kind}:// URL`)
      } else {
        if (input.path === undefined) throw invalidInput('path', 'give the id of a saved source, or kind and path of a new one')
        // As `sources:add`: a relative path would be resolved against wherever main happens to run.
        if (!isAbsolute(input.path)) throw invalidInput('path', 'must be an absolute path to a SQLite file')
        spec = parseSourceSpec(`sqlite:${input.path}`, 'path')
      }
      // Opening includes the schema check: a missing table or column is named here.
      const { source, schema } = await openSource(spec)
      await source.close()
      return { ok: true, description: source.description, warnings: schema.warnings }
    },
    'sources:set-password': ({ id, password }) => sources.setPassword(id, password),
    'sources:set-pushdown': ({ id, pushdown }) => sources.setPushdown(id, pushdown),
    'sources:remove': ({ id }) => {
      sources.remove(id)
      return { removed: true }
    },
    'sources:data-window': ({ id }) => {
      const { key, spec } = factsKeyOf(id)
      return facts.dataWindow(key, spec)
    },
    'sources:loss-reasons': ({ id, station }) => {
      const { key, spec } = factsKeyOf(id)
      return facts.lossReasons(key, spec, station)
    },
    'sources:machine-jobs': async ({ job_id: jobId, equipment_id: equipmentId }) => {
      // The result's own source: the saved profile whose spec the job was run with.
      const sourceId = engine.status(jobId).source_id
      const profile = sources.list().find((p) => {
        try {
          return sourceIdOf(sources.specOf(p.id).spec) === sourceId
        } catch {
          return false
        }
      })
      if (!profile) {
        throw new AppError('source/unreachable', `The source this result was read from (${sourceId}) is not a saved source here; add it to read its repair jobs.`, { source: sourceId })
      }
      const { key, spec } = factsKeyOf(profile.id)
      // The window ends on the source's last day of data, read once and kept a while.
      const window = await facts.dataWindow(key, spec)
      const { source } = await openSource(spec)
      try {
        return await readMachineJobs(source, equipmentId, { window })
      } finally {
        await source.close()
      }
    },
    // Settings
    'settings:get': () => settingValues(),
    'settings:set': ({ key, value }) => {
      if (!isSettingKey(key)) throw invalidInput('key', `unknown setting ${JSON.stringify(key)}`)
      assertUnlocked(key)
      if (value === null) {
        catalog.deleteSetting(key)
        applySettings()
        return { key, value: policy.settings[key]?.value ?? defaultSettings()[key] }
      }
      const parsed = parseSetting(key, value, 'value')
      catalog.setSetting(key, parsed)
      applySettings()
      return { key, value: parsed }
    },
    // App
    'app:version': () => ({ version: appVersion }),
    'app:data-dir': () => {
      if (!dataDir) throw new AppError('internal/unexpected', 'The data folder is not known.')
      return { path: dataDir }
    },
  }
}
