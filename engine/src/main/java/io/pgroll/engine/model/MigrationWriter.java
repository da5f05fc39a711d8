package io.pgroll.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Writes migrations as migration files, in YAML or JSON, laid out as pgroll's own examples are. A file
 * carries no {@code name}: the file name is the migration's name. What it writes, {@link
 * MigrationReader} reads back to an equal migration. Stateless and thread-safe.
 */
public final class MigrationWriter {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    // a default of "100" is text in the format: unquoted, a reader would take it for a number
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    // SQL over several lines stays readable as a block (`up: |`)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    // a long SQL statement stays one line, as written, rather than folded at 80 columns
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .stringQuotingChecker(new DoubleQuoteLiterals())
                    .build())
            .build();

    private static final ObjectWriter JSON = JsonMapper.builder()
            .build()
            .writer(new DefaultPrettyPrinter()
                    .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    private MigrationWriter() {}

    /** The migration file in YAML. */
    public static String yaml(Migration migration) {
        try {
            return YAML.writeValueAsString(fileTree(migration));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write migration " + migration.name() + " as YAML", e);
        }
    }

    /** The migration file in JSON, indented, ending with a line break. */
    public static String json(Migration migration) {
        try {
            return JSON.writeValueAsString(fileTree(migration)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write migration " + migration.name() + " as JSON", e);
        }
    }

    /** The file in YAML ({@code .yaml}) or JSON ({@code .json}). */
    public static String file(Migration migration, boolean json) {
        return json ? json(migration) : yaml(migration);
    }

    /** The file name of {@code name}'s migration: {@code name.yaml} or {@code name.json}. */
    public static String fileName(String name, boolean json) {
        return name + (json ? ".json" : ".yaml");
    }

    /**
     * A value starting with a quote, such as the SQL literal {@code 'nl'}, written {@code "'nl'"} as
     * pgroll's examples write it: left plain, the YAML emitter would single-quote it as {@code '''nl'''}.
     */
    private static final class DoubleQuoteLiterals extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || value.startsWith("'") || value.startsWith("\"");
        }
    }

    private static JsonNode fileTree(Migration migration) {
        ObjectNode tree = (ObjectNode) MigrationReader.tree(migration);
        tree.remove("name");
        return tree;
    }
}
