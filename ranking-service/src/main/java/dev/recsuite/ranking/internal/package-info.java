/**
 * Implementation details of the ranking service: the gRPC handler, the score order and the linear
 * algebra of the trainer. Not an API; may change without notice.
 */
package dev.recsuite.ranking.internal;
