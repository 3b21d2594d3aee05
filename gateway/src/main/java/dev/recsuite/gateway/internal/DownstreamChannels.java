package dev.recsuite.gateway.internal;

import dev.recsuite.grpc.Managed;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's client channels to the internal tiers. Targets use gRPC's name syntax; a DNS name
 * resolving to several addresses is balanced round-robin. Stopping shuts the channels down after
 * the server has drained (the lifecycle stops in reverse order).
 */
public final class DownstreamChannels implements Managed {

  private final ManagedChannel recall;
  private final ManagedChannel features;
  private final ManagedChannel ranking;

  public DownstreamChannels(String recallTarget, String featureTarget, String rankingTarget) {
    this.recall = open(recallTarget);
    this.features = open(featureTarget);
    this.ranking = open(rankingTarget);
  }

  private static ManagedChannel open(String target) {
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .defaultLoadBalancingPolicy("round_robin")
        .build();
  }

  public ManagedChannel recall() {
    return recall;
  }

  public ManagedChannel features() {
    return features;
  }

  public ManagedChannel ranking() {
    return ranking;
  }

  @Override
  public void start() {
    // Channels connect lazily on the first call.
  }

  @Override
  public void stop() throws InterruptedException {
    for (ManagedChannel channel : List.of(recall, features, ranking)) {
      channel.shutdown();
    }
    for (ManagedChannel channel : List.of(recall, features, ranking)) {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }
}
