package io.pgroll.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", description = "Roll back an ongoing migration")
final class RollbackCommand extends EngineCommand {
    @Option(
            names = "--skip-failing-down",
            description = "Leave as its `up` made it each sql operation whose `down` fails, instead of stopping;"
                    + " every other operation is rolled back as usual")
    boolean skipFailingDown;

    @Mixin
    OutsideDdlOption outsideDdl;

    @Mixin
    JsonOutput jsonOutput;

    @Override
    void run() {
        var engine = outsideDdl.applyTo(engine()).load();
        String name = skipFailingDown ? engine.rollbackSkippingFailingSqlDown() : engine.rollback();
        root().err().println("Migration " + name + " rolled back successfully");
        jsonOutput.print(root().out(), "migration", name, "rolledBack", true);
    }
}
