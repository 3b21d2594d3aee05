package dev.recsuite.recall;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.UserFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small hand-made catalogue (40 items over 10 genres, each with a distinctive tag and a two-word
 * title), 12 users with seeded random histories skewed to low item ids, seeded random factors and
 * the co-occurrence neighbours of the histories (10 per item).
 */
final class Fixture {

  static final String[] GENRES = {
    "Action", "Comedy", "Drama", "Horror", "Sci-Fi", "Romance", "Animation", "Documentary", "Western", "Musical"
  };
  static final String[] TAGS = {
    "explosions", "jokes", "tears", "ghost", "spaceship", "kiss", "cartoon", "facts", "cowboy", "singing"
  };
  static final String[] FIRST = {"Shadow", "River", "Galaxy", "Laughter", "Midnight", "Harbor", "Crimson", "Whisper"};
  static final String[] SECOND = {"Empire", "Garden", "Machine", "Journey", "Lantern"};
  static final int ITEMS = 40;
  static final int USERS = 12;
  static final int DIMENSION = 8;

  static final int NEIGHBOURS = 10;

  final Dataset train;
  final FactorModel factors;
  final ItemNeighbours neighbours;

  private Fixture(Dataset train, FactorModel factors) {
    this.train = train;
    this.factors = factors;
    this.neighbours =
        CoOccurrenceBuilder.build(
            train.interactions(), ITEMS, CoOccurrenceParameters.defaults().withMaxNeighbours(NEIGHBOURS).withThreads(1));
  }

  static Fixture create(long seed) {
    DatasetBuilder builder = new DatasetBuilder();
    for (int i = 0; i < ITEMS; i++) {
      List<String> genres = new ArrayList<>(List.of(GENRES[i % 10]));
      if (i % 3 == 0) {
        genres.add(GENRES[(i + 5) % 10]);
      }
      builder.addItem(
          new Item(
              "m" + i, FIRST[i % 8] + " " + SECOND[i / 8], genres, 1980 + i, List.of(TAGS[i % 10])));
    }
    Random random = new Random(seed);
    for (int u = 0; u < USERS; u++) {
      builder.addUser(new User("u" + u, Map.of("age", Integer.toString(20 + u))));
      int events = 3 + random.nextInt(10);
      for (int e = 0; e < events; e++) {
        double r = random.nextDouble();
        int item = (int) (ITEMS * r * r);
        builder.addInteraction("u" + u, "m" + item, 1 + random.nextInt(5), 1_000L * u + e);
      }
    }
    Dataset train = builder.build(new DataSourceInfo("synthetic", "fixture", "recall test fixture"));
    FactorModel.Builder factors = FactorModel.newBuilder().setFactors(DIMENSION).setRegularization(0.1f).setAlpha(10f);
    for (int i = 0; i < ITEMS * DIMENSION; i++) {
      factors.addItemFactors((float) random.nextGaussian());
    }
    for (int i = 0; i < USERS * DIMENSION; i++) {
      factors.addUserFactors((float) random.nextGaussian());
    }
    return new Fixture(train, factors.build());
  }

  /** The same data with user {@code user}'s vector replaced. */
  Fixture withUserVector(int user, float[] vector) {
    FactorModel.Builder builder = factors.toBuilder();
    for (int f = 0; f < DIMENSION; f++) {
      builder.setUserFactors(user * DIMENSION + f, vector[f]);
    }
    return new Fixture(train, builder.build());
  }

  Path writeIndex(Path directory) throws IOException {
    ItemIndexBuilder.write(train, factors, directory);
    return directory;
  }

  RecallEngine engine(Path directory, RecallSettings settings) throws IOException {
    return RecallEngine.create(train, factors, neighbours, writeIndex(directory), "test-1", settings);
  }

  /** Publishes a bundle {@code version} under {@code root}, with {@code cooccurrence.pb}. */
  Path writeBundle(Path root, String version) throws IOException {
    return writeBundle(root, version, neighbours, BundleManifest.newBuilder().build());
  }

  /**
   * Publishes a bundle {@code version} under {@code root} with {@code cooccurrence} ({@code null}:
   * without the file, as bundles written before it existed) and {@code manifest}.
   */
  Path writeBundle(Path root, String version, ItemNeighbours cooccurrence, BundleManifest manifest)
      throws IOException {
    try (BundleWriter writer = BundleWriter.create(root, version)) {
      Interactions none =
          Interactions.of(train.users().size(), new int[0], new int[0], new float[0], new long[0]);
      BundleTables.writeData(writer, train, none);
      writer.writeMessage(BundleFiles.CF, factors);
      if (cooccurrence != null) {
        writer.writeMessage(BundleFiles.CO_OCCURRENCE, cooccurrence);
      }
      ItemIndexBuilder.write(train, factors, writer.directory(BundleFiles.ITEM_INDEX));
      return writer.commit(manifest);
    }
  }

  /** The item factors as one row-major array. */
  float[] itemFactors() {
    float[] values = new float[ITEMS * DIMENSION];
    for (int i = 0; i < values.length; i++) {
      values[i] = factors.getItemFactors(i);
    }
    return values;
  }

  /** A folder with the fixture model's regularisation and alpha, as the engine builds it. */
  UserFolder folder(AlsParameters.ConfidenceScaling scaling) {
    return UserFolder.of(
        itemFactors(),
        AlsParameters.defaults()
            .withFactors(DIMENSION)
            .withRegularization(factors.getRegularization())
            .withAlpha(factors.getAlpha())
            .withScaling(scaling));
  }

  /** {@code user}'s training events, most recent first (repeats kept). */
  List<Integer> recentEvents(int user) {
    List<Integer> events = new ArrayList<>();
    Interactions interactions = train.interactions();
    for (int i = interactions.end(user) - 1; i >= interactions.start(user); i--) {
      events.add(interactions.item(i));
    }
    return events;
  }

  float[] itemVector(int item) {
    float[] vector = new float[DIMENSION];
    for (int f = 0; f < DIMENSION; f++) {
      vector[f] = factors.getItemFactors(item * DIMENSION + f);
    }
    return vector;
  }

  float[] userVector(int user) {
    float[] vector = new float[DIMENSION];
    for (int f = 0; f < DIMENSION; f++) {
      vector[f] = factors.getUserFactors(user * DIMENSION + f);
    }
    return vector;
  }

  static float dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return (float) sum;
  }

  /** Brute-force reference: the distinct items {@code user} interacted with. */
  Set<String> seen(String userId) {
    Set<String> seen = new HashSet<>();
    int user = train.userIds().indexOf(userId);
    if (user < 0) {
      return seen;
    }
    Interactions interactions = train.interactions();
    for (int i = interactions.start(user); i < interactions.end(user); i++) {
      seen.add(train.itemIds().id(interactions.item(i)));
    }
    return seen;
  }

  /** The external id of dense item {@code item} (its catalogue position). */
  String itemId(int item) {
    return train.itemIds().id(item);
  }

  /** Distinct items of {@code user}, most recent first. */
  List<Integer> recentItems(int user) {
    List<Integer> recent = new ArrayList<>();
    Interactions interactions = train.interactions();
    for (int i = interactions.end(user) - 1; i >= interactions.start(user); i--) {
      if (!recent.contains(interactions.item(i))) {
        recent.add(interactions.item(i));
      }
    }
    return recent;
  }

  Set<String> genreKeys(String itemId) {
    Set<String> keys = new HashSet<>();
    for (String genre : train.items().get(train.itemIds().indexOf(itemId)).genres()) {
      keys.add(genre.toLowerCase(Locale.ROOT));
    }
    return keys;
  }

  int popularity(int item) {
    int count = 0;
    for (int i = 0; i < train.interactions().size(); i++) {
      if (train.interactions().item(i) == item) {
        count++;
      }
    }
    return count;
  }
}
