package io.pgroll.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What pgJDBC sent to the server from this thread while open: its FINEST log holds one line per
 * protocol message ({@code FE=> StartupPacket(...)}, {@code FE=> Parse(...query="...")}, {@code FE=>
 * SimpleQuery(...)}), so a test can tell exactly which statements a connection ran.
 */
final class SentMessages extends Handler implements AutoCloseable {
    private static final Logger PGJDBC = Logger.getLogger("org.postgresql");
    private final long thread = Thread.currentThread().getId();
    private final List<String> lines = new ArrayList<>();
    private final Level previous;
    private final SimpleFormatter formatter = new SimpleFormatter();

    SentMessages() {
        previous = PGJDBC.getLevel();
        PGJDBC.setLevel(Level.FINEST);
        setLevel(Level.ALL);
        PGJDBC.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (record.getLongThreadID() == thread) {
            String line = formatter.formatMessage(record);
            if (line.contains("FE=>")) {
                lines.add(line.trim());
            }
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The SQL texts sent (Parse and simple Query messages). */
    synchronized List<String> statements() {
        return lines.stream()
                .filter(l -> l.startsWith("FE=> Parse") || l.startsWith("FE=> SimpleQuery"))
                .toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        PGJDBC.removeHandler(this);
        PGJDBC.setLevel(previous);
    }
}
