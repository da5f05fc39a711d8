/**
 * The migration engine. Its API is {@code io.pgroll.engine} (the {@code Pgroll} entry point, its
 * options, results and listener) and {@code io.pgroll.engine.model} (the migration format); everything
 * under {@code io.pgroll.engine.internal} is hidden from other modules.
 */
module io.pgroll.engine {
    requires transitive java.sql;
    requires java.naming; // pgJDBC's data sources are Referenceable
    requires org.postgresql.jdbc;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires org.yaml.snakeyaml; // its parse errors carry the line and column a message names

    exports io.pgroll.engine;
    exports io.pgroll.engine.model;

    // Jackson writes the model's records back as pgroll's JSON
    opens io.pgroll.engine.model to
            com.fasterxml.jackson.databind;
}
