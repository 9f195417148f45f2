/**
 * The handlers behind every channel of the contract (shared/api.ts), built once from the engine,
 * the catalog and the data folder. Transports never call these directly: they go through the
 * ServiceRouter, which validates first.
 */
import { basename, isAbsolute } from 'node:path'
import { AppError, invalidInput } from '../../shared/errors.js'
import { MAX_NOT_FOUND_SHOWN, type Responses } from '../../shared/api.js'
import { EMPTY_POLICY, type ManagedPolicy } from '../../shared/policy.js'
import { defaultSettings, isSettingKey, parseSetting, resolveSettings } from '../../shared/settings.js'
import type { JobEngine } from '../engine/index.js'
import { exportResult, exportsFolderDestination, exportTablesOf, importResultFile, jobViewOf, type ExportDestination } from '../results/index.js'
import { openSource, parseSourceSpec, type SourceSpec } from '../sources/index.js'
import type { Catalog, ResultFileReader } from '../store/index.js'
import type { Handlers } from './router.js'
import type { SecretStore } from './secret-store.js'
import { SourceProfiles } from './source-profiles.js'

export interface ServicesOptions {
  engine: JobEngine
  catalog: Catalog
  dataDir: string
  appVersion: string
  /** Source profiles (default: kept in the catalog, with the policy's managed source). */
  sources?: SourceProfiles
  /** The machine's policy. @default nothing managed */
  policy?: ManagedPolicy
  /** Why the machine's policy was ignored or could not be checked, shown in the settings view. @default none */
  policyWarnings?: string[]
  /** Where server passwords are kept (when `sources` is not given). @default in memory */
  secrets?: SecretStore
  /**
   * Where `jobs:export` writes: the desktop app's save dialog, or the browser host's exports folder.
   * @default a new file in `<dataDir>/exports`, for the page to download
   */
  exportDestination?: ExportDestination
}

/** What a finished result holds (`results:summary`). */
function resultSummary(jobId: string, reader: ResultFileReader): Responses['results:summary'] {
  const manifest = reader.manifest()
  const seeds = reader.seeds()
  const columns: Responses['results:summary']['columns'] = {}
  for (const domain of manifest.domains) columns[domain] = reader.domainColumns(domain) ?? []
  return {
    job_id: jobId,
    request: manifest.request,
    source: manifest.source,
    as_of: manifest.as_of,
    domains: manifest.domains,
    row_counts: manifest.row_counts,
    columns,
    sort_columns: manifest.sort_columns,
    quality: manifest.quality,
    domain_quality: manifest.domain_quality,
    warnings: manifest.warnings,
    seeds: seeds
      ? {
          seed_count: seeds.seed_count,
          input_count: seeds.input_count,
          not_found: seeds.not_found.slice(0, MAX_NOT_FOUND_SHOWN),
          not_found_count: seeds.not_found.length,
        }
      : null,
    msd_tables: manifest.msd_tables ?? {},
  }
}

/** Builds the handler of every channel. */
export function createServices(options: ServicesOptions): Handlers {
  const { engine, catalog, dataDir, appVersion } = options
  const exportDestination = options.exportDestination ?? exportsFolderDestination(dataDir)
  const policy = options.policy ?? EMPTY_POLICY
  const sources = options.sources ?? new SourceProfiles(catalog, policy.source, options.secrets)
  const settingValues = (): Responses['settings:get'] => {
    const defaults = defaultSettings()
    const stored = Object.fromEntries(Object.entries(catalog.allSettings()).filter(([key, value]) => isSettingKey(key) && typeof value === 'number'))
    const values: Record<string, number> = resolveSettings({ policy: policy.settings, stored })
    return {
      values,
      defaults,
      managed: { ...policy.settings } as Record<string, { value: number; locked: boolean }>,
      updates: policy.updates ? { enabled: policy.updates.value, locked: policy.updates.locked } : null,
      policyWarnings: [...(options.policyWarnings ?? [])],
    }
  }
  const assertUnlocked = (key: string): void => {
    if (isSettingKey(key) && policy.settings[key]?.locked) {
      throw new AppError('policy/locked', `${key} is set to ${policy.settings[key].value} by the machine policy and cannot be changed here. Ask IT.`, { field: 'key', key })
    }
  }
  return {
    // Jobs
    'jobs:enqueue': ({ request, sourceId, force }) => {
      const { spec, description } = sources.specOf(sourceId)
      const result = engine.enqueue(request, {
        source: spec,
        sourceDescription: description,
        ...(force ? { force } : {}),
      })
      return { jobId: result.jobId, cached: result.cached, asOf: result.asOf ?? null }
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
    'jobs:status': ({ jobId }) => jobViewOf(engine.status(jobId)),
    'jobs:cancel': ({ jobId }) => jobViewOf(engine.cancel(jobId)),
    'jobs:pin': ({ jobId, pinned }) => jobViewOf(engine.pin(jobId, pinned)),
    'jobs:remove': ({ jobId }) => {
      engine.remove(jobId)
      return { removed: true }
    },
    'jobs:rerun': ({ jobId }) => {
      const secretEnv = sources.secretEnvOf(engine.status(jobId).source_id)
      return { jobId: engine.rerun(jobId, secretEnv ? { secretEnv } : {}).jobId }
    },
    'jobs:export': async ({ jobId, format, table }, context) => {
      if (format === 'csv' && table === undefined) throw invalidInput('table', 'a CSV export holds one table; choose which')
      // The job and its table are checked before anyone is asked where to put the file.
      const reader = engine.reader(jobId)
      exportTablesOf(reader, format, table)
      const target = await exportDestination.choose({ jobId, table: table ?? null, format, clientId: context.clientId })
      if (!target) return { cancelled: true, delivery: 'saved', files: [] }
      const files = await exportResult(reader, { format, path: target.path, ...(table ? { table } : {}), dataDir })
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
    'jobs:import': async ({ path }) => {
      const settings = { TRACE_JOB_TTL_SECONDS: settingValues().values.TRACE_JOB_TTL_SECONDS as number }
      const inspect = (file: string, jobId: string, name: string) => engine.inspectResultFile(file, jobId, { name })
      return jobViewOf((await importResultFile(path, { catalog, dataDir, settings, inspect })).row)
    },
    // Results
    'results:page': ({ jobId, domain, ...page }) => engine.result(jobId, domain, page),
    'results:lineage': ({ jobId }) => engine.reader(jobId).lineage(),
    'results:aggregation': ({ jobId }) => (engine.reader(jobId).aggregation() as Responses['results:aggregation']) ?? null,
    'results:detail': ({ jobId, table, ...page }) => engine.reader(jobId).msdPage(table, page),
    'results:summary': ({ jobId }) => resultSummary(jobId, engine.reader(jobId)),
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
    'sources:remove': ({ id }) => {
      sources.remove(id)
      return { removed: true }
    },
    // Settings
    'settings:get': () => settingValues(),
    'settings:set': ({ key, value }) => {
      if (!isSettingKey(key)) throw invalidInput('key', `unknown setting ${JSON.stringify(key)}`)
      assertUnlocked(key)
      if (value === null) {
        catalog.deleteSetting(key)
        return { key, value: policy.settings[key]?.value ?? defaultSettings()[key] }
      }
      const parsed = parseSetting(key, value, 'value')
      catalog.setSetting(key, parsed)
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
