package io.pgroll.cli;

import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.io.Console;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code create}: a new migration file in the current directory, with a skeleton of each operation
 * asked for: its required fields, holding {@code <placeholders>} to replace. Asks on a terminal for what
 * the flags do not give.
 */
@Command(name = "create", description = "Create a new migration file: interactively on a terminal, or from the flags")
final class CreateCommand extends EngineCommand {
    /** The skeleton of each operation: its required fields, in the order pgroll documents the kinds. */
    private static final Map<String, String> SKELETONS = skeletons();

    @Option(
            names = {"-n", "--name"},
            description = "The migration's name, which is its file's name")
    String name;

    @Option(
            names = {"-e", "--empty"},
            description = "Create an empty migration file")
    boolean empty;

    @Option(
            names = {"-j", "--json"},
            description = "Write the file in JSON instead of YAML")
    boolean json;

    @Option(
            names = {"-o", "--operation"},
            paramLabel = "KIND",
            description = "Add the skeleton of an operation of this kind (repeatable): ${COMPLETION-CANDIDATES}",
            completionCandidates = Kinds.class)
    List<String> operations = new ArrayList<>();

    @Option(
            names = "--dir",
            defaultValue = ".",
            description = "The directory to write the file in (default: the current directory)")
    Path directory;

    @Override
    void run() {
        Console console = Terminal.interactive().orElse(null);
        if (name == null || name.isBlank()) {
            name = ask(console, "Name of the migration (e.g. 02_add_email): ", "--name");
        }
        for (String kind : operations) {
            requireKind(kind);
        }
        if (!empty && operations.isEmpty()) {
            String kinds = ask(
                    console,
                    "Operations, comma-separated (" + String.join(", ", SKELETONS.keySet()) + "): ",
                    "--operation or --empty");
            for (String kind : kinds.split(",")) {
                operations.add(requireKind(kind.strip()));
            }
        }
        String yaml = operations.isEmpty()
                ? "operations: []\n"
                : "operations:\n"
                        + String.join(
                                "", operations.stream().map(SKELETONS::get).toList());
        Migration migration = MigrationReader.readDocument(yaml, "the skeleton");
        Path file = MigrationFiles.create(
                MigrationFiles.directory(directory), "", new Migration(name, null, migration.operations()), json);
        root().err()
                .println("Migration written to " + file + (operations.isEmpty() ? "" : "; replace its <placeholders>"));
    }

    private static String requireKind(String kind) {
        if (!SKELETONS.containsKey(kind)) {
            throw new IllegalArgumentException(
                    "unknown operation \"" + kind + "\"; the operations are " + String.join(", ", SKELETONS.keySet()));
        }
        return kind;
    }

    private static String ask(Console console, String prompt, String flag) {
        if (console == null) {
            throw new IllegalArgumentException(
                    "create asks for what its flags do not give only on a terminal: pass " + flag);
        }
        String answer = console.readLine("%s", prompt);
        if (answer == null || answer.isBlank()) {
            throw new IllegalArgumentException("no answer given: pass " + flag);
        }
        return answer.strip();
    }

    private static Map<String, String> skeletons() {
        Map<String, String> skeletons = new LinkedHashMap<>();
        skeletons.put(
                "create_table",
                """
                  - create_table:
                      name: <table>
                      columns:
                        - {name: id, type: bigserial, pk: true}
                        - {name: <column>, type: <type>}
                """);
        skeletons.put(
                "add_column",
                """
                  - add_column:
                      table: <table>
                      column: {name: <column>, type: <type>, nullable: true}
                      up: <expression for the existing rows>
                """);
        skeletons.put(
                "alter_column",
                """
                  - alter_column:
                      table: <table>
                      column: <column>
                      type: <new type>
                      up: <new value from the old column>
                      down: <old value from the new column>
                """);
        skeletons.put(
                "drop_column",
                """
                  - drop_column:
                      table: <table>
                      column: <column>
                      down: <value for the old version's inserts>
                """);
        skeletons.put(
                "rename_table",
                """
                  - rename_table: {from: <table>, to: <new name>}
                """);
        skeletons.put(
                "rename_column",
                """
                  - rename_column: {table: <table>, from: <column>, to: <new name>}
                """);
        skeletons.put("drop_table", """
                  - drop_table: {name: <table>}
                """);
        skeletons.put(
                "create_index",
                """
                  - create_index:
                      name: <index>
                      table: <table>
                      columns: [{column: <column>}]
                """);
        skeletons.put("drop_index", """
                  - drop_index: {name: <index>}
                """);
        skeletons.put(
                "create_constraint",
                """
                  - create_constraint:
                      table: <table>
                      name: <constraint>
                      type: unique
                      columns: [<column>]
                      up: {<column>: <value that satisfies the constraint>}
                      down: {<column>: <column>}
                """);
        skeletons.put(
                "drop_multicolumn_constraint",
                """
                  - drop_multicolumn_constraint:
                      table: <table>
                      name: <constraint>
                      up: {<column>: <column>}
                      down: {<column>: <column>}
                """);
        skeletons.put(
                "rename_constraint",
                """
                  - rename_constraint: {table: <table>, from: <constraint>, to: <new name>}
                """);
        skeletons.put(
                "set_replica_identity",
                """
                  - set_replica_identity: {table: <table>, identity: {type: full}}
                """);
        skeletons.put(
                "sql",
                """
                  - sql:
                      up: <SQL run by start>
                      down: <SQL run by rollback>
                """);
        return skeletons;
    }

    /** The operation kinds, for the help and shell completion. */
    static final class Kinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return SKELETONS.keySet().iterator();
        }
    }
}
