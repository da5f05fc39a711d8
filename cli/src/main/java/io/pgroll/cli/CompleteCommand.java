package io.pgroll.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "complete", description = "Complete the ongoing migration")
final class CompleteCommand extends EngineCommand {
    @Mixin
    OutsideDdlOption outsideDdl;

    @Mixin
    JsonOutput jsonOutput;

    @Override
    void run() {
        String name = outsideDdl.applyTo(engine()).load().complete();
        root().err().println("Migration " + name + " completed successfully!");
        jsonOutput.print(root().out(), "migration", name, "completed", true);
    }
}
