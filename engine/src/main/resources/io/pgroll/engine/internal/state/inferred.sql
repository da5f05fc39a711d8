-- Records DDL made outside the tool as 'inferred' migrations. Event triggers need a superuser, so this
-- part of init is applied only when the role is one. {state_schema} as in init.sql.
CREATE OR REPLACE FUNCTION {state_schema}.raw_migration() RETURNS event_trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = {state_schema}, pg_catalog, pg_temp
    AS $$
DECLARE
    schemaname TEXT;
    migration_id TEXT;
BEGIN
    -- The tool's own DDL says so; it is recorded by the tool itself.
    IF current_setting('pgroll.no_inferred_migrations', TRUE) = 'TRUE' THEN
        RETURN;
    END IF;
    IF tg_event = 'sql_drop' AND tg_tag <> 'DROP TABLE' AND tg_tag <> 'DROP SCHEMA' AND tg_tag <> 'ALTER TABLE' THEN
        RETURN;
    END IF;
    IF tg_event = 'sql_drop' THEN
        SELECT DISTINCT object_identity INTO schemaname FROM pg_event_trigger_dropped_objects() WHERE object_type = 'schema';
        IF schemaname IS NULL THEN
            SELECT DISTINCT schema_name INTO schemaname FROM pg_event_trigger_dropped_objects() WHERE schema_name IS NOT NULL;
        END IF;
    ELSE
        SELECT DISTINCT schema_name INTO schemaname FROM pg_event_trigger_ddl_commands() WHERE schema_name IS NOT NULL;
    END IF;
    -- Only schemas whose history the tool keeps, and never while a migration of theirs is in progress
    -- (its own DDL, e.g. a sql operation, belongs to that migration).
    IF schemaname IS NULL
       OR NOT EXISTS (SELECT 1 FROM {state_schema}.migrations WHERE schema = schemaname)
       OR {state_schema}.is_active_migration_period(schemaname) THEN
        RETURN;
    END IF;
    migration_id := 'sql_' || substring(md5(random()::text), 0, 15);
    INSERT INTO {state_schema}.migrations (schema, name, migration, resulting_schema, done, parent, migration_type, created_at, updated_at)
    VALUES (schemaname, migration_id,
            jsonb_build_object('name', migration_id, 'operations', jsonb_build_array(jsonb_build_object('sql', jsonb_build_object('up', current_query())))),
            {state_schema}.read_schema(schemaname), true, {state_schema}.latest_migration(schemaname), 'inferred',
            current_timestamp, current_timestamp);
END;
$$
--;
DROP EVENT TRIGGER IF EXISTS pg_roll_handle_ddl
--;
CREATE EVENT TRIGGER pg_roll_handle_ddl ON ddl_command_end EXECUTE FUNCTION {state_schema}.raw_migration()
--;
DROP EVENT TRIGGER IF EXISTS pg_roll_handle_drop
--;
CREATE EVENT TRIGGER pg_roll_handle_drop ON sql_drop EXECUTE FUNCTION {state_schema}.raw_migration()
