package dev.recsuite.feedback.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RocksKeysTest {

  @Test
  void userPrefix_ofOneUser_isNotAPrefixOfAnothersKeys() {
    byte[] u1 = RocksKeys.userPrefix(RocksKeys.HISTORY, "u1");
    byte[] u10Key = RocksKeys.userTimed(RocksKeys.userPrefix(RocksKeys.HISTORY, "u10"), 5, RocksKeys.utf8("e"));

    assertThat(Arrays.mismatch(u1, u10Key)).isLessThan(u1.length);
  }

  @Test
  void userTimed_sortsNewestFirstThenById() {
    byte[] prefix = RocksKeys.userPrefix(RocksKeys.RECENT, "u");
    byte[] newer = RocksKeys.userTimed(prefix, 2000, RocksKeys.utf8("z"));
    byte[] olderA = RocksKeys.userTimed(prefix, 1000, RocksKeys.utf8("a"));
    byte[] olderB = RocksKeys.userTimed(prefix, 1000, RocksKeys.utf8("b"));

    assertThat(Arrays.compareUnsigned(newer, olderA)).isNegative();
    assertThat(Arrays.compareUnsigned(olderA, olderB)).isNegative();
    assertThat(RocksKeys.timeOfUserTimed(newer, prefix.length)).isEqualTo(2000);
    assertThat(RocksKeys.idOfUserTimed(olderB, prefix.length)).isEqualTo("b");
  }

  @Test
  void upperBound_isAboveEveryKeyWithThePrefixAndBelowTheNextPrefix() {
    byte[] prefix = {'H', 0, 2, 'u', (byte) 0xFF};
    byte[] bound = RocksKeys.upperBound(prefix);

    assertThat(bound).containsExactly('H', 0, 2, 'v');
    assertThat(Arrays.compareUnsigned(new byte[] {'H', 0, 2, 'u', (byte) 0xFF, (byte) 0xFF}, bound)).isNegative();
  }

  @Test
  void time_roundTripsAndSortsByTime() {
    byte[] key = RocksKeys.time(1_800_000_000_000L, "ev-1");

    assertThat(RocksKeys.timeOf(key)).isEqualTo(1_800_000_000_000L);
    assertThat(RocksKeys.eventIdOfTime(key)).isEqualTo("ev-1");
    assertThat(Arrays.compareUnsigned(RocksKeys.time(255, "z"), RocksKeys.time(256, "a"))).isNegative();
  }
}
