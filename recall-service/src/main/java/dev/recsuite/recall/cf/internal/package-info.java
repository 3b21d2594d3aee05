/**
 * Implementation of {@link dev.recsuite.recall.cf}: the sparse confidence matrix, the Gram matrix,
 * the per-row conjugate-gradient and Cholesky solvers and the named worker pool. Not an API: it may
 * change without notice.
 */
package dev.recsuite.recall.cf.internal;
