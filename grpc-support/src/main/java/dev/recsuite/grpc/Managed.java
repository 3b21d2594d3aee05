package dev.recsuite.grpc;

/**
 * A component with a process lifetime (a gRPC server, a bundle watcher, a client channel pool),
 * started and stopped by a {@link Lifecycle}.
 */
public interface Managed {

  /**
   * Starts the component; called once, in registration order.
   *
   * @throws Exception if it cannot start; the lifecycle stops what it already started and the
   *     process exits with a one-line message built from this exception's message
   */
  void start() throws Exception;

  /**
   * Stops the component, releasing its resources; called at most once, in reverse registration
   * order, and only after a successful {@link #start()}. May block (a server drains its calls).
   *
   * @throws Exception if stopping fails; the lifecycle logs it and still stops the others
   */
  void stop() throws Exception;
}
