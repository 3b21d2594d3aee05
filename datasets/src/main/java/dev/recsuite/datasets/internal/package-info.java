/**
 * Implementation of the loaders: one {@link dev.recsuite.datasets.internal.DatasetLoader} per
 * layout, a byte-level line reader with per-line charset fallback, a CSV table over commons-csv
 * with exact line numbers, and field parsers that fail with {@link
 * dev.recsuite.datasets.InvalidDataException}. Not an API: may change without notice.
 */
package dev.recsuite.datasets.internal;
