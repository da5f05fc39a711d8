/**
 * The engine's internals: not API, and not exported by the module. {@link io.pgroll.engine.internal.EngineSettings}
 * is the configuration every layer reads.
 */
package io.pgroll.engine.internal;
