-- The state store, in the shape of pgroll's own so that either tool can read and carry on a history.
-- {state_schema} is replaced by the quoted name of the state schema. Statements are separated by lines
-- holding only "--;" (function bodies contain semicolons).
CREATE SCHEMA IF NOT EXISTS {state_schema}
--;
CREATE TABLE IF NOT EXISTS {state_schema}.migrations (
    schema NAME NOT NULL,
    name TEXT NOT NULL,
    migration JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    parent TEXT,
    done BOOLEAN NOT NULL DEFAULT false,
    resulting_schema JSONB NOT NULL DEFAULT '{}'::jsonb,
    migration_type VARCHAR(32) DEFAULT 'pgroll',
    PRIMARY KEY (schema, name),
    FOREIGN KEY (schema, parent) REFERENCES {state_schema}.migrations (schema, name),
    CONSTRAINT migration_type_check CHECK (migration_type IN ('pgroll', 'inferred', 'baseline'))
)
--;
-- At most one migration in progress per schema.
CREATE UNIQUE INDEX IF NOT EXISTS only_one_active ON {state_schema}.migrations (schema, name, done) WHERE done = false
--;
CREATE UNIQUE INDEX IF NOT EXISTS one_active_per_schema ON {state_schema}.migrations (schema) WHERE done = false
--;
-- One root per schema, and the history is a line: each migration has at most one child.
CREATE UNIQUE INDEX IF NOT EXISTS history_is_linear ON {state_schema}.migrations (schema, parent)
--;
CREATE UNIQUE INDEX IF NOT EXISTS only_first_migration_without_parent ON {state_schema}.migrations (schema) WHERE parent IS NULL
--;
-- How far an active migration got, beyond what pgroll's own table says: 'started operation N' after
-- each operation's start and 'started' once start finished (complete refuses a start that was
-- interrupted; rollback undoes only the operations that started); 'completing' once complete began (from
-- then on the way out is to finish complete, never rollback: it drops the previous version first);
-- 'completed operation N' after each operation's complete (a re-run skips them: raw SQL must not run
-- twice); 'rolling back' once rollback began (only rollback may go on) and 'rolled back operation N' after
-- each operation's rollback (a re-run skips them too). A table of its own, which pgroll ignores; rows go
-- when the migration is done or rolled back.
CREATE TABLE IF NOT EXISTS {state_schema}.phases (
    schema NAME NOT NULL,
    name TEXT NOT NULL,
    phase TEXT NOT NULL,
    reached_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (schema, name, phase)
)
--;
-- What an operation's start must leave for its rollback (the replica identity it replaced), if anything.
ALTER TABLE {state_schema}.phases ADD COLUMN IF NOT EXISTS detail TEXT
--;
-- Replaced on every init, so that a state schema made by an earlier version accepts today's phases.
ALTER TABLE {state_schema}.phases DROP CONSTRAINT IF EXISTS phases_phase_check
--;
ALTER TABLE {state_schema}.phases ADD CONSTRAINT phases_phase_check CHECK (
    phase IN ('started', 'completing', 'rolling back')
    OR phase ~ '^(started|completed|rolled back) operation [0-9]+$')
--;
CREATE TABLE IF NOT EXISTS {state_schema}.pgroll_version (
    version TEXT NOT NULL,
    initialized_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (version)
)
--;
CREATE OR REPLACE FUNCTION {state_schema}.is_active_migration_period(schemaname NAME) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT EXISTS (SELECT 1 FROM {state_schema}.migrations WHERE schema = schemaname AND done = false) $$
--;
-- The head of the history: the migration no other migration names as its parent.
CREATE OR REPLACE FUNCTION {state_schema}.latest_migration(schemaname NAME) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT m.name FROM {state_schema}.migrations m
    WHERE m.schema = schemaname
      AND NOT EXISTS (SELECT 1 FROM {state_schema}.migrations c WHERE c.schema = schemaname AND c.parent = m.name)
    $$
--;
CREATE OR REPLACE FUNCTION {state_schema}.previous_migration(schemaname NAME) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT m.parent FROM {state_schema}.migrations m
    WHERE m.schema = schemaname AND m.name = {state_schema}.latest_migration(schemaname)
    $$
--;
-- The version schema suffix of the migration that is depth steps back from the head, counting only
-- migrations that publish a version schema (pgroll's own, not inferred DDL nor a baseline).
CREATE OR REPLACE FUNCTION {state_schema}.find_version_schema(schemaname NAME, depth INTEGER DEFAULT 0) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    WITH RECURSIVE history AS (
        SELECT m.name, m.parent, m.migration, m.migration_type, 0 AS position
        FROM {state_schema}.migrations m
        WHERE m.schema = schemaname AND m.name = {state_schema}.latest_migration(schemaname)
        UNION ALL
        SELECT p.name, p.parent, p.migration, p.migration_type, h.position + 1
        FROM {state_schema}.migrations p JOIN history h ON p.name = h.parent
        WHERE p.schema = schemaname
    )
    SELECT COALESCE(NULLIF(migration ->> 'version_schema', ''), name)
    FROM history
    WHERE migration_type = 'pgroll'
    ORDER BY position
    OFFSET depth LIMIT 1
    $$
--;
CREATE OR REPLACE FUNCTION {state_schema}.latest_version(schemaname NAME) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT {state_schema}.find_version_schema(schemaname, 0) $$
--;
CREATE OR REPLACE FUNCTION {state_schema}.previous_version(schemaname NAME) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT {state_schema}.find_version_schema(schemaname, 1) $$
--;
-- Every application's driver reads the history to check the version it is pinned to, under the
-- application's own role, which need not be the migrator's: the history holds migration files, no rows.
GRANT USAGE ON SCHEMA {state_schema} TO PUBLIC
--;
GRANT SELECT ON {state_schema}.migrations TO PUBLIC
