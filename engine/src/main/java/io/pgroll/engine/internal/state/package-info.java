/**
 * The state schema: its installation, the advisory lock that serialises migrators, and the history of migrations
 * and of an active migration's phases. Uses catalog (for {@code read_schema}) and sql.
 */
package io.pgroll.engine.internal.state;
