/**
 * Implementations of the feedback store and what they share (batch checks, the event encoding,
 * decayed popularity, windows). Not an API: may change without notice.
 */
package dev.recsuite.feedback.internal;
