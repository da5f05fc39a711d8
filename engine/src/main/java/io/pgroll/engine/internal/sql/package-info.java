/**
 * SQL text and its execution: identifier and literal quoting, lexical edits of expressions, the lock-safe executor
 * and the retry waits. Uses only the public listener, to report lock waits.
 */
package io.pgroll.engine.internal.sql;
