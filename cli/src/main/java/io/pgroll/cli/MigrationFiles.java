package io.pgroll.cli;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.MigrationWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/** The migration files the commands that write them (pull, baseline, update, create) share. */
final class MigrationFiles {
    private MigrationFiles() {}

    /** The names of the migrations whose files {@code dir} holds, whatever their extension. */
    static Set<String> names(Path dir) {
        Set<String> names = new HashSet<>();
        if (Files.isDirectory(dir)) {
            for (Path file : MigrationReader.migrationFiles(dir)) {
                String fileName = file.getFileName().toString();
                names.add(fileName.substring(0, fileName.lastIndexOf('.')));
            }
        }
        return names;
    }

    /** Creates {@code dir} if needed; refuses a path that is a file. */
    static Path directory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new PgrollException(ErrorKind.INVALID_MIGRATION, dir + " is a file, not a directory of migrations");
        } catch (IOException e) {
            throw new PgrollException(ErrorKind.INVALID_MIGRATION, "Cannot create directory " + dir + ": " + e, e);
        }
    }

    /** Writes {@code content} as the new file {@code fileName} in {@code dir}; never overwrites a file. */
    static Path create(Path dir, String fileName, String content) {
        Path file = dir.resolve(fileName);
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new PgrollException(
                    ErrorKind.INVALID_MIGRATION, file + " exists already; nothing was written. Move it away first.");
        } catch (IOException e) {
            throw new PgrollException(ErrorKind.INVALID_MIGRATION, "Cannot write " + file + ": " + e, e);
        }
    }

    /** Writes {@code migration} as a new file named after it in {@code dir}, with {@code prefix} before the name. */
    static Path create(Path dir, String prefix, Migration migration, boolean json) {
        return create(
                dir, prefix + MigrationWriter.fileName(migration.name(), json), MigrationWriter.file(migration, json));
    }
}
