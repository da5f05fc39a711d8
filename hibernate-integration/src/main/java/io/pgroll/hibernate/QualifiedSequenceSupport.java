package io.pgroll.hibernate;

import org.hibernate.MappingException;
import org.hibernate.dialect.sequence.SequenceSupport;

/**
 * PostgreSQL's sequence support, with an unqualified sequence name taken as one of the migrated schema.
 * Only the statements an application runs at run time are changed: the next and previous values.
 */
final class QualifiedSequenceSupport implements SequenceSupport {
    private final SequenceSupport postgres;
    private final String schema;

    QualifiedSequenceSupport(SequenceSupport postgres, String schema) {
        this.postgres = postgres;
        this.schema = schema;
    }

    /** {@code owners_seq} as {@code "public".owners_seq}; a name with a schema already is left alone. */
    private String qualified(String sequenceName) {
        return sequenceName.indexOf('.') >= 0 ? sequenceName : Identifiers.quoted(schema) + "." + sequenceName;
    }

    @Override
    public boolean supportsSequences() {
        return postgres.supportsSequences();
    }

    @Override
    public boolean supportsPooledSequences() {
        return postgres.supportsPooledSequences();
    }

    @Override
    public String getSelectSequenceNextValString(String sequenceName) throws MappingException {
        return postgres.getSelectSequenceNextValString(qualified(sequenceName));
    }

    @Override
    public String getSelectSequencePreviousValString(String sequenceName) throws MappingException {
        return postgres.getSelectSequencePreviousValString(qualified(sequenceName));
    }

    @Override
    public String getSequenceNextValString(String sequenceName) throws MappingException {
        return postgres.getSequenceNextValString(qualified(sequenceName));
    }

    @Override
    public String getSequencePreviousValString(String sequenceName) throws MappingException {
        return postgres.getSequencePreviousValString(qualified(sequenceName));
    }

    @Override
    public String getSequenceNextValString(String sequenceName, int increment) throws MappingException {
        return postgres.getSequenceNextValString(qualified(sequenceName), increment);
    }

    @Override
    public String getFromDual() {
        return postgres.getFromDual();
    }
}
