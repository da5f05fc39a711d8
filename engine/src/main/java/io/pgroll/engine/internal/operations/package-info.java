/**
 * One class per operation kind, each with the same verbs (validate, apply, start, complete, rollback, abandon), and
 * the mechanisms they share (column copies, triggers, concurrent indexes, version schemas, the virtual schema the new
 * version sees). Uses catalog, backfill and sql; knows nothing of the state or the commands.
 */
package io.pgroll.engine.internal.operations;
