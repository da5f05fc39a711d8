package io.pgroll.cli;

import picocli.CommandLine.Command;

@Command(name = "rollback", description = "Roll back an ongoing migration")
final class RollbackCommand extends EngineCommand {
    @Override
    void run() {
        String name = engine().load().rollback();
        root().err().println("Migration " + name + " rolled back successfully");
    }
}
