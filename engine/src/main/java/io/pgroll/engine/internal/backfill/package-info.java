/**
 * The batched backfill that fills new columns of existing rows through the triggers, in short key-range batches.
 * Uses catalog and sql.
 */
package io.pgroll.engine.internal.backfill;
