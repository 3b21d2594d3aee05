/**
 * Implementation of {@link dev.recsuite.feature}: building the served feature messages from the
 * bundle tables, the holder of the current store. Not an API: it may change without notice.
 */
package dev.recsuite.feature.internal;
