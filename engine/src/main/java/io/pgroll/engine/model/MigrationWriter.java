package io.pgroll.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.io.Writer;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Writes migrations as migration files, in YAML or JSON, laid out as pgroll's own examples are. A file
 * carries no {@code name}: the file name is the migration's name. What it writes, {@link
 * MigrationReader} reads back to an equal migration. Stateless and thread-safe.
 */
public final class MigrationWriter {
    private static final ObjectMapper YAML = YAMLMapper.builder(new BlockSafeFactory(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    // a default of "100" is text in the format: unquoted, a reader would take it for a number
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    // SQL over several lines stays readable as a block (`up: |`)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    // a long SQL statement stays one line, as written, rather than folded at 80 columns
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .stringQuotingChecker(new DoubleQuoteLiterals())))
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
     * Also double-quoted: what a reader would not read back as the same text.
     */
    private static final class DoubleQuoteLiterals extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        /**
         * Characters a YAML reader takes for line breaks besides {@code \n}: left to the emitter's
         * single-quoted style, a reader folds them into a space; double-quoted, they are escaped.
         */
        private static final Pattern OTHER_LINE_BREAKS = Pattern.compile("[\\r\\u0085\\u2028\\u2029]");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value)
                    || value.startsWith("'")
                    || value.startsWith("\"")
                    || OTHER_LINE_BREAKS.matcher(value).find()
                    || !readsBackAsItself(value);
        }

        /** Whether the reader takes the plain scalar for that text: not {@code 0x1F} (31) or {@code 1e3}. */
        private static boolean readsBackAsItself(String value) {
            try {
                JsonNode node = MigrationReader.parse(value, "value", false);
                return node.isTextual() && node.textValue().equals(value);
            } catch (MigrationFormatException e) {
                return false;
            }
        }
    }

    /** Makes {@link BlockSafeGenerator}s. */
    private static final class BlockSafeFactory extends YAMLFactory {
        private static final long serialVersionUID = 1L;

        BlockSafeFactory(YAMLFactoryBuilder builder) {
            super(builder);
        }

        @Override
        protected YAMLGenerator _createGenerator(Writer out, IOContext context) throws IOException {
            return new BlockSafeGenerator(
                    context, _generatorFeatures, _yamlGeneratorFeatures, _quotingChecker, _objectCodec, out, _version);
        }
    }

    /**
     * Text over several lines written as a literal block only where a reader gives back exactly that text:
     * a block of blank lines reads back with one more, and other line breaks become {@code \n}; such text
     * is written double-quoted, with escapes.
     */
    private static final class BlockSafeGenerator extends YAMLGenerator {
        BlockSafeGenerator(
                IOContext context,
                int features,
                int yamlFeatures,
                StringQuotingChecker quoting,
                ObjectCodec codec,
                Writer out,
                DumperOptions.Version version)
                throws IOException {
            super(context, features, yamlFeatures, quoting, codec, out, version);
        }

        @Override
        public void writeString(String text) throws IOException {
            if (text != null && text.indexOf('\n') >= 0 && !literalBlockKeeps(text)) {
                _verifyValueWrite("write String value");
                _writeScalar(text, "string", DumperOptions.ScalarStyle.DOUBLE_QUOTED);
            } else {
                super.writeString(text);
            }
        }

        private static boolean literalBlockKeeps(String text) {
            return !text.isBlank()
                    && !DoubleQuoteLiterals.OTHER_LINE_BREAKS.matcher(text).find();
        }
    }

    private static JsonNode fileTree(Migration migration) {
        ObjectNode tree = (ObjectNode) MigrationReader.tree(migration);
        tree.remove("name");
        return tree;
    }
}
