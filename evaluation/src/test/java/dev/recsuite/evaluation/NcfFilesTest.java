package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NcfFilesTest {

  @TempDir Path dir;

  @Test
  void read_ncfLayout_buildsCatalogueSplitAndNegatives() throws IOException {
    Path train = write("train.rating", "0\t1\t5\t978300760", "0\t2\t3\t978302109", "1\t0\t4\t978301968", "1\t2\t2\t978300275");
    Path test = write("test.rating", "0\t3\t4\t978824351", "1\t4\t5\t978300760");
    Path negatives = write("test.negative", "(0,3)\t0\t5", "(1,4)\t1\t5");

    NcfFiles.Data data = NcfFiles.read(train, test, negatives);

    // Items 0..5 (5 is named only by the negatives), users 0..1, in numeric order.
    assertThat(data.train().items()).extracting(item -> item.id()).containsExactly("0", "1", "2", "3", "4", "5");
    assertThat(data.train().users()).extracting(user -> user.id()).containsExactly("0", "1");
    assertThat(data.train().interactions().size()).isEqualTo(4);
    assertThat(data.train().interactions().countOf(0)).isEqualTo(2);
    assertThat(data.holdout().size()).isEqualTo(2);
    assertThat(data.holdout().user(0)).isEqualTo(0);
    assertThat(data.holdout().item(0)).isEqualTo(3);
    assertThat(data.holdout().item(1)).isEqualTo(4);
    assertThat(data.holdout().timestamp(1)).isEqualTo(978300760L);
    assertThat(data.negatives()).containsEntry("0", List.of("0", "5")).containsEntry("1", List.of("1", "5"));
    assertThat(data.train().source().format()).isEqualTo("ncf-files");
  }

  @Test
  void read_withoutNegatives_hasNone() throws IOException {
    Path train = write("train.rating", "0\t1\t5\t1", "0\t2\t3\t2");
    Path test = write("test.rating", "0\t0\t4\t3");

    NcfFiles.Data data = NcfFiles.read(train, test, null);

    assertThat(data.negatives()).isEmpty();
    assertThat(data.holdout().size()).isEqualTo(1);
  }

  @Test
  void read_malformedLine_failsNamingFileAndLine() throws IOException {
    Path train = write("train.rating", "0\t1\t5\t1", "zero\t2\t3\t2");
    Path test = write("test.rating", "0\t0\t4\t3");

    assertThatThrownBy(() -> NcfFiles.read(train, test, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("train.rating line 2: user 'zero' (expected: a 0-based integer id)");
  }

  @Test
  void read_negativeLineForAnotherItem_failsNamingTheExpectedPair() throws IOException {
    Path train = write("train.rating", "0\t1\t5\t1", "0\t2\t3\t2");
    Path test = write("test.rating", "0\t0\t4\t3");
    Path negatives = write("test.negative", "(0,7)\t3\t4");

    assertThatThrownBy(() -> NcfFiles.read(train, test, negatives))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("test.negative line 1: (0,7) (expected: the user's test interaction, (0,0))");
  }

  @Test
  void read_badPair_failsNamingTheField() throws IOException {
    Path train = write("train.rating", "0\t1\t5\t1");
    Path test = write("test.rating", "0\t0\t4\t3");
    Path negatives = write("test.negative", "0,0\t3\t4");

    assertThatThrownBy(() -> NcfFiles.read(train, test, negatives))
        .hasMessageContaining("test.negative line 1: first field '0,0' (expected: (user,item))");
  }

  @Test
  void read_testUserWithoutTraining_fails() throws IOException {
    Path train = write("train.rating", "0\t1\t5\t1");
    Path test = write("test.rating", "0\t0\t4\t3", "1\t0\t4\t3");

    assertThatThrownBy(() -> NcfFiles.read(train, test, null))
        .hasMessageContaining("user 1 has a test interaction but no training interaction");
  }

  @Test
  void readNegatives_againstABundleHoldout_checksThePairs() throws IOException {
    Path train = write("train.rating", "0\t1\t5\t1", "1\t2\t5\t1");
    Path test = write("test.rating", "0\t0\t4\t3", "1\t3\t4\t3");
    NcfFiles.Data data = NcfFiles.read(train, test, null);
    Path good = write("good.negative", "(0,0)\t2\t3", "(1,3)\t0\t1");
    Path bad = write("bad.negative", "(0,0)\t2\t3", "(1,2)\t0\t1");

    assertThat(NcfFiles.readNegatives(good, data.train(), data.holdout()))
        .containsEntry("0", List.of("2", "3"))
        .containsEntry("1", List.of("0", "1"));
    assertThatThrownBy(() -> NcfFiles.readNegatives(bad, data.train(), data.holdout()))
        .hasMessageContaining("bad.negative line 2: (1,2) (expected: the user's held-out interaction in the bundle, (1,3))");
  }

  private Path write(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }
}
