/**
 * Reading the PostgreSQL catalog: the schema snapshot ({@code read_schema}, in pgroll's layout) and the single
 * questions operations ask ({@link io.pgroll.engine.internal.catalog.CatalogQueries}). Uses nothing else of the engine; writes nothing.
 */
package io.pgroll.engine.internal.catalog;
