package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Rewriting an identity column (e.g. int to bigint). An identity's sequence belongs to its column and
 * goes when the column is dropped, so: while the migration is active the copy draws its values from
 * the original's sequence (a plain default); at complete the copy becomes an identity of its own,
 * whose new sequence continues where the old one stood, and takes the old sequence's name.
 */
final class IdentityColumns {
    /** An identity column's sequence and kind ({@code a} ALWAYS, {@code d} BY DEFAULT). */
    record Identity(String sequenceSchema, String sequence, String kind) {
        String qualifiedSequence() {
            return Sql.qualified(sequenceSchema, sequence);
        }

        /** The copy's default while the migration is active: the original identity's next value. */
        String nextValue() {
            return "nextval(" + Sql.literal(qualifiedSequence()) + "::regclass)";
        }
    }

    private IdentityColumns() {}

    static Optional<Identity> of(ExecutionContext context, String table, String column) throws SQLException {
        return context.catalog()
                .identity(table, column)
                .map(sequence -> new Identity(sequence.schema(), sequence.sequence(), sequence.kind()));
    }

    /**
     * Before the original is dropped, in complete's transaction (the table is locked, so no insert
     * draws a value in between): the sequence's position is kept in a holder sequence, since the
     * original's goes with it, and the copy stops drawing from it.
     */
    static List<String> beforeDrop(ExecutionContext context, String table, String copy, Identity identity) {
        String holder = holder(identity);
        return List.of(
                "CREATE SEQUENCE " + holder,
                "SELECT setval(" + Sql.literal(holder) + "::regclass, last_value, is_called) FROM "
                        + identity.qualifiedSequence(),
                "ALTER TABLE " + context.qualified(table) + " ALTER COLUMN " + Sql.ident(copy) + " DROP DEFAULT");
    }

    /**
     * After the original is dropped and the copy renamed and made NOT NULL: the copy becomes the
     * identity, under the old sequence's name, continuing where it stood.
     */
    static List<String> afterRename(ExecutionContext context, String table, String column, Identity identity) {
        String holder = holder(identity);
        return List.of(
                "ALTER TABLE " + context.qualified(table) + " ALTER COLUMN " + Sql.ident(column) + " ADD GENERATED "
                        + (identity.kind().equals("a") ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY (SEQUENCE NAME "
                        + identity.qualifiedSequence() + ")",
                "SELECT setval(" + Sql.literal(identity.qualifiedSequence())
                        + "::regclass, last_value, is_called) FROM " + holder,
                "DROP SEQUENCE " + holder);
    }

    private static String holder(Identity identity) {
        return Sql.qualified(identity.sequenceSchema(), TemporaryNames.of("new", identity.sequence()));
    }
}
