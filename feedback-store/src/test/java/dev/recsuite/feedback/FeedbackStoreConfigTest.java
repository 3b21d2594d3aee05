package dev.recsuite.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeedbackStoreConfigTest {

  @Test
  void embedded_hasTheDocumentedDefaults() {
    FeedbackStoreConfig config = FeedbackStoreConfig.embedded(Path.of("feedback"));

    assertThat(config.type()).isEqualTo(StoreType.EMBEDDED);
    assertThat(config.recentWindow()).isEqualTo(20);
    assertThat(config.dislikedWindow()).isEqualTo(100);
    assertThat(config.popularityHalfLife()).isEqualTo(Duration.ofHours(24));
    assertThat(config.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.maxEventAge()).isEqualTo(Duration.ofDays(30));
    assertThat(config.redisKeyPrefix()).isEqualTo("recsuite:feedback:");
    assertThat(config.location()).isEqualTo("feedback");
  }

  @Test
  void withers_changeOneValueAndValidateIt() {
    FeedbackStoreConfig config = FeedbackStoreConfig.redis("redis://localhost:6379/2").withRecentWindow(50);

    assertThat(config.recentWindow()).isEqualTo(50);
    assertThat(config.redisUri()).isEqualTo("redis://localhost:6379/2");
    assertThatThrownBy(() -> config.withRecentWindow(0)).hasMessage("recentWindow: 0 (expected: 1..1000)");
    assertThatThrownBy(() -> config.withDislikedWindow(10_001)).hasMessage("dislikedWindow: 10001 (expected: 1..10000)");
    assertThatThrownBy(() -> config.withPopularityHalfLife(Duration.ofMillis(999)))
        .hasMessage("popularityHalfLife: PT0.999S (expected: PT1S..PT8760H)");
    assertThatThrownBy(() -> config.withMaxClockSkew(Duration.ofMinutes(-1)))
        .hasMessage("maxClockSkew: PT-1M (expected: PT0S..PT1H)");
    assertThatThrownBy(() -> config.withMaxEventAge(Duration.ofSeconds(59))).hasMessage("maxEventAge: PT59S (expected: PT1M..PT87600H)");
    assertThatThrownBy(() -> config.withRedisTimeout(Duration.ofMillis(99))).hasMessage("redisTimeout: PT0.099S (expected: PT0.1S..PT5M)");
    assertThatThrownBy(() -> config.withRedisKeyPrefix("has space")).hasMessage("redisKeyPrefix: \"has space\" (expected: 1..64 characters, no whitespace or control characters)");
    assertThatThrownBy(() -> config.withRedisKeyPrefix("")).hasMessageStartingWith("redisKeyPrefix: \"\"");
  }

  @Test
  void redisUri_invalid_failsNamingIt() {
    assertThatThrownBy(() -> FeedbackStoreConfig.redis(null)).hasMessage("redisUri: required for the Redis store (expected: redis://host[:port][/database])");
    assertThatThrownBy(() -> FeedbackStoreConfig.redis("http://localhost:6379"))
        .hasMessage("redisUri: \"http://localhost:6379\" (expected: scheme redis or rediss, e.g. redis://127.0.0.1:6379/0)");
    assertThatThrownBy(() -> FeedbackStoreConfig.redis("redis:///0")).hasMessageContaining("has no host");
    assertThatThrownBy(() -> FeedbackStoreConfig.redis("redis://localhost/x")).hasMessage("redisUri: \"redis://localhost/x\" database \"x\" (expected: a number, e.g. /0)");
    assertThatThrownBy(() -> FeedbackStoreConfig.redis("redis://h o")).hasMessageStartingWith("redisUri: \"redis://h o\" is not a URI");
    assertThat(FeedbackStoreConfig.redis("rediss://cache.internal:6380/0").redisUri()).isEqualTo("rediss://cache.internal:6380/0");
  }

  @Test
  void redisPassword_neverAppearsInMessagesOrToString() {
    FeedbackStoreConfig config = FeedbackStoreConfig.redis("redis://:s3cret@localhost:6379/1");

    assertThat(config.toString()).doesNotContain("s3cret").contains("redis://***@localhost:6379/1");
    assertThat(config.location()).isEqualTo("redis://***@localhost:6379/1");
    assertThatThrownBy(() -> FeedbackStoreConfig.redis("http://:s3cret@localhost")).message().doesNotContain("s3cret");
  }

  @Test
  void embedded_withoutPath_fails() {
    assertThatThrownBy(() -> new FeedbackStoreConfig(StoreType.EMBEDDED, null, null, "p:", Duration.ofSeconds(5), 20, 100,
            Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofDays(30)))
        .hasMessage("path: required for the embedded store");
  }

  @Test
  void storeType_parse_acceptsBothNamesIgnoringCase() {
    assertThat(StoreType.parse("embedded")).isEqualTo(StoreType.EMBEDDED);
    assertThat(StoreType.parse("REDIS")).isEqualTo(StoreType.REDIS);
    assertThatThrownBy(() -> StoreType.parse("rocks")).hasMessage("type: \"rocks\" (expected: embedded or redis)");
  }
}
