package io.pgroll.engine.internal.command;

import io.pgroll.engine.internal.state.StateSchema;

/** {@code init}: creates or upgrades the state schema. */
public final class InitCommand {
    private final CommandExecutor executor;

    public InitCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    /** Returns whether DDL made outside the tool will be recorded (only a superuser installs the event triggers). */
    public boolean init() {
        return executor.installing("init", session -> {
            boolean superuser = new StateSchema(session.settings().stateSchema()).install(session.connection());
            if (!superuser) {
                session.listener()
                        .notice("The role is not a superuser, so the event triggers that record DDL made outside "
                                + "pgroll were not installed: such changes will not appear in the history.");
            }
            return superuser;
        });
    }
}
