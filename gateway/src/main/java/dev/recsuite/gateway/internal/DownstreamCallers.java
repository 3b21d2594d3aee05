package dev.recsuite.gateway.internal;

import dev.recsuite.gateway.Downstream;

/** The gateway's {@link DownstreamCaller} of each tier. */
public record DownstreamCallers(
    DownstreamCaller recall, DownstreamCaller features, DownstreamCaller ranking, DownstreamCaller feedback) {

  /** The caller of {@code downstream}. */
  public DownstreamCaller of(Downstream downstream) {
    return switch (downstream) {
      case RECALL -> recall;
      case FEATURES -> features;
      case RANKING -> ranking;
      case FEEDBACK -> feedback;
    };
  }
}
