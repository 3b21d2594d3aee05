/**
 * Implementation of the evaluation harness: the baselines, the in-process pipeline, the gRPC
 * clients, the parallel runner and the report renderers. Not an API; use {@link
 * dev.recsuite.evaluation}.
 */
package dev.recsuite.evaluation.internal;
