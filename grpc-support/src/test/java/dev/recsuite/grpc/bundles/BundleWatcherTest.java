package dev.recsuite.grpc.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.bundle.InvalidBundleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWatcherTest {

  @TempDir Path root;

  private final ServedBundles<Integer> served = new ServedBundles<>("test-service", Clock.systemUTC(), Duration.ofMinutes(1));

  /** The "model" of a bundle is the factor count written into its cf.pb. */
  private static Integer load(Bundle bundle) {
    return bundle.read(BundleFiles.CF, FactorModel.parser()).getFactors();
  }

  @Test
  void start_servesTheNewestBundle() throws IOException {
    publish("v1", 1);
    publish("v2", 2);

    watcher().start();

    try (ServedBundles.Lease<Integer> lease = served.acquire("")) {
      assertThat(lease.version()).isEqualTo("v2");
      assertThat(lease.model()).isEqualTo(2);
    }
    // The previous version too, so requests pinned to it during a roll-out still find it.
    assertThat(served.versions()).containsExactly("v1", "v2");
  }

  @Test
  void start_withoutABundle_failsNamingTheDirectory() {
    assertThatThrownBy(() -> watcher().start())
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining(root.toString());
  }

  @Test
  void poll_newerBundle_isServedBesideThePrevious() throws IOException {
    publish("v1", 1);
    BundleWatcher<Integer> watcher = watcher();
    watcher.start();

    assertThat(watcher.poll()).isFalse();
    publish("v2", 2);
    assertThat(watcher.poll()).isTrue();

    assertThat(served.versions()).containsExactly("v1", "v2");
    try (ServedBundles.Lease<Integer> lease = served.acquire("")) {
      assertThat(lease.model()).isEqualTo(2);
    }
  }

  @Test
  void start_corruptPreviousBundle_stillServesTheNewest() throws IOException {
    Path broken = publish("v1", 1);
    Files.write(broken.resolve(BundleFiles.CF), new byte[] {9});
    publish("v2", 2);

    watcher().start();

    assertThat(served.versions()).containsExactly("v2");
  }

  @Test
  void poll_corruptNewerBundle_keepsServingAndSkipsItUntilANewerOne() throws IOException {
    publish("v1", 1);
    BundleWatcher<Integer> watcher = watcher();
    watcher.start();
    Path broken = publish("v2", 2);
    Files.write(broken.resolve(BundleFiles.CF), new byte[] {1, 2, 3});

    assertThat(watcher.poll()).isFalse();
    assertThat(watcher.poll()).isFalse();
    assertThat(served.newestVersion()).isEqualTo("v1");

    publish("v3", 3);
    assertThat(watcher.poll()).isTrue();
    assertThat(served.newestVersion()).isEqualTo("v3");
  }

  private BundleWatcher<Integer> watcher() {
    return new BundleWatcher<>("test-service", new BundleRepository(root), BundleWatcherTest::load, served, Duration.ZERO);
  }

  private Path publish(String version, int factors) throws IOException {
    try (BundleWriter writer = BundleWriter.create(root, version)) {
      writer.writeMessage(BundleFiles.CF, FactorModel.newBuilder().setFactors(factors).build());
      return writer.commit(BundleManifest.getDefaultInstance());
    }
  }
}
