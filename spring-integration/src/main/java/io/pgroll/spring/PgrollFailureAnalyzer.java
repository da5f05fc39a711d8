package io.pgroll.spring;

import io.pgroll.engine.PgrollException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Puts a pgroll failure at startup (a migration file refused, a migration in progress, the build's
 * version retired) where Boot reports why the application did not start, instead of what a later
 * bean (typically Hibernate, without a connection) made of it.
 */
class PgrollFailureAnalyzer implements FailureAnalyzer {
    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgrollVersionUnavailableException e) {
                return new FailureAnalysis(
                        e.getMessage(),
                        "Deploy the build written for one of the versions that exist now (" + e.liveVersions()
                                + "), or roll back the migration that retired \"" + e.version() + "\" if it is still "
                                + "in progress.",
                        e);
            }
            if (t instanceof PgrollException e) {
                return new FailureAnalysis(
                        "pgroll could not bring the database to this build's migrations: " + e.getMessage(),
                        "Fix what the message names and start the application again; the message says what, if anything, changed.",
                        e);
            }
        }
        return null;
    }
}
