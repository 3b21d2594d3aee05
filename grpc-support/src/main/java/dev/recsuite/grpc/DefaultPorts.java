package dev.recsuite.grpc;

/**
 * The default port of each service, in one place so that servers and the gateway's client targets
 * agree. They are compile-time constants, usable in picocli annotations: {@code defaultValue =
 * "127.0.0.1:" + DefaultPorts.RECALL}.
 */
public final class DefaultPorts {

  /** The gateway (public API): 50051. */
  public static final int GATEWAY = 50051;

  /** The recall service: 50052. */
  public static final int RECALL = 50052;

  /** The feature service: 50053. */
  public static final int FEATURE = 50053;

  /** The ranking service: 50054. */
  public static final int RANKING = 50054;

  private DefaultPorts() {}
}
