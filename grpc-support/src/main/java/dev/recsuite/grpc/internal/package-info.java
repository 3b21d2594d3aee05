/** Implementation of {@code dev.recsuite.grpc}; not an API, may change without notice. */
package dev.recsuite.grpc.internal;
