/**
 * The engine's commands (init, validate, start, complete, rollback, migrate, status), one class each over one
 * {@link io.pgroll.engine.internal.command.CommandExecutor}, which owns the session, the migration lock and the error
 * wrapping. Uses operations, catalog, state and sql; used only by the public {@code Pgroll} entry point.
 */
package io.pgroll.engine.internal.command;
