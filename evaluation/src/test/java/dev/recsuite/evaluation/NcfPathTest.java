package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.split.LeaveLastOut;
import dev.recsuite.core.split.TrainTestSplit;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evaluate --train --test --negatives}: NCF files written from a small synthetic data set
 * (dense ids as the files' 0-based ids) are trained on as given and ranked against their negatives.
 */
class NcfPathTest {

  @TempDir Path dir;

  @Test
  void evaluate_ncfFiles_trainsOnTheGivenSplitAndRanksAgainstTheGivenNegatives() throws Exception {
    Dataset data = SyntheticData.generate(SyntheticSpec.defaults().withSeed(3).withSize(150, 300, 30));
    TrainTestSplit split = new LeaveLastOut(3).split(data.interactions());
    Path train = write("train.rating", ratings(split.train()));
    Path test = write("test.rating", ratings(split.holdout()));
    Path negatives = write("test.negative", negatives(split, data.items().size()));
    Path json = dir.resolve("ncf.json");
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new EvaluateCommand());
    command.setOut(new PrintWriter(out));

    int exit =
        command.execute(
            "--train", train.toString(),
            "--test", test.toString(),
            "--negatives", negatives.toString(),
            "--bundles", dir.resolve("bundles").toString(),
            "--protocol", "sampled",
            "--bootstrap", "100",
            "--json", json.toString());

    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    JsonObject manifest = report.getAsJsonObject("bundle_manifest");
    assertThat(manifest.getAsJsonObject("dataSource").get("format").getAsString()).isEqualTo("ncf-files");
    assertThat(manifest.getAsJsonObject("split").get("strategy").getAsString()).isEqualTo("ncf-files");
    assertThat(manifest.getAsJsonObject("counts").get("interactions").getAsLong()).isEqualTo(split.train().size());
    JsonObject sampled = report.getAsJsonArray("protocols").get(0).getAsJsonObject();
    assertThat(sampled.get("users").getAsInt()).isEqualTo(split.holdout().size());
    assertThat(sampled.get("negatives").getAsString()).isEqualTo("the negatives of test.negative");
    // Each user ranks the held-out item and the file's 4 negatives.
    assertThat(sampled.get("list_length").getAsInt()).isEqualTo(5);
    JsonObject inProcess = sampled.getAsJsonArray("methods").get(5).getAsJsonObject();
    assertThat(inProcess.get("name").getAsString()).isEqualTo("pipeline (in-process)");
    assertThat(inProcess.get("ok").getAsBoolean()).isTrue();
    double hr5 = inProcess.getAsJsonObject("metrics").getAsJsonObject("hr@5").get("mean").getAsDouble();
    assertThat(hr5).as("every candidate is ranked, so HR@5 of a 5-item list is 1").isEqualTo(1.0);
    assertThat(out.toString()).contains("Sampled: " + split.holdout().size() + " users");
    assertThat(exit).as(out.toString()).isZero();
  }

  private static List<String> ratings(Interactions interactions) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < interactions.size(); i++) {
      lines.add(interactions.user(i) + "\t" + interactions.item(i) + "\t" + (int) interactions.rating(i) + "\t"
          + interactions.timestamp(i));
    }
    return lines;
  }

  /** Per user, the 4 lowest item ids the user never interacted with. */
  private static List<String> negatives(TrainTestSplit split, int items) {
    List<String> lines = new ArrayList<>();
    Interactions holdout = split.holdout();
    for (int row = 0; row < holdout.size(); row++) {
      int user = holdout.user(row);
      StringBuilder line = new StringBuilder("(" + user + "," + holdout.item(row) + ")");
      int found = 0;
      for (int item = 0; item < items && found < 4; item++) {
        if (item != holdout.item(row) && !seen(split.train(), user, item)) {
          line.append('\t').append(item);
          found++;
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static boolean seen(Interactions train, int user, int item) {
    for (int i = train.start(user); i < train.end(user); i++) {
      if (train.item(i) == item) {
        return true;
      }
    }
    return false;
  }

  private Path write(String name, List<String> lines) throws Exception {
    return Files.write(dir.resolve(name), lines);
  }
}
