package io.pgroll.spring;

import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The migration files a build ships, from {@code pgroll.locations}, in the order they apply (their
 * file names' order, as pgroll orders a directory).
 */
final class BuildMigrations {
    private final List<String> locations;
    private final NavigableMap<String, Resource> files;

    private BuildMigrations(List<String> locations, NavigableMap<String, Resource> files) {
        this.locations = locations;
        this.files = files;
    }

    static BuildMigrations find(ResourcePatternResolver resolver, List<String> locations) {
        NavigableMap<String, Resource> files = new TreeMap<>(MigrationReader.fileOrder());
        for (String location : locations) {
            String pattern = location.endsWith("/") ? location + "*" : location + "/*";
            try {
                for (Resource resource : resolver.getResources(pattern.replaceFirst("^classpath:", "classpath*:"))) {
                    String fileName = resource.getFilename();
                    if (fileName == null || !MigrationReader.isMigrationFile(fileName) || !resource.isReadable()) {
                        continue;
                    }
                    Resource other = files.putIfAbsent(fileName, resource);
                    if (other != null && !other.getURL().equals(resource.getURL())) {
                        throw new IllegalStateException("migration file " + fileName + " is in two places: "
                                + other.getDescription() + " and " + resource.getDescription()
                                + "; a migration name must be unique");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the migration files of " + location, e);
            }
        }
        return new BuildMigrations(List.copyOf(locations), files);
    }

    /** The newest migration's name, read from the file names alone: the version this build is written for. */
    Optional<String> newest() {
        return files.isEmpty() ? Optional.empty() : Optional.of(nameOf(files.lastKey()));
    }

    /** Every migration, parsed; a file pgroll would refuse fails here, naming the file. */
    List<Migration> read() {
        List<Migration> migrations = new ArrayList<>();
        for (var file : files.entrySet()) {
            try (InputStream in = file.getValue().getInputStream()) {
                migrations.add(MigrationReader.readContent(
                        file.getKey(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read migration file " + file.getValue().getDescription(), e);
            }
        }
        return migrations;
    }

    /** How errors name the source of the migrations. */
    String source() {
        return "the migrations in " + String.join(", ", locations);
    }

    private static String nameOf(String fileName) {
        return fileName.substring(0, fileName.lastIndexOf('.'));
    }
}
