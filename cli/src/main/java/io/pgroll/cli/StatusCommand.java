package io.pgroll.cli;

import io.pgroll.engine.Status;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show pgroll status")
final class StatusCommand extends EngineCommand {
    @Override
    void run() {
        Status status = engine().load().status();
        root().out()
                .println("{\n  \"schema\": " + Json.string(status.schema()) + ",\n  \"version\": "
                        + Json.string(status.version()) + ",\n  \"status\": "
                        + Json.string(status.state().label()) + "\n}");
    }
}
