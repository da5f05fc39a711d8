/**
 * Reading the PostgreSQL catalog: the schema snapshot ({@code read_schema}, in pgroll's layout) and the single
 * questions operations ask ({@link io.pgroll.engine.internal.catalog.CatalogQueries}). Uses sql only; writes nothing.
 */
package io.pgroll.engine.internal.catalog;
