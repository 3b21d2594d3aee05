/**
 * Implementation details of the ranking service: the gRPC handler, the score order, the checks
 * every stored model passes at load, the feature standardisation the trainers share and the linear
 * algebra of the logistic trainer. Not an API; may change without notice.
 */
package dev.recsuite.ranking.internal;
