package dev.recsuite.recall;

import dev.recsuite.bundle.v1.DirectoryUser;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes every user's recall answer (500 candidates, default settings) to a text file, one line per
 * candidate: user, item id, fused score, then each source hit as {@code number:score:rank}. A main
 * program, not a test: two builds' dumps compared byte for byte ({@code cmp}) show that a change
 * kept every candidate and score. It uses only API the earlier builds have, so it runs against an
 * older build's jars too. Arguments: a bundle root (its newest bundle is used) and the output file.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "recall-service/target/test-classes:$LIB/*" \
 *     dev.recsuite.recall.RecallAnswersDump /tmp/bundles /tmp/answers.txt
 * </pre>
 */
public final class RecallAnswersDump {

  private RecallAnswersDump() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: RecallAnswersDump BUNDLE_ROOT OUTPUT_FILE");
      System.exit(2);
    }
    Bundle bundle = new BundleRepository(Path.of(args[0])).openLatest();
    List<String> users =
        bundle.read(BundleFiles.USERS, UserDirectory.parser()).getUsersList().stream().map(DirectoryUser::getId).toList();
    try (RecallEngine engine = RecallEngine.open(bundle, RecallSettings.defaults());
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      for (String user : users) {
        for (RecallCandidate candidate : engine.recall(RecallQuery.forUser(user, 500)).candidates()) {
          out.print(user + " " + candidate.itemId() + " " + candidate.fusedScore());
          for (SourceHit hit : candidate.sources()) {
            out.print(" " + hit.source().getNumber() + ":" + hit.score() + ":" + hit.rank());
          }
          out.println();
        }
      }
    }
    System.out.printf("bundle %s: %d users' answers written to %s%n", bundle.version(), users.size(), args[1]);
  }
}
