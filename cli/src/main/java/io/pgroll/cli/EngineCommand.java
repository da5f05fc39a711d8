package io.pgroll.cli;

import io.pgroll.engine.Pgroll;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The shape of every subcommand: read the global flags, call the engine once, print the result. */
abstract class EngineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PgrollCommand root() {
        return (PgrollCommand) spec.root().userObject();
    }

    Pgroll.Builder engine() {
        return root().engine(new ConsoleListener(root().err(), root().terminal));
    }

    @Override
    public final Integer call() throws Exception {
        run();
        root().out().flush();
        root().err().flush();
        return 0;
    }

    abstract void run() throws Exception;
}
