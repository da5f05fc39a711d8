package io.pgroll.engine.internal.backfill;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.MigrationListener.ReplicaWait;
import io.pgroll.engine.MigrationListener.StandbyLag;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.sql.Retry;
import io.pgroll.engine.internal.sql.SqlStates;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Holds a backfill's next batch while a standby is further behind than the pacing allows, so that a
 * backfill writing WAL faster than standbys replay it does not leave their readers minutes in the past.
 * Asked between batches, when the backfill holds no lock and no transaction is open.
 */
public final class ReplicaWatch {
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final CatalogQueries catalog;
    private final BackfillPacing pacing;
    private final MigrationListener listener;

    ReplicaWatch(CatalogQueries catalog, BackfillPacing pacing, MigrationListener listener) {
        this.catalog = catalog;
        this.pacing = pacing;
        this.listener = listener;
    }

    /**
     * Refuses a bound on standbys that the migrating role cannot keep: without the privileges of
     * {@code pg_read_all_stats}, PostgreSQL hides the standbys' positions, and every standby would look
     * caught up. Checked before start changes anything.
     */
    public static void requireVisibleStandbys(CatalogQueries catalog, BackfillPacing pacing) throws SQLException {
        if (pacing.watchesReplicas() && !catalog.seesStandbyPositions()) {
            throw new SQLException(
                    "the backfill cannot watch replication lag: role " + catalog.currentRole()
                            + " may not see the standbys' positions in pg_stat_replication. GRANT pg_monitor TO "
                            + catalog.currentRole() + " (or pg_read_all_stats), or drop the bound on replica lag;"
                            + " nothing was changed",
                    SqlStates.INSUFFICIENT_PRIVILEGE);
        }
    }

    /** Returns once every standby is within the bounds, telling the listener while it waits. */
    void awaitStandbys(String table) throws SQLException {
        if (!pacing.watchesReplicas()) {
            return;
        }
        List<StandbyLag> behind = behind();
        if (behind.isEmpty()) {
            return;
        }
        long began = System.nanoTime();
        long reported = began;
        listener.replicaWait(new ReplicaWait(table, behind, Duration.ZERO));
        Duration poll = FIRST_POLL;
        while (!behind.isEmpty()) {
            Retry.sleep(poll, "waiting for standbys to catch up with the backfill of " + table);
            poll = Retry.doubled(poll, LONGEST_POLL);
            behind = behind();
            if (!behind.isEmpty() && System.nanoTime() - reported >= REPORT_EVERY.toNanos()) {
                reported = System.nanoTime();
                listener.replicaWait(new ReplicaWait(table, behind, Duration.ofNanos(reported - began)));
            }
        }
        listener.replicaWait(new ReplicaWait(table, List.of(), Duration.ofNanos(System.nanoTime() - began)));
    }

    private List<StandbyLag> behind() throws SQLException {
        return catalog.standbyLags().stream().filter(this::tooFarBehind).toList();
    }

    private boolean tooFarBehind(StandbyLag lag) {
        return (pacing.maxReplicaLagBytes() > 0 && lag.bytes() > pacing.maxReplicaLagBytes())
                || (pacing.maxReplicaLag() != null && lag.replayLag().compareTo(pacing.maxReplicaLag()) > 0);
    }
}
