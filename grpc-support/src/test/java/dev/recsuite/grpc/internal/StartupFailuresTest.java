package dev.recsuite.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class StartupFailuresTest {

  @Test
  void describe_plainException_isItsMessage() {
    assertThat(
            StartupFailures.describe(
                new IllegalStateException("bundle directory /x does not exist")))
        .isEqualTo("bundle directory /x does not exist");
  }

  @Test
  void describe_wrappers_arePeeledOff() {
    Throwable wrapped =
        new InvocationTargetException(
            new ExecutionException(
                new IllegalArgumentException("maxCandidates: 0 (expected: > 0)")));

    assertThat(StartupFailures.describe(wrapped)).isEqualTo("maxCandidates: 0 (expected: > 0)");
  }

  @Test
  void describe_wrapperWithItsOwnMessage_keepsThatMessage() {
    Throwable wrapped =
        new UncheckedIOException("cannot read bundle v3", new IOException("disk on fire"));

    assertThat(StartupFailures.describe(wrapped)).isEqualTo("cannot read bundle v3");
  }

  @Test
  void describe_causeOnlyWrapper_showsTheCause() {
    Throwable wrapped = new UncheckedIOException(new NoSuchFileException("/b/manifest.json"));

    assertThat(StartupFailures.describe(wrapped))
        .isEqualTo("no such file or directory: /b/manifest.json");
  }

  @Test
  void describe_multiLineOrEmptyMessage_givesOneLine() {
    assertThat(StartupFailures.describe(new IllegalStateException("first\nsecond")))
        .isEqualTo("first");
    assertThat(StartupFailures.describe(new NullPointerException()))
        .isEqualTo("NullPointerException");
  }
}
