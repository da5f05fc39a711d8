package io.pgroll.hibernate;

import io.pgroll.jdbc.PgrollConnection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.dialect.sequence.SequenceSupport;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;

/**
 * PostgreSQL's dialect for connections pinned to a pgroll version schema. The pinned {@code
 * search_path} holds the version schema alone, whose views show the tables; sequences cannot be shown
 * through views, so they stay in the migrated schema, and this dialect names them there: an
 * unqualified {@code nextval('owners_seq')} becomes {@code nextval('public.owners_seq')}. Everything
 * else is PostgreSQL's dialect unchanged.
 *
 * <p>Chosen by itself for pinned connections (see {@link PgrollDialectResolver}); where {@code
 * hibernate.dialect} is set, set it to this class. The migrated schema comes from the pinned
 * connection, else from the setting {@value #SCHEMA_SETTING} (default {@code public}).
 */
public class PgrollPostgreSQLDialect extends PostgreSQLDialect {
    /** The migrated schema, for when the dialect is built without a pinned connection at hand. */
    public static final String SCHEMA_SETTING = "hibernate.pgroll.schema";

    private final SequenceSupport sequences;

    public PgrollPostgreSQLDialect(DialectResolutionInfo info) {
        super(info);
        this.sequences = new QualifiedSequenceSupport(super.getSequenceSupport(), migratedSchema(info));
    }

    @Override
    public SequenceSupport getSequenceSupport() {
        return sequences;
    }

    /** The migrated schema of the pinned connection Hibernate resolves its dialect with, if it is one. */
    static String pinnedSchema(DatabaseMetaData metaData) {
        if (metaData == null) {
            return null;
        }
        try {
            return metaData.getConnection().isWrapperFor(PgrollConnection.class)
                    ? metaData.getConnection().unwrap(PgrollConnection.class).migratedSchema()
                    : null;
        } catch (SQLException e) {
            return null; // a connection that cannot tell is not one of ours
        }
    }

    private static String migratedSchema(DialectResolutionInfo info) {
        String pinned = pinnedSchema(info.getDatabaseMetadata());
        if (pinned != null) {
            return pinned;
        }
        Object configured = info.getConfigurationValues().get(SCHEMA_SETTING);
        return configured == null ? "public" : configured.toString();
    }
}
