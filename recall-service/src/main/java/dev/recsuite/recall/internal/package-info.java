/** Implementation of the recall engine: index schema and reader, sources, filters and the merge. Not an API. */
package dev.recsuite.recall.internal;
