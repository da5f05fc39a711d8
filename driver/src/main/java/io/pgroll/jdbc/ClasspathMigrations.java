package io.pgroll.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code pgrollVersion=classpath:<dir>}: the name of the newest migration among the files an application
 * ships in a classpath directory, in a folder or in a jar (including Spring Boot's nested jars, whose URLs
 * open as {@link JarURLConnection}s). Only the file names are read: the name then resolves as a migration
 * name given in the URL does, so the driver needs no parser of migration files.
 *
 * <p>The files are ordered as the engine orders a directory ({@code MigrationReader.migrationFiles}; the
 * driver cannot use it, since it depends on pgJDBC alone):
 * {@code .yaml}, {@code .yml} and {@code .json} files, by file name in code point order, which is the byte
 * order of the UTF-8 names that pgroll (Go) sorts. A test holds this order to the engine's.
 *
 * <p>What an application ships does not change while it runs, so the answer is kept per class loader
 * (weakly, so a redeployed application's loader can go) and directory.
 */
final class ClasspathMigrations {
    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

    private final Map<ClassLoader, Map<String, String>> newest = Collections.synchronizedMap(new WeakHashMap<>());

    /** The name of the newest migration of {@code directory}, listed through {@code loader}. */
    String newest(ClassLoader loader, String directory) throws SQLException {
        Map<String, String> byDirectory = newest.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        String cached = byDirectory.get(directory);
        if (cached == null) {
            cached = read(loader, directory);
            byDirectory.put(directory, cached);
        }
        return cached;
    }

    private static String read(ClassLoader loader, String directory) throws SQLException {
        String property = PgrollProperty.VERSION.getName() + "=" + VersionSpec.CLASSPATH + directory;
        List<String> files = new ArrayList<>();
        try {
            for (URL root : Collections.list(loader.getResources(directory))) {
                files.addAll(list(root, directory));
            }
        } catch (IOException | UncheckedIOException | URISyntaxException e) {
            throw PgrollProperty.invalid(property + ": cannot list the migration files: " + e.getMessage());
        }
        String last = files.stream()
                .max(ClasspathMigrations::compareCodePoints)
                .orElseThrow(() -> PgrollProperty.invalid(property + ": no .yaml, .yml or .json migration file found in"
                        + " classpath directory " + directory + " (class loader " + loader + ")"));
        return last.substring(0, last.lastIndexOf('.')); // the migration name is the file name without its extension
    }

    private static List<String> list(URL root, String directory) throws IOException, URISyntaxException {
        if (root.getProtocol().equals("file")) {
            try (Stream<Path> entries = Files.list(Path.of(root.toURI()))) {
                return entries.filter(Files::isRegularFile)
                        .map(p -> p.getFileName().toString())
                        .filter(ClasspathMigrations::isMigration)
                        .toList();
            }
        }
        URLConnection connection = root.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            throw new IOException("cannot list " + root + ": neither a folder nor a jar");
        }
        connection.setUseCaches(false);
        String prefix = directory + "/";
        List<String> files = new ArrayList<>();
        try (JarFile jarFile = jar.getJarFile()) {
            for (JarEntry entry : Collections.list(jarFile.entries())) {
                String name = entry.getName();
                String fileName = name.substring(Math.min(prefix.length(), name.length()));
                if (name.startsWith(prefix)
                        && !entry.isDirectory()
                        && fileName.indexOf('/') < 0
                        && isMigration(fileName)) {
                    files.add(fileName);
                }
            }
        }
        return files;
    }

    private static boolean isMigration(String fileName) {
        return EXTENSIONS.stream().anyMatch(e -> fileName.endsWith(e) && fileName.length() > e.length());
    }

    /** Code point order, as the engine sorts a directory's files. */
    static int compareCodePoints(String a, String b) {
        return Comparator.<String, int[]>comparing(s -> s.codePoints().toArray(), Arrays::compare)
                .compare(a, b);
    }
}
