package io.pgroll.engine.internal.command;

import io.pgroll.engine.internal.EngineSettings;
import io.pgroll.engine.internal.state.StateSchema;
import java.sql.SQLException;

/**
 * Runs every command the same way: one session of its own, the schema's migration lock for the
 * commands that change things, the state schema required to exist, and database errors turned into
 * one-paragraph {@code PgrollException}s that keep the SQLState and the cause.
 */
public final class CommandExecutor {
    private final EngineSettings settings;

    public CommandExecutor(EngineSettings settings) {
        this.settings = settings;
    }

    /** A command that changes the schema: it holds the schema's migration lock throughout. */
    <T> T locked(String command, Work<T> work) {
        return run(command, true, true, work);
    }

    /** A command that only reads the state. */
    <T> T reading(String command, Work<T> work) {
        return run(command, false, true, work);
    }

    /** A command that may run before the state schema exists ({@code init}). */
    <T> T installing(String command, Work<T> work) {
        return run(command, false, false, work);
    }

    private <T> T run(String command, boolean lock, boolean requireState, Work<T> work) {
        try (Session session = Session.open(settings, command)) {
            if (lock) {
                session.lock();
            }
            if (requireState) {
                new StateSchema(settings.stateSchema()).requireInstalled(session.connection());
            }
            return work.run(session);
        } catch (SQLException e) {
            throw Failures.databaseError(command, e);
        }
    }

    /** What a command does within its session. */
    @FunctionalInterface
    interface Work<T> {
        T run(Session session) throws SQLException;
    }
}
