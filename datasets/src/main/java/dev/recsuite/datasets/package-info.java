/**
 * Loading data sets from disk: {@link dev.recsuite.datasets.Datasets} reads a directory in one of
 * the {@link dev.recsuite.datasets.DatasetFormat} layouts into a {@link
 * dev.recsuite.core.data.Dataset}; malformed lines fail with {@link
 * dev.recsuite.datasets.InvalidDataException}. The synthetic generator lives in {@code
 * dev.recsuite.datasets.synthetic}.
 */
package dev.recsuite.datasets;
