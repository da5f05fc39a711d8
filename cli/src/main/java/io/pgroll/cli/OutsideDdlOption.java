package io.pgroll.cli;

import io.pgroll.engine.Pgroll;
import picocli.CommandLine.Option;

/** The way past DDL made outside pgroll during a migration, for the commands that refuse it. */
final class OutsideDdlOption {
    @Option(
            names = "--accept-outside-ddl",
            description = "Go on although the schema's tables changed outside pgroll since the migration started"
                    + " (each change is still reported); only once you know they touch nothing the migration"
                    + " works on")
    boolean accept;

    Pgroll.Builder applyTo(Pgroll.Builder engine) {
        return engine.acceptOutsideDdl(accept);
    }
}
