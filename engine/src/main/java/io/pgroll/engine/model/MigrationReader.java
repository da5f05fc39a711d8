package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads migration files in pgroll's format (YAML or JSON) and writes migrations back as pgroll's JSON.
 *
 * <p>Every read validates the structure as pgroll's JSON Schema does (known fields, required fields,
 * types, enumerations, the rules of each constraint type) and fails with a {@link
 * MigrationFormatException} whose one-line message names the file, the operation (1-based position,
 * kind and object) and the field. Whether the migration fits the database is checked later, by the
 * engine. Stateless and thread-safe.
 */
public final class MigrationReader {
    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

    /**
     * The largest migration read, in bytes of a file (or characters of content given as text): a
     * migration is DDL, rarely more than a few kilobytes, and reading is done in memory, so a larger
     * input is refused before it is read rather than allowed to exhaust the heap.
     */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    /** How deeply a document may nest: a migration needs about eight levels. */
    static final int MAX_NESTING = 100;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxDocumentLength(MAX_FILE_BYTES)
            .build();

    private static final ObjectMapper JSON = JsonMapper.builder(
                    JsonFactory.builder().streamReadConstraints(LIMITS).build())
            .addModule(new Jdk8Module())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            // false is every boolean's default in the format: leave it out, as the examples do
            .withConfigOverride(
                    boolean.class,
                    o -> o.setInclude(JsonInclude.Value.construct(
                            JsonInclude.Include.NON_DEFAULT, JsonInclude.Include.NON_DEFAULT)))
            .build();

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .streamReadConstraints(LIMITS)
                    .loaderOptions(yamlLimits())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // `default: 0.00` is refused as a number; keep its digits for the message that says to quote it
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private MigrationReader() {}

    private static LoaderOptions yamlLimits() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setNestingDepthLimit(MAX_NESTING);
        return options;
    }

    /**
     * Reads a migration file ({@code .yaml}, {@code .yml} or {@code .json}). The migration is named after
     * the file, without its extension; a top-level {@code name} field is refused, as pgroll refuses it.
     */
    public static Migration readFile(Path file) {
        String fileName = file.getFileName().toString();
        requireExtension(fileName);
        return readContent(fileName, readContent(file, fileName));
    }

    /**
     * Reads a migration file's {@code content} under its {@code fileName}, by the rules of {@link
     * #readFile}: for files that are not on a file system, such as a build's classpath resources.
     */
    public static Migration readContent(String fileName, String content) {
        String extension = requireExtension(fileName);
        String name = fileName.substring(0, fileName.length() - extension.length());
        return DocumentReader.read(parse(content, fileName, extension.equals(".json")), fileName, name);
    }

    /** Whether a file's name makes it a migration file: it ends in .yaml, .yml or .json. */
    public static boolean isMigrationFile(String fileName) {
        return extension(fileName) != null;
    }

    /** The order in which migration files apply, by their names: pgroll's, the byte order of UTF-8 names. */
    public static Comparator<String> fileOrder() {
        return MigrationReader::compareCodePoints;
    }

    private static String requireExtension(String fileName) {
        String extension = extension(fileName);
        if (extension == null) {
            throw new MigrationFormatException(
                    fileName + ": not a migration file: the name must end in .yaml, .yml or .json");
        }
        return extension;
    }

    /**
     * Reads a migration from {@code content} (YAML or JSON) under the given name; the rules of {@link
     * #readFile}. {@code fileLabel} names the source in error messages.
     */
    public static Migration read(String content, String migrationName, String fileLabel) {
        if (migrationName == null || migrationName.isEmpty()) {
            throw new IllegalArgumentException("migrationName is required");
        }
        String label = fileLabel != null ? fileLabel : migrationName;
        return DocumentReader.read(parse(content, label, false), label, migrationName);
    }

    /**
     * Reads a migration document (YAML or JSON) with the structural validation only: a top-level {@code
     * name} is allowed and becomes the migration's name (null without it), and an empty {@code
     * operations} list is accepted, as pgroll's JSON Schema accepts them. This reads what {@link
     * #toJson} writes.
     */
    public static Migration readDocument(String content, String fileLabel) {
        String label = fileLabel != null ? fileLabel : "migration";
        return DocumentReader.read(parse(content, label, false), label, null);
    }

    /**
     * The migration files of {@code directory} ({@code .yaml}, {@code .yml}, {@code .json}; not
     * recursive), in the order they apply: lexicographic order of file name, as pgroll orders them.
     */
    public static List<Path> migrationFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new MigrationFormatException(directory + ": not a directory of migration files");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> isMigrationFile(p.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString(), fileOrder()))
                    .toList();
        } catch (IOException e) {
            throw new MigrationFormatException(directory + ": cannot list the migration files: " + e.getMessage(), e);
        }
    }

    /**
     * The migration as compact JSON in pgroll's format, with its {@code name}: what the state stores
     * and what tells a re-started migration from a changed one. Absent fields and false booleans are left
     * out; {@code readDocument(toJson(m))} equals {@code m}.
     */
    public static String toJson(Migration migration) {
        try {
            return JSON.writeValueAsString(migration);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write migration " + migration.name() + " as JSON", e);
        }
    }

    /** The migration as pgroll's JSON tree, with its {@code name}, for {@link MigrationWriter}. */
    static JsonNode tree(Migration migration) {
        return JSON.valueToTree(migration);
    }

    static JsonNode parse(String content, String label, boolean jsonOnly) {
        if (content == null) {
            throw new IllegalArgumentException("content is required");
        }
        if (content.length() > MAX_FILE_BYTES) {
            throw tooLarge(label, content.length() + " characters");
        }
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        if (jsonOnly) {
            return parseWith(JSON, text, label, "JSON");
        }
        if (text.stripLeading().startsWith("{")) {
            // JSON is read by the JSON parser: SnakeYAML (YAML 1.1) refuses some valid JSON, e.g. tab indents
            try {
                return JSON.readTree(text);
            } catch (JacksonException jsonError) {
                try {
                    return YAML.readTree(text); // a YAML flow mapping, such as {operations: [...]}
                } catch (JacksonException yamlError) {
                    throw SyntaxErrors.of(label, "JSON", jsonError);
                }
            }
        }
        return parseWith(YAML, text, label, "YAML");
    }

    private static JsonNode parseWith(ObjectMapper mapper, String text, String label, String format) {
        try {
            return mapper.readTree(text);
        } catch (JacksonException e) {
            throw SyntaxErrors.of(label, format, e);
        }
    }

    private static MigrationFormatException tooLarge(String label, String size) {
        return new MigrationFormatException(label + ": the migration is " + size + " long; a migration may be at most "
                + MAX_FILE_BYTES / (1024 * 1024) + " MiB: split it into several migrations");
    }

    static String readContent(Path file, String label) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw tooLarge(label, String.format(Locale.ROOT, "%.1f MiB", size / (1024.0 * 1024)));
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MigrationFormatException(label + ": file not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new MigrationFormatException(label + ": permission denied: " + file, e);
        } catch (CharacterCodingException e) {
            throw new MigrationFormatException(label + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new MigrationFormatException(label + ": cannot read the file: " + e.getMessage(), e);
        }
    }

    static String extension(String fileName) {
        for (String extension : EXTENSIONS) {
            if (fileName.endsWith(extension) && fileName.length() > extension.length()) {
                return extension;
            }
        }
        return null;
    }

    /** Code point order, which is the byte order of the UTF-8 names pgroll (Go) sorts. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
