/**
 * The feature service: {@link dev.recsuite.feature.FeatureStore} answers user and item feature
 * lookups from a model bundle (or from in-process tables, for the trainer);
 * {@link dev.recsuite.feature.FeatureGrpcService} serves it over gRPC; {@link
 * dev.recsuite.feature.FeatureServiceMain} is the process.
 */
package dev.recsuite.feature;
