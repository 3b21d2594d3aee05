package dev.recsuite.grpc;

/**
 * A service's picocli {@code @Command}: its options are parsed by {@link ServiceMain}, then {@link
 * #assemble()} builds the object graph (with Guice) and returns the lifecycle to run.
 */
public interface ServiceCommand {

  /**
   * Builds the service from the parsed options; starts nothing yet.
   *
   * @return the lifecycle of the service's components, the {@link GrpcServer} last
   * @throws Exception if the service cannot be built, e.g. a missing bundle directory; its message
   *     becomes the one line printed on stderr, so make it name the bad value
   */
  Lifecycle assemble() throws Exception;
}
