package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurrentEngineTest {

  @TempDir Path dir;

  private final Fixture fixture = Fixture.create(3);

  private RecallEngine engine(String version) throws IOException {
    Path index = fixture.writeIndex(dir.resolve(version));
    return RecallEngine.create(fixture.train, fixture.factors, index, version, RecallSettings.defaults());
  }

  @Test
  void replace_whileLeased_closesThePreviousEngineWhenItsLastLeaseIsReleased() throws IOException {
    RecallEngine first = engine("v1");
    RecallEngine second = engine("v2");
    CurrentEngine current = new CurrentEngine(first);
    CurrentEngine.Lease lease = current.acquire();

    current.replace(second);

    assertThat(lease.engine().recall(RecallQuery.forUser("u0", 5)).version()).isEqualTo("v1");
    assertThat(current.version()).isEqualTo("v2");
    lease.close();
    lease.close();
    assertThatThrownBy(() -> first.recall(RecallQuery.forUser("u0", 5))).isInstanceOf(IllegalStateException.class);
    try (CurrentEngine.Lease next = current.acquire()) {
      assertThat(next.engine().recall(RecallQuery.forUser("u0", 5)).version()).isEqualTo("v2");
    }
    current.stop();
  }

  @Test
  void stop_closesTheEngineAndRefusesNewLeases() throws IOException {
    RecallEngine engine = engine("v1");
    CurrentEngine current = new CurrentEngine(engine);

    current.stop();

    assertThatThrownBy(current::acquire)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no recall engine: the service is stopping");
    assertThatThrownBy(() -> engine.recall(RecallQuery.forUser("u0", 5))).isInstanceOf(IllegalStateException.class);
    assertThat(current.version()).isNull();
  }

  @Test
  void replace_afterStop_closesTheNewEngineAndFails() throws IOException {
    CurrentEngine current = new CurrentEngine(engine("v1"));
    current.stop();
    RecallEngine late = engine("v2");

    assertThatThrownBy(() -> current.replace(late)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> late.recall(RecallQuery.forUser("u0", 5))).isInstanceOf(IllegalStateException.class);
  }
}
