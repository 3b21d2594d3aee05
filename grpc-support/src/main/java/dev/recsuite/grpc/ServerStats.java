package dev.recsuite.grpc;

/**
 * A snapshot of a {@link GrpcServer}'s load, for metrics and tests: how many calls of the
 * service's own methods are in flight, how many were shed, and the limit.
 *
 * @param callsInFlight calls of the registered services in flight now (health and reflection are
 *     not counted)
 * @param shedCalls calls answered {@code RESOURCE_EXHAUSTED} by load shedding since the start
 * @param maxConcurrentCalls the concurrency limit, {@code 0} when load shedding is off
 */
public record ServerStats(int callsInFlight, long shedCalls, int maxConcurrentCalls) {}
