/**
 * Real-time feedback: the {@link dev.recsuite.feedback.FeedbackEvent} a client reports, the
 * durable, idempotent {@link dev.recsuite.feedback.FeedbackStore} (embedded RocksDB or Redis,
 * chosen by {@link dev.recsuite.feedback.FeedbackStoreConfig}) and the online user and item
 * aggregates it keeps up to date.
 */
package dev.recsuite.feedback;
