package dev.recsuite.evaluation;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the files of the Neural Collaborative Filtering paper's evaluation (He et al., 2017): a
 * given split and fixed negatives, so that the sampled protocol runs on exactly the paper's data.
 *
 * <ul>
 *   <li>{@code train.rating} and {@code test.rating}: one interaction per line, {@code
 *       user\titem\trating\ttimestamp}, 0-based integer ids; the test file holds one interaction per
 *       user (the held-out one);
 *   <li>{@code test.negative}: one line per user, {@code (user,item)} — the user's test interaction
 *       — then the negative item ids, tab-separated.
 * </ul>
 *
 * Ids become strings ({@code "0"}, {@code "1"}...). The catalogue is every id from 0 to the largest
 * item id named in any of the files, and the users every id from 0 to the largest user id, in
 * numeric order, so that items only a test or negative line names are still in the catalogue.
 */
public final class NcfFiles {

  /**
   * The files' content.
   *
   * @param train the catalogue, users and training interactions
   * @param holdout the test interactions, over {@code train}'s dense ids
   * @param negatives negatives by external user id, empty when no negatives file was given
   */
  public record Data(Dataset train, Interactions holdout, Map<String, List<String>> negatives) {

    /** Copies the negatives. */
    public Data {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(holdout, "holdout");
      negatives = Collections.unmodifiableMap(new LinkedHashMap<>(negatives));
    }
  }

  private record Row(int user, int item, float rating, long timestamp) {}

  private NcfFiles() {}

  /**
   * Reads the files.
   *
   * @param negatives the {@code test.negative} file, or null for none
   * @throws IOException if a file cannot be read, or holds a malformed line (the message names the
   *     file and the line number), or the negatives disagree with the test file
   */
  public static Data read(Path train, Path test, Path negatives) throws IOException {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    List<Row> trainRows = readRatings(train);
    List<Row> testRows = readRatings(test);
    Map<Integer, Row> testByUser = new LinkedHashMap<>();
    for (int i = 0; i < testRows.size(); i++) {
      Row row = testRows.get(i);
      if (testByUser.put(row.user(), row) != null) {
        throw new IOException(
            "%s: user %d has more than one test interaction (expected: one per user)".formatted(test, row.user()));
      }
    }
    Map<Integer, List<Integer>> negativeIds = negatives == null ? Map.of() : readNegatives(negatives, testByUser);
    if (negatives != null && negativeIds.size() != testByUser.size()) {
      throw new IOException(
          "%s: negatives for %d users (expected: one line for each of the %d users of %s)"
              .formatted(negatives, negativeIds.size(), testByUser.size(), test));
    }

    int maxUser = -1;
    int maxItem = -1;
    for (List<Row> rows : List.of(trainRows, testRows)) {
      for (Row row : rows) {
        maxUser = Math.max(maxUser, row.user());
        maxItem = Math.max(maxItem, row.item());
      }
    }
    for (List<Integer> items : negativeIds.values()) {
      for (int item : items) {
        maxItem = Math.max(maxItem, item);
      }
    }
    boolean[] trains = new boolean[maxUser + 1];
    for (Row row : trainRows) {
      trains[row.user()] = true;
    }
    for (Row row : testRows) {
      if (!trains[row.user()]) {
        throw new IOException(
            "%s: user %d has a test interaction but no training interaction in %s".formatted(test, row.user(), train));
      }
    }

    DatasetBuilder builder = new DatasetBuilder();
    for (int item = 0; item <= maxItem; item++) {
      builder.addItem(Item.bare(Integer.toString(item)));
    }
    for (int user = 0; user <= maxUser; user++) {
      builder.addUser(User.bare(Integer.toString(user)));
    }
    for (Row row : trainRows) {
      builder.addInteraction(Integer.toString(row.user()), Integer.toString(row.item()), row.rating(), row.timestamp());
    }
    Dataset dataset =
        builder.build(
            new DataSourceInfo(
                "ncf-files",
                train.toAbsolutePath().normalize().toString(),
                "NCF train/test files " + train.getFileName() + " / " + test.getFileName()));
    // Dense ids equal the numeric ids: both lists were added in numeric order first.
    int n = testRows.size();
    int[] users = new int[n];
    int[] items = new int[n];
    float[] ratings = new float[n];
    long[] timestamps = new long[n];
    for (int i = 0; i < n; i++) {
      Row row = testRows.get(i);
      users[i] = row.user();
      items[i] = row.item();
      ratings[i] = row.rating();
      timestamps[i] = row.timestamp();
    }
    Interactions holdout = Interactions.of(dataset.users().size(), users, items, ratings, timestamps);
    Map<String, List<String>> negativesById = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<Integer>> entry : negativeIds.entrySet()) {
      negativesById.put(
          Integer.toString(entry.getKey()), entry.getValue().stream().map(i -> Integer.toString(i)).toList());
    }
    return new Data(dataset, holdout, negativesById);
  }

  private static List<Row> readRatings(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split("\t", -1);
        if (fields.length < 2) {
          throw new IOException(
              "%s line %d: '%s' (expected: user<TAB>item<TAB>rating<TAB>timestamp)".formatted(file, number, abbreviate(line)));
        }
        int user = id(file, number, "user", fields[0]);
        int item = id(file, number, "item", fields[1]);
        float rating = fields.length > 2 ? rating(file, number, fields[2]) : 0f;
        long timestamp = fields.length > 3 ? timestamp(file, number, fields[3]) : 0L;
        rows.add(new Row(user, item, rating, timestamp));
      }
    }
    if (rows.isEmpty()) {
      throw new IOException(file + ": no interactions");
    }
    return rows;
  }

  private record NegativeLine(int line, int item, List<Integer> negatives) {}

  /** The lines of a {@code test.negative} file by user; checks the layout only. */
  private static Map<Integer, NegativeLine> readNegativeLines(Path file) throws IOException {
    Map<Integer, NegativeLine> lines = new LinkedHashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split("\t");
        String pair = fields[0].trim();
        String[] ids =
            pair.startsWith("(") && pair.endsWith(")")
                ? pair.substring(1, pair.length() - 1).split(",", -1)
                : new String[0];
        if (ids.length != 2) {
          throw new IOException(
              "%s line %d: first field '%s' (expected: (user,item))".formatted(file, number, abbreviate(pair)));
        }
        int user = id(file, number, "user", ids[0].trim());
        int item = id(file, number, "item", ids[1].trim());
        List<Integer> items = new ArrayList<>(fields.length - 1);
        for (int f = 1; f < fields.length; f++) {
          if (!fields[f].isBlank()) {
            items.add(id(file, number, "negative item", fields[f].trim()));
          }
        }
        if (items.isEmpty()) {
          throw new IOException("%s line %d: no negative items for user %d".formatted(file, number, user));
        }
        if (lines.put(user, new NegativeLine(number, item, List.copyOf(items))) != null) {
          throw new IOException("%s line %d: a second line for user %d".formatted(file, number, user));
        }
      }
    }
    return lines;
  }

  private static Map<Integer, List<Integer>> readNegatives(Path file, Map<Integer, Row> testByUser) throws IOException {
    Map<Integer, List<Integer>> negatives = new LinkedHashMap<>();
    for (Map.Entry<Integer, NegativeLine> entry : readNegativeLines(file).entrySet()) {
      int user = entry.getKey();
      NegativeLine line = entry.getValue();
      Row test = testByUser.get(user);
      if (test == null || test.item() != line.item()) {
        throw new IOException(
            "%s line %d: (%d,%d) (expected: the user's test interaction%s)"
                .formatted(file, line.line(), user, line.item(),
                    test == null ? "; the test file has none" : ", (" + user + "," + test.item() + ")"));
      }
      negatives.put(user, line.negatives());
    }
    return negatives;
  }

  /**
   * Reads a {@code test.negative} file for a bundle whose users and items carry the file's ids (a
   * bundle trained on NCF files): each line's {@code (user,item)} must be that user's held-out
   * interaction in {@code holdout}.
   *
   * @return negatives by external user id
   * @throws IOException if the file cannot be read, a line is malformed, or a line's pair is not the
   *     user's held-out interaction (the message names the file and line)
   */
  public static Map<String, List<String>> readNegatives(Path file, Dataset train, Interactions holdout)
      throws IOException {
    Map<String, String> heldOut = new LinkedHashMap<>();
    for (int row = 0; row < holdout.size(); row++) {
      heldOut.put(train.users().get(holdout.user(row)).id(), train.items().get(holdout.item(row)).id());
    }
    Map<String, List<String>> negatives = new LinkedHashMap<>();
    for (Map.Entry<Integer, NegativeLine> entry : readNegativeLines(file).entrySet()) {
      String user = Integer.toString(entry.getKey());
      NegativeLine line = entry.getValue();
      String item = Integer.toString(line.item());
      if (!item.equals(heldOut.get(user))) {
        throw new IOException(
            "%s line %d: (%s,%s) (expected: the user's held-out interaction in the bundle%s)"
                .formatted(file, line.line(), user, item,
                    heldOut.containsKey(user) ? ", (" + user + "," + heldOut.get(user) + ")" : "; it has none"));
      }
      negatives.put(user, line.negatives().stream().map(i -> Integer.toString(i)).toList());
    }
    return negatives;
  }

  private static int id(Path file, int line, String what, String value) throws IOException {
    try {
      int id = Integer.parseInt(value.trim());
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw new IOException(
          "%s line %d: %s '%s' (expected: a 0-based integer id)".formatted(file, line, what, abbreviate(value)));
    }
  }

  private static float rating(Path file, int line, String value) throws IOException {
    try {
      float rating = Float.parseFloat(value.trim());
      if (!Float.isFinite(rating)) {
        throw new NumberFormatException();
      }
      return rating;
    } catch (NumberFormatException e) {
      throw new IOException("%s line %d: rating '%s' (expected: a number)".formatted(file, line, abbreviate(value)));
    }
  }

  private static long timestamp(Path file, int line, String value) throws IOException {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IOException(
          "%s line %d: timestamp '%s' (expected: epoch seconds)".formatted(file, line, abbreviate(value)));
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 60 ? value : value.substring(0, 57) + "...";
  }
}
