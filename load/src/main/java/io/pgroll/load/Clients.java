package io.pgroll.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Application instances: each a thread with its own connection, running a paced mix of point selects
 * (70 %), updates (20 %) and inserts (10 %) in the shape of one version. Each statement's latency is
 * counted from when it was due, not from when it was sent, so that a client stalled behind a lock
 * charges the wait to every statement it could not send meanwhile (no coordinated omission).
 */
final class Clients {
    /** Opens a connection in the shape an instance of one version has. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    /** One version's statements; the first parameter of select and update is a row's id. */
    record Shape(String select, String update, String insert) {}

    private final Recorder recorder;
    private final long rows;
    private final int statementsPerSecond;

    Clients(Recorder recorder, long rows, int statementsPerSecond) {
        this.recorder = recorder;
        this.rows = rows;
        this.statementsPerSecond = statementsPerSecond;
    }

    /** A group of instances of one version, started together and stopped together. */
    final class Group {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        private Group(String name, int count, Connector connector, Shape shape) {
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(() -> run(connector, shape), name + "-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void run(Connector connector, Shape shape) {
            long interval = 1_000_000_000L / statementsPerSecond;
            // an instance connects before it takes traffic: its startup is not a statement's latency
            Connection connection = null;
            try {
                connection = connector.connect();
            } catch (SQLException e) {
                // the first statement tries again, and counts the failure if it fails too
            }
            long due = recorder.now();
            while (running.get()) {
                due += interval;
                long wait = due - recorder.now();
                if (wait > 0) {
                    sleep(wait);
                }
                try {
                    if (connection == null || connection.isClosed()) {
                        connection = connector.connect();
                    }
                    execute(connection, shape);
                    recorder.statement(due, false, null);
                } catch (SQLException e) {
                    recorder.statement(
                            due,
                            true,
                            Thread.currentThread().getName() + ": " + e.getSQLState() + " "
                                    + e.getMessage().lines().findFirst().orElse(""));
                    // a statement's own error leaves the connection usable, as an application's pool keeps it;
                    // reconnecting after each would fall behind the schedule and blur which second failed
                    if (!usable(connection)) {
                        closeQuietly(connection);
                        connection = null;
                    }
                }
            }
            closeQuietly(connection);
        }

        /** Stops the instances, each after its statement in flight. */
        void stop() {
            running.set(false);
            for (Thread thread : threads) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    Group start(String name, int count, Connector connector, Shape shape) {
        return new Group(name, count, connector, shape);
    }

    private void execute(Connection connection, Shape shape) throws SQLException {
        int pick = ThreadLocalRandom.current().nextInt(100);
        long id = 1 + ThreadLocalRandom.current().nextLong(rows);
        String sql = pick < 70 ? shape.select() : pick < 90 ? shape.update() : shape.insert();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            if (pick < 90) {
                st.setLong(1, id);
            }
            st.execute();
        }
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean usable(Connection connection) {
        try {
            return connection != null && connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a broken connection is replaced by the next statement
        }
    }
}
