package io.pgroll.cli;

import picocli.CommandLine.Command;

@Command(name = "complete", description = "Complete the ongoing migration")
final class CompleteCommand extends EngineCommand {
    @Override
    void run() {
        String name = engine().load().complete();
        root().err().println("Migration " + name + " completed successfully!");
    }
}
