package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The reader and the writer with generated migrations: names and values made of what YAML and JSON give
 * a meaning to (quotes, colons, {@code #}, flow brackets, anchors, {@code yes}/{@code null}/{@code ~},
 * numbers, line separators, characters of several bytes) read back equal from the YAML and the JSON
 * written; and a written document cut short or with a character replaced anywhere either reads or is
 * refused with the reader's own error naming the file, never another exception.
 */
class MigrationReaderPropertiesTest {
    /** What a YAML or JSON parser, or a naive writer, could take for syntax. */
    private static final List<String> PIECES = List.of(
            "a", "Z", "_", "0", "1", " ", "\"", "'", "\\", ":", ": ", "#", " #", "-", "- ", "?", "{", "}", "[", "]",
            ",", "&", "*", "!", "|", ">", "%", "@", "`", "\n", "\t", "\r", "\u2028", "\u0085", "é", "名", "😀", "yes",
            "no", "null", "~", "true", "100", "1e3", "0x1F", ".inf", "<<", "---", "...", "$$", ";");

    private static final List<String> FILE_KINDS = List.of("yaml", "json");

    @Property(tries = 1000)
    void aWrittenMigrationReadsBackEqual(@ForAll("migrations") Migration migration) {
        String yaml = MigrationWriter.yaml(migration);
        String json = MigrationWriter.json(migration);
        assertThat(MigrationReader.read(yaml, migration.name(), "generated.yaml"))
                .as(yaml)
                .isEqualTo(migration);
        assertThat(MigrationReader.read(json, migration.name(), "generated.json"))
                .as(json)
                .isEqualTo(migration);
    }

    @Property(tries = 1000)
    void aDocumentCutShortReadsOrIsRefusedWithTheReadersError(
            @ForAll("migrations") Migration migration,
            @ForAll("fileKinds") String kind,
            @ForAll @IntRange(min = 0, max = 1000) int cut) {
        String written = MigrationWriter.file(migration, kind.equals("json"));
        String truncated = written.substring(0, cut % (written.length() + 1));
        readsOrIsRefused(truncated, kind);
    }

    @Property(tries = 1000)
    void aDocumentWithACharacterReplacedReadsOrIsRefusedWithTheReadersError(
            @ForAll("migrations") Migration migration,
            @ForAll("fileKinds") String kind,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll("pieces") String replacement) {
        String written = MigrationWriter.file(migration, kind.equals("json"));
        int at = position % written.length();
        readsOrIsRefused(written.substring(0, at) + replacement + written.substring(at + 1), kind);
    }

    private static void readsOrIsRefused(String content, String kind) {
        String label = "broken." + kind;
        assertThatCode(() -> {
                    try {
                        MigrationReader.read(content, "broken", label);
                    } catch (MigrationFormatException e) {
                        assertThat(e.getMessage()).as(content).startsWith(label);
                    }
                })
                .as(content)
                .doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<String> fileKinds() {
        return Arbitraries.of(FILE_KINDS);
    }

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of(PIECES);
    }

    /** Text of one to six pieces, at most PostgreSQL's 63 bytes, so that it is also a valid name. */
    private static Arbitrary<String> names() {
        return Arbitraries.of(PIECES)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6)
                .map(pieces -> String.join("", pieces))
                .filter(name -> name.getBytes(StandardCharsets.UTF_8).length <= 63);
    }

    /** SQL text (types, expressions): any pieces, longer. */
    private static Arbitrary<String> texts() {
        return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(12).map(pieces -> String.join("", pieces));
    }

    @Provide
    Arbitrary<Migration> migrations() {
        Arbitrary<Operation> operation = Arbitraries.oneOf(
                createTable(),
                addColumn(),
                alterColumn(),
                Combinators.combine(names(), names(), texts().injectNull(0.5))
                        .as(DropColumn::new)
                        .map(Operation.class::cast),
                Combinators.combine(names(), names(), names())
                        .as(RenameColumn::new)
                        .map(Operation.class::cast),
                Combinators.combine(names(), names()).as(RenameTable::new).map(Operation.class::cast),
                names().map(DropTable::new).map(Operation.class::cast),
                names().map(DropIndex::new).map(Operation.class::cast),
                Combinators.combine(names(), names(), names())
                        .as(RenameConstraint::new)
                        .map(Operation.class::cast),
                // SQL run on complete has no down
                Combinators.combine(texts(), texts().injectNull(0.5), Arbitraries.of(true, false))
                        .as((up, down, onComplete) -> (Operation) new RawSql(up, onComplete ? null : down, onComplete)),
                createIndex());
        return Combinators.combine(
                        names(),
                        names().filter(name -> !name.isBlank()).injectNull(0.7), // a blank one is refused
                        operation.list().ofMinSize(1).ofMaxSize(4))
                .as(Migration::new);
    }

    private static Arbitrary<Column> columns() {
        return Combinators.combine(
                        names(),
                        texts(),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        texts().injectNull(0.6),
                        texts().injectNull(0.7),
                        Combinators.combine(names(), texts())
                                .as((name, constraint) -> new CheckConstraint(name, constraint, false))
                                .injectNull(0.7))
                .as((name, type, nullable, unique, defaultValue, comment, check) ->
                        new Column(name, type, false, nullable, unique, defaultValue, comment, check, null, null));
    }

    private static Arbitrary<Operation> createTable() {
        return Combinators.combine(names(), columns().list().ofMinSize(1).ofMaxSize(3), texts().injectNull(0.7))
                .as((name, columns, comment) -> new CreateTable(name, columns, comment, List.of()));
    }

    private static Arbitrary<Operation> addColumn() {
        return Combinators.combine(names(), columns(), texts().injectNull(0.5)).as(AddColumn::new);
    }

    /** At least a type or a nullability, as the reader requires a change; default and comment tri-state. */
    private static Arbitrary<Operation> alterColumn() {
        Arbitrary<Optional<String>> triState = Arbitraries.oneOf(
                        texts().map(Optional::of), Arbitraries.just(Optional.<String>empty()))
                .injectNull(0.6);
        return Combinators.combine(
                        names(),
                        names(),
                        texts(),
                        Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.5),
                        triState,
                        triState,
                        texts().injectNull(0.3),
                        texts().injectNull(0.3))
                .as((table, column, type, nullable, defaultValue, comment, up, down) -> new AlterColumn(
                        table, column, type, nullable, defaultValue, comment, null, null, null, up, down));
    }

    private static Arbitrary<Operation> createIndex() {
        return Combinators.combine(
                        names(),
                        names(),
                        names().map(column -> new IndexField(column, null, null, null, null))
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(3),
                        texts().injectNull(0.6),
                        Arbitraries.of(true, false))
                .as((name, table, fields, predicate, unique) ->
                        new CreateIndex(name, table, fields, predicate, null, null, unique));
    }
}
