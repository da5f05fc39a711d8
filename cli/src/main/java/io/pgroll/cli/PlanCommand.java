package io.pgroll.cli;

import io.pgroll.engine.Plan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "plan",
        description = "Print every statement start, complete and rollback of a migration file would run, with"
                + " the locks each takes and the tables it scans, rewrites or backfills, found by rehearsing"
                + " them on an empty copy of the schema; nothing is changed")
final class PlanCommand extends EngineCommand {
    private static final String INDENT = "          ";

    @Parameters(paramLabel = "FILE", description = "The migration file (YAML or JSON)")
    Path file;

    @Mixin
    BackfillOptions backfill;

    @Mixin
    JsonOutput jsonOutput;

    @Override
    void run() {
        Plan plan = backfill.applyTo(engine()).load().plan(file);
        if (jsonOutput.json) {
            jsonOutput.print(root().out(), "plan", plan);
            return;
        }
        PrintWriter out = root().out();
        out.println("Plan of migration " + plan.migration() + " on schema \"" + plan.schema() + "\" (PostgreSQL "
                + plan.serverMajor() + "), rehearsed on an empty copy of its tables; nothing was changed.");
        print(out, "start", plan.start());
        print(out, "complete", plan.complete());
        print(out, "rollback", plan.rollback());
        if (!plan.notices().isEmpty()) {
            out.println();
            out.println("What start would tell:");
            plan.notices().forEach(n -> out.println("  " + n));
        }
        if (!plan.notCopied().isEmpty()) {
            out.println();
            out.println("The copy lacked " + String.join(", ", plan.notCopied())
                    + " of the schema: statements for them may be missing above.");
        }
        out.flush();
    }

    private static void print(PrintWriter out, String phase, List<Plan.Step> steps) {
        out.println();
        out.println(phase + (steps.isEmpty() ? ": nothing to run" : ""));
        int operation = -1;
        int transaction = -1;
        for (Plan.Step step : steps) {
            if (step.operation() != operation) {
                operation = step.operation();
                out.println(
                        operation == 0
                                ? "  the migration"
                                : "  operation " + operation + ": " + step.operationDescription());
            }
            String label = step.transaction() == transaction ? "" : label(step);
            transaction = step.transaction();
            List<String> lines = step.sql().lines().toList();
            out.println("    " + pad(label) + lines.get(0));
            lines.subList(1, lines.size()).forEach(l -> out.println("    " + INDENT + l));
            for (Plan.TableLock lock : step.locks()) {
                out.println("    " + INDENT + "locks " + lock.table() + " " + lock.mode() + effect(lock, step.kind()));
            }
            for (Plan.TableWork work : step.work()) {
                out.println("    " + INDENT + verb(work.work()) + " " + work.table() + rows(work.estimatedRows()));
            }
        }
    }

    private static String label(Plan.Step step) {
        return switch (step.kind()) {
            case STATEMENT -> "tx " + step.transaction();
            case CONCURRENT -> "no tx";
            case BACKFILL -> "batches";
        };
    }

    private static String pad(String label) {
        return label + " ".repeat(Math.max(1, INDENT.length() - label.length()));
    }

    private static String effect(Plan.TableLock lock, Plan.Kind kind) {
        String until = kind == Plan.Kind.STATEMENT ? " until its transaction commits" : "";
        if (lock.blocksReads()) {
            return " (blocks reads and writes" + until + ")";
        }
        if (lock.blocksWrites()) {
            return " (blocks writes" + until + ")";
        }
        return " (reads and writes go on)";
    }

    private static String verb(Plan.Work work) {
        return switch (work) {
            case SCAN -> "scans all of";
            case REWRITE -> "rewrites";
            case BACKFILL -> "updates every row of";
        };
    }

    private static String rows(long estimated) {
        return estimated < 0
                ? " (rows unknown: never analysed)"
                : " (~" + String.format(Locale.ROOT, "%,d", estimated) + " rows)";
    }
}
