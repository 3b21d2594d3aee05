package dev.recsuite.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MovieLensDataTest {

  @Test
  void ml100k_inThisBuild_findsTheDataSetOrSkips() {
    Path dir = MovieLensData.ml100k();

    assertThat(dir).isDirectory();
    assertThat(MovieLensLocator.REQUIRED_FILES).allMatch(f -> Files.isRegularFile(dir.resolve(f)));
  }
}
