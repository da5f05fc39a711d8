package io.pgroll.engine;

/**
 * Where a schema's history stands: {@code version} is the latest version schema's suffix (empty when
 * there is none), {@code state} whether its migration is still in progress.
 */
public record Status(String schema, String version, State state) {
    /** The states, with the words pgroll's {@code status} command prints. */
    public enum State {
        NO_MIGRATIONS("No migrations"),
        IN_PROGRESS("In progress"),
        COMPLETE("Complete");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
