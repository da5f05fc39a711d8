package io.pgroll.engine.lifecycle;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.Pgroll;
import io.pgroll.testing.CrashingDataSource;
import io.pgroll.testing.CrashingDataSource.Crash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrator in a process of its own that kills itself ({@code kill -9}) right after the given step of
 * a command, for the crash matrix's full run: what the server sees is a real process dying in the
 * middle of its work, with no cleanup of ours.
 *
 * <p>Arguments: JDBC URL, user, password, schema, command ({@code start}, {@code complete} or {@code
 * rollback}), step, and for {@code start} the migration file. Exit codes: killed (137), the command
 * succeeded before its step came ({@value #ENDED_EARLY}), it failed before its step ({@value
 * #FAILED_EARLY}, the error on standard error): a failure the crash did not cause.
 */
public final class CrashingMigrator {
    static final int ENDED_EARLY = 3;
    static final int FAILED_EARLY = 4;

    private CrashingMigrator() {}

    /** The command line that runs it with this JVM and class path. */
    static List<String> commandLine(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(CrashingMigrator.class.getName());
        command.addAll(arguments);
        return command;
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setUrl(args[0]);
        target.setUser(args[1]);
        target.setPassword(args[2]);
        CrashingDataSource dying =
                CrashingDataSource.crashingAfter(target, Integer.parseInt(args[5]), Crash.KILL_PROCESS);
        Pgroll pgroll = Pgroll.configure()
                .dataSource(dying)
                .schema(args[3])
                .backfillBatchSize(CrashFixture.BATCH_SIZE)
                .load();
        // past here only when the step never came: the kill ends the process at the step
        try {
            switch (args[4]) {
                case "start" -> pgroll.start(
                        MigrationHarness.migration("02_change", Files.readString(Path.of(args[6]))));
                case "complete" -> pgroll.complete();
                case "rollback" -> pgroll.rollback();
                default -> throw new IllegalArgumentException("unknown command " + args[4]);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(FAILED_EARLY);
        }
        System.exit(ENDED_EARLY);
    }
}
