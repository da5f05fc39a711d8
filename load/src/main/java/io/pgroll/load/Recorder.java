package io.pgroll.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the clients saw, second by second since the run began: each statement's latency and whether it
 * failed, and the most lock waiters {@code pg_locks} showed. Also the phases of the run, by the second
 * each began. Thread-safe; cheap enough for a few thousand statements a second.
 */
final class Recorder {
    private final long began = System.nanoTime();
    private final List<Second> seconds = new ArrayList<>();
    private final List<Phase> phases = new ArrayList<>();
    private final List<String> firstFailures = new ArrayList<>();
    private long ended;

    /**
     * A phase of the run: its name, when it began (nanoseconds since the run began), and what the
     * statements that ended in it saw.
     */
    static final class Phase extends Statements {
        private final String name;
        private final long beganNanos;

        Phase(String name, long beganNanos) {
            this.name = name;
            this.beganNanos = beganNanos;
        }

        String name() {
            return name;
        }

        long beganNanos() {
            return beganNanos;
        }
    }

    /** What one second of the run saw. */
    static final class Second extends Statements {}

    /** Latencies in microseconds, failures and the most lock waiters seen. */
    abstract static class Statements {
        private long[] latencies = new long[256];
        private int count;
        private int failures;
        private int lockWaiters;

        final void add(long latencyMicros, boolean failed) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = latencyMicros;
            if (failed) {
                failures++;
            }
        }

        final void lockWaiters(int waiting) {
            lockWaiters = Math.max(lockWaiters, waiting);
        }

        final long[] sortedLatencies() {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return sorted;
        }

        final int count() {
            return count;
        }

        final int failures() {
            return failures;
        }

        final int lockWaiters() {
            return lockWaiters;
        }
    }

    long now() {
        return System.nanoTime() - began;
    }

    synchronized void phase(String name) {
        phases.add(new Phase(name, now()));
    }

    /**
     * A statement that was due at {@code dueNanos} (since the run began) and ended now. It counts in
     * the second and the phase it was due in: a statement stalled by a migration belongs to the
     * migration's phase, however long after it ended.
     */
    synchronized void statement(long dueNanos, boolean failed, String failure) {
        long end = now();
        long latency = (end - dueNanos) / 1000;
        second(dueNanos).add(latency, failed);
        for (int i = phases.size() - 1; i >= 0; i--) {
            if (phases.get(i).beganNanos() <= dueNanos) {
                phases.get(i).add(latency, failed);
                break;
            }
        }
        ended = Math.max(ended, end);
        if (failed && firstFailures.size() < 5) {
            firstFailures.add(failure);
        }
    }

    synchronized void lockWaiters(int waiting) {
        second(now()).lockWaiters(waiting);
        if (!phases.isEmpty()) {
            phases.get(phases.size() - 1).lockWaiters(waiting);
        }
    }

    /** How long a phase lasted, in seconds: until the next began, or the last statement ended. */
    synchronized double seconds(Phase phase) {
        int index = phases.indexOf(phase);
        long end = index + 1 < phases.size() ? phases.get(index + 1).beganNanos() : ended;
        return Math.max(0, end - phase.beganNanos()) / 1e9;
    }

    synchronized List<Phase> phases() {
        return List.copyOf(phases);
    }

    synchronized List<Second> seconds() {
        return List.copyOf(seconds);
    }

    synchronized List<String> firstFailures() {
        return List.copyOf(firstFailures);
    }

    /** The phase a moment of the run belongs to. */
    synchronized String phaseAt(long nanos) {
        String name = "";
        for (Phase phase : phases) {
            if (phase.beganNanos() <= nanos) {
                name = phase.name();
            }
        }
        return name;
    }

    private Second second(long nanos) {
        int index = (int) (nanos / 1_000_000_000L);
        while (seconds.size() <= index) {
            seconds.add(new Second());
        }
        return seconds.get(index);
    }
}
