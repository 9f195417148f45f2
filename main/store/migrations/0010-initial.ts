/**
 * Catalog schema 10: the jobs table with every field of architecture.md §3, and the settings.
 *
 * Released migrations are frozen, so the lists in here are spelled out, not imported.
 */
import type { SqliteDatabase } from '../connection.js'
import type { Migration } from './migration.js'

/** `PRAGMA application_id` of a catalog ('MTRC'), so no other SQLite file is taken for one. */
const CATALOG_APPLICATION_ID = 0x4d545243

const JOB_ID_GLOB = `trace-evt-${'[0-9a-f]'.repeat(12)}`

export const initial: Migration = {
  version: 10,
  name: 'initial',
  up(db: SqliteDatabase): void {
    db.pragma(`application_id = ${CATALOG_APPLICATION_ID}`)
    db.exec(`
CREATE TABLE jobs (
  job_id TEXT NOT NULL PRIMARY KEY CHECK (job_id GLOB '${JOB_ID_GLOB}'),
  profile TEXT NOT NULL CHECK (profile IN ('query_tool', 'query_tool_reverse', 'mid_section_defect')),
  direction TEXT NOT NULL CHECK (direction IN ('backward', 'forward')),
  cid_count INTEGER NOT NULL DEFAULT 0 CHECK (cid_count >= 0),
  seed_count INTEGER NOT NULL DEFAULT 0 CHECK (seed_count >= 0),
  domains TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(domains) AND json_type(domains) = 'array'),
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled', 'interrupted')),
  stage TEXT,
  completed_stages TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(completed_stages) AND json_type(completed_stages) = 'array'),
  progress TEXT CHECK (progress IS NULL OR json_valid(progress)),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  completed_at INTEGER,
  ttl_ms INTEGER CHECK (ttl_ms IS NULL OR ttl_ms >= 0),
  pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  -- Derived, so expiry can never disagree with completion, TTL and pin: a pinned job, a job kept
  -- forever (TTL 0) and a job still queued or running never expire (domain.md §14 #11).
  expires_at INTEGER GENERATED ALWAYS AS (
    CASE WHEN pinned = 0 AND completed_at IS NOT NULL AND ttl_ms > 0 THEN completed_at + ttl_ms END
  ) STORED,
  error_code TEXT,
  error_message TEXT,
  request TEXT NOT NULL CHECK (json_valid(request) AND json_type(request) = 'object'),
  dedup_key TEXT,
  source_id TEXT NOT NULL,
  source_description TEXT,
  result_path TEXT,
  row_counts TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(row_counts) AND json_type(row_counts) = 'object'),
  quality TEXT CHECK (quality IS NULL OR quality IN ('complete', 'truncated', 'partial', 'failed')),
  cached_from TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  -- A job that ended has its completion time and TTL; one that has not, has neither. A row half
  -- way between the two states cannot be stored.
  CONSTRAINT job_completion CHECK (
    CASE WHEN status IN ('queued', 'running') THEN completed_at IS NULL
         ELSE completed_at IS NOT NULL AND ttl_ms IS NOT NULL END
  )
);
CREATE INDEX jobs_by_expiry ON jobs (expires_at);
CREATE INDEX jobs_by_dedup_key ON jobs (dedup_key, completed_at);
CREATE INDEX jobs_by_created_at ON jobs (created_at);
CREATE INDEX jobs_by_status ON jobs (status);

CREATE TABLE settings (
  key TEXT NOT NULL PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
  value TEXT NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL
);
`)
  },
}
