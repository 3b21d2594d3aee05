package dev.recsuite.core.data;

/**
 * Where a data set came from.
 *
 * @param format layout name: {@code synthetic}, {@code movielens-100k}, {@code movielens-dat},
 *     {@code movielens-csv} or {@code generic-csv}
 * @param location path read, or the generator's settings
 * @param description short human-readable description
 */
public record DataSourceInfo(String format, String location, String description) {}
