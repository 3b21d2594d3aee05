package dev.recsuite.gateway.internal;

import dev.recsuite.feature.v1.FeatureServiceGrpc.FeatureServiceFutureStub;
import dev.recsuite.ranking.v1.RankingServiceGrpc.RankingServiceFutureStub;
import dev.recsuite.recall.v1.RecallServiceGrpc.RecallServiceFutureStub;

/**
 * The asynchronous stubs of the three internal tiers. Calls made through them inherit the deadline
 * and cancellation of the current gRPC {@link io.grpc.Context}.
 */
public record Downstreams(
    RecallServiceFutureStub recall,
    FeatureServiceFutureStub features,
    RankingServiceFutureStub ranking) {}
