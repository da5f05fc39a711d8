package io.pgroll.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;

@Command(
        name = "analyze",
        description =
                "Analyze the SQL schema of the target database: print it as the engine reads it, in pgroll's" + " JSON")
final class AnalyzeCommand extends EngineCommand {
    @Override
    void run() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String schema = engine().load().analyze();
        root().out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(schema)));
    }
}
