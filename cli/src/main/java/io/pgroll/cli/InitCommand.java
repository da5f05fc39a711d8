package io.pgroll.cli;

import picocli.CommandLine.Command;

@Command(name = "init", description = "Initialize pgroll in the target database")
final class InitCommand extends EngineCommand {
    @Override
    void run() {
        engine().load().init();
        root().err().println("Initialization complete");
    }
}
