package dev.recsuite.datasets.synthetic;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One generation run; see {@link SyntheticData} for the model. */
final class Generator {

  private static final Logger log = LoggerFactory.getLogger(Generator.class);

  /** Share of each genre among items and favourites, aligned with the genre list. */
  private static final double[] GENRE_WEIGHTS = {
    0.20, 0.17, 0.10, 0.08, 0.08, 0.06, 0.05, 0.05, 0.05, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03,
    0.02, 0.01
  };

  /** Chance of an item having 1, 2 or 3 genres. */
  private static final double[] ITEM_GENRE_COUNT = {0.50, 0.33, 0.17};

  /** Chance of a user having 1, 2 or 3 favourite genres. */
  private static final double[] FAVOURITE_COUNT = {0.40, 0.35, 0.25};

  /** Weights of an item's or user's first, second and third genre in its latent vector. */
  private static final double[] MIX = {1.0, 0.6, 0.45};

  private static final double ITEM_NOISE = 0.45;
  private static final double USER_NOISE = 0.35;
  private static final double QUALITY_SD = 0.45;

  /** Divides taste·item in the choice weight; lower means choices follow taste more closely. */
  private static final double TEMPERATURE = 0.25;

  /** β in popularity^β; popularity of the item of rank r is 1 / (r + offset). */
  private static final double POPULARITY_EXPONENT = 1.0;

  private static final double POPULARITY_OFFSET = 5;

  /** Weight of drift-genre affinity, against unit Gaussian noise, when ordering a user's picks. */
  private static final double DRIFT_STRENGTH = 1.5;

  /** Sigma of the log-normal that spreads activity above the minimum. */
  private static final double ACTIVITY_SIGMA = 1.0;

  private static final double RATING_BASE = 2.75;
  private static final double RATING_AFFINITY = 1.6;
  private static final double RATING_NOISE = 0.85;
  private static final double USER_BIAS_SD = 0.35;

  private static final String[] AGE_BUCKETS = {"1", "18", "25", "35", "45", "50", "56"};
  private static final double[] AGE_WEIGHTS = {0.04, 0.18, 0.35, 0.20, 0.09, 0.08, 0.06};
  private static final String[] GENDERS = {"M", "F"};
  private static final double[] GENDER_WEIGHTS = {0.7, 0.3};
  private static final String[] OCCUPATIONS = {
    "administrator",
    "artist",
    "doctor",
    "educator",
    "engineer",
    "entertainment",
    "executive",
    "healthcare",
    "homemaker",
    "lawyer",
    "librarian",
    "marketing",
    "none",
    "other",
    "programmer",
    "retired",
    "salesman",
    "scientist",
    "student",
    "technician",
    "writer"
  };
  private static final String[] SEQUELS = {" II", " III", " 2", ": Reloaded", ": The Return"};

  /** Users per parallel task; each task reuses one set of buffers. */
  private static final int USERS_PER_TASK = 64;

  private final SyntheticSpec spec;
  private final int dims;
  private final int genreCount;
  private final List<String> genreNames;
  private final double[] genreWeights;

  // Items
  private final float[] itemVectors;

  /**
   * {@link #itemVectors} transposed, one array per dimension, for vectorised scoring; columns are
   * in popularity-rank order (see {@link #sampleUser}).
   */
  private final float[][] itemColumns;

  /** β log popularity, by popularity rank. */
  private final float[] logPopularity;

  /** The item of each popularity rank. */
  private final int[] itemOfRank;

  private final double[] quality;

  // Genres
  private final float[] genreVectors;

  // Users
  private final float[] tastes;
  private final int[] driftGenre;
  private final double[] userBias;
  private final long[] windowStart;
  private final long[] windowLength;
  private final long[] userSeeds;

  Generator(SyntheticSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.dims = spec.latentDimensions();
    this.genreCount = spec.genres();
    this.genreNames = SyntheticSpec.GENRE_NAMES.subList(0, genreCount);
    this.genreWeights = normalized(Arrays.copyOf(GENRE_WEIGHTS, genreCount));
    this.itemVectors = new float[spec.items() * dims];
    this.itemColumns = new float[dims][spec.items()];
    this.logPopularity = new float[spec.items()];
    this.itemOfRank = new int[spec.items()];
    this.quality = new double[spec.items()];
    this.genreVectors = new float[genreCount * dims];
    this.tastes = new float[spec.users() * dims];
    this.driftGenre = new int[spec.users()];
    this.userBias = new double[spec.users()];
    this.windowStart = new long[spec.users()];
    this.windowLength = new long[spec.users()];
    this.userSeeds = new long[spec.users()];
  }

  SyntheticDataset generate() {
    long start = System.nanoTime();
    SplittableRandom root = new SplittableRandom(spec.seed());
    SplittableRandom genreRandom = root.split();
    SplittableRandom itemRandom = root.split();
    SplittableRandom userRandom = root.split();
    long interactionSeed = root.nextLong();

    makeGenreVectors(genreRandom);
    double[][] ageFactors = genreFactors(genreRandom, AGE_BUCKETS.length);
    double[][] genderFactors = genreFactors(genreRandom, GENDERS.length);
    List<Item> items = makeItems(itemRandom);
    List<List<String>> favourites = new ArrayList<>(spec.users());
    List<User> users = makeUsers(userRandom, ageFactors, genderFactors, favourites);
    int[] counts = allocateCounts(userRandom);
    for (int u = 0; u < spec.users(); u++) {
      userSeeds[u] = mix64(interactionSeed ^ (u * 0x9E3779B97F4A7C15L));
    }
    int[] offsets = new int[spec.users() + 1];
    for (int u = 0; u < spec.users(); u++) {
      offsets[u + 1] = offsets[u] + counts[u];
    }
    int total = offsets[spec.users()];
    int[] userColumn = new int[total];
    int[] itemColumn = new int[total];
    float[] ratingColumn = new float[total];
    long[] timeColumn = new long[total];
    int maxCount = Arrays.stream(counts).max().orElse(0);
    int tasks = (spec.users() + USERS_PER_TASK - 1) / USERS_PER_TASK;
    // Each user has its own random stream, so the result does not depend on scheduling.
    IntStream.range(0, tasks)
        .parallel()
        .forEach(
            task -> {
              Scratch scratch = new Scratch(maxCount, spec.items());
              int end = Math.min(spec.users(), (task + 1) * USERS_PER_TASK);
              for (int u = task * USERS_PER_TASK; u < end; u++) {
                Arrays.fill(userColumn, offsets[u], offsets[u + 1], u);
                sampleUser(u, counts[u], offsets[u], itemColumn, ratingColumn, timeColumn, scratch);
              }
            });
    Interactions interactions =
        Interactions.of(spec.users(), userColumn, itemColumn, ratingColumn, timeColumn);
    Dataset dataset =
        Dataset.of(
            new DataSourceInfo(
                "synthetic",
                spec.toString(),
                "synthetic: %d users, %d items, %d interactions, %d genres"
                    .formatted(spec.users(), spec.items(), total, genreCount)),
            items,
            users,
            interactions);
    List<String> drift = Arrays.stream(driftGenre).mapToObj(genreNames::get).toList();
    log.info(
        "Generated synthetic data set (seed {}): {} users, {} items, {} interactions in {} ms",
        spec.seed(),
        spec.users(),
        spec.items(),
        total,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return new SyntheticDataset(dataset, favourites, drift);
  }

  // ---------------------------------------------------------------- genres

  private void makeGenreVectors(SplittableRandom random) {
    for (int g = 0; g < genreCount; g++) {
      double[] v = new double[dims];
      for (int k = 0; k < dims; k++) {
        v[k] = random.nextGaussian();
      }
      // With enough dimensions the genre directions are made orthogonal, so genres are cleanly
      // separable; otherwise they are random unit vectors.
      if (g < dims) {
        for (int h = 0; h < g; h++) {
          double dot = 0;
          for (int k = 0; k < dims; k++) {
            dot += v[k] * genreVectors[h * dims + k];
          }
          for (int k = 0; k < dims; k++) {
            v[k] -= dot * genreVectors[h * dims + k];
          }
        }
      }
      normalize(v);
      for (int k = 0; k < dims; k++) {
        genreVectors[g * dims + k] = (float) v[k];
      }
    }
  }

  /** Per group (age bucket, gender), a multiplicative preference for each genre. */
  private double[][] genreFactors(SplittableRandom random, int groups) {
    double[][] factors = new double[groups][genreCount];
    for (double[] group : factors) {
      for (int g = 0; g < genreCount; g++) {
        group[g] = StrictMath.exp(0.5 * random.nextGaussian());
      }
    }
    return factors;
  }

  // ---------------------------------------------------------------- items

  private List<Item> makeItems(SplittableRandom random) {
    int itemCount = spec.items();
    List<Item> items = new ArrayList<>(itemCount);
    double[] rankKey = new double[itemCount];
    for (int i = 0; i < itemCount; i++) {
      int[] genres =
          sampleWithoutReplacement(random, genreWeights, 1 + pick(random, ITEM_GENRE_COUNT));
      mixVector(random, genres, ITEM_NOISE, itemVectors, i);
      quality[i] = QUALITY_SD * random.nextGaussian();
      // Better items tend to be more popular, but far from strictly.
      rankKey[i] = quality[i] / QUALITY_SD * 0.5 + random.nextGaussian();
      double u = random.nextDouble();
      int year = 2025 - (int) Math.floor(76 * u * u);
      List<String> genreList = Arrays.stream(genres).mapToObj(genreNames::get).toList();
      items.add(
          new Item(
              Integer.toString(i + 1),
              title(random, genreList),
              genreList,
              Math.max(1950, year),
              tags(random, genreList)));
    }
    Integer[] byRank = new Integer[itemCount];
    for (int i = 0; i < itemCount; i++) {
      byRank[i] = i;
    }
    Arrays.sort(byRank, (a, b) -> Double.compare(rankKey[b], rankKey[a]));
    for (int rank = 0; rank < itemCount; rank++) {
      int item = byRank[rank];
      itemOfRank[rank] = item;
      logPopularity[rank] =
          (float) (-POPULARITY_EXPONENT * StrictMath.log(rank + 1 + POPULARITY_OFFSET));
      for (int k = 0; k < dims; k++) {
        itemColumns[k][rank] = itemVectors[item * dims + k];
      }
    }
    return items;
  }

  private static String title(SplittableRandom random, List<String> genres) {
    String adjective = word(random, genres, true);
    String noun = word(random, genres, false);
    double pattern = random.nextDouble();
    String title;
    if (pattern < 0.35) {
      title = "The " + adjective + " " + noun;
    } else if (pattern < 0.6) {
      title = adjective + " " + noun;
    } else if (pattern < 0.8) {
      title = noun + " of the " + adjective + " " + word(random, genres, false);
    } else {
      title = "The " + noun + " of " + word(random, genres, false);
    }
    if (random.nextDouble() < 0.08) {
      title += SEQUELS[random.nextInt(SEQUELS.length)];
    }
    return title;
  }

  /**
   * Mostly a word of the main genre, sometimes of another of the item's genres or a generic one.
   */
  private static String word(SplittableRandom random, List<String> genres, boolean adjective) {
    double source = random.nextDouble();
    Vocabulary.Words words;
    if (source < 0.65 || (genres.size() == 1 && source < 0.85)) {
      words = Vocabulary.of(genres.getFirst());
    } else if (source < 0.85) {
      words = Vocabulary.of(genres.get(1 + random.nextInt(genres.size() - 1)));
    } else {
      words = Vocabulary.GENERIC;
    }
    List<String> list = adjective ? words.adjectives() : words.nouns();
    return list.get(random.nextInt(list.size()));
  }

  private static List<String> tags(SplittableRandom random, List<String> genres) {
    int wanted = 2 + random.nextInt(4);
    Set<String> tags = new LinkedHashSet<>();
    while (tags.size() < wanted) {
      double source = random.nextDouble();
      List<String> pool;
      if (source < 0.08) {
        pool = Vocabulary.GENERIC.tags();
      } else if (source < 0.6 || genres.size() == 1) {
        pool = Vocabulary.of(genres.getFirst()).tags();
      } else {
        pool = Vocabulary.of(genres.get(1 + random.nextInt(genres.size() - 1))).tags();
      }
      tags.add(pool.get(random.nextInt(pool.size())));
    }
    return List.copyOf(tags);
  }

  // ---------------------------------------------------------------- users

  private List<User> makeUsers(
      SplittableRandom random,
      double[][] ageFactors,
      double[][] genderFactors,
      List<List<String>> favourites) {
    List<User> users = new ArrayList<>(spec.users());
    long span = spec.days() * 86_400L;
    double[] preference = new double[genreCount];
    for (int u = 0; u < spec.users(); u++) {
      int age = pick(random, AGE_WEIGHTS);
      int gender = pick(random, GENDER_WEIGHTS);
      String occupation = OCCUPATIONS[random.nextInt(OCCUPATIONS.length)];
      for (int g = 0; g < genreCount; g++) {
        preference[g] = genreWeights[g] * ageFactors[age][g] * genderFactors[gender][g];
      }
      int[] favourite =
          sampleWithoutReplacement(random, preference, 1 + pick(random, FAVOURITE_COUNT));
      mixVector(random, favourite, USER_NOISE, tastes, u);
      driftGenre[u] = favourite[random.nextInt(favourite.length)];
      userBias[u] = USER_BIAS_SD * random.nextGaussian();
      // Users are active in windows of different length and position.
      double length = 0.1 + 0.9 * random.nextDouble();
      windowLength[u] = Math.max(1, (long) (length * span));
      windowStart[u] = spec.startEpochSecond() + (long) (random.nextDouble() * (1 - length) * span);
      favourites.add(Arrays.stream(favourite).mapToObj(genreNames::get).toList());
      users.add(
          new User(
              Integer.toString(u + 1),
              Map.of(
                  "age", AGE_BUCKETS[age],
                  "gender", GENDERS[gender],
                  "occupation", occupation)));
    }
    return users;
  }

  /**
   * Interactions per user: the minimum plus a log-normal share of the rest, so that the total is
   * exactly {@code round(users × mean)} and no user exceeds the catalogue.
   */
  private int[] allocateCounts(SplittableRandom random) {
    int userCount = spec.users();
    int minimum = spec.minInteractionsPerUser();
    long total = Math.round(userCount * spec.meanInteractionsPerUser());
    long extra = total - (long) userCount * minimum;
    double[] activity = new double[userCount];
    double sum = 0;
    for (int u = 0; u < userCount; u++) {
      activity[u] = StrictMath.exp(ACTIVITY_SIGMA * random.nextGaussian());
      sum += activity[u];
    }
    int[] counts = new int[userCount];
    double[] fraction = new double[userCount];
    long assigned = 0;
    for (int u = 0; u < userCount; u++) {
      double ideal = extra * activity[u] / sum;
      long whole = Math.min((long) Math.floor(ideal), spec.items() - minimum);
      counts[u] = minimum + (int) whole;
      fraction[u] = ideal - whole;
      assigned += counts[u];
    }
    // Largest remainders first; capped users pass their share on.
    Integer[] order = new Integer[userCount];
    for (int u = 0; u < userCount; u++) {
      order[u] = u;
    }
    Arrays.sort(order, (a, b) -> Double.compare(fraction[b], fraction[a]));
    long left = total - assigned;
    while (left > 0) {
      for (int i = 0; i < userCount && left > 0; i++) {
        int u = order[i];
        if (counts[u] < spec.items()) {
          counts[u]++;
          left--;
        }
      }
    }
    return counts;
  }

  // ---------------------------------------------------------------- interactions

  /** Per-task buffers. */
  private static final class Scratch {
    final double[] heapKeys;
    final int[] heapItems;
    final long[] order;
    final double[] times;
    final float[] scores;
    final float[] fractions;
    final int[] powers;

    Scratch(int capacity, int items) {
      scores = new float[items];
      fractions = new float[items];
      powers = new int[items];
      heapKeys = new double[capacity];
      heapItems = new int[capacity];
      order = new long[capacity];
      times = new double[capacity];
    }
  }

  private void sampleUser(
      int user,
      int count,
      int offset,
      int[] itemColumn,
      float[] ratingColumn,
      long[] timeColumn,
      Scratch scratch) {
    SplittableRandom random = new SplittableRandom(userSeeds[user]);
    int itemCount = spec.items();
    int tasteOffset = user * dims;
    // Weights of all items, exp(taste·item / temperature + β log popularity), computed a latent
    // dimension at a time over separate arrays: simple loops the JIT vectorises, several times
    // faster than one dot product per item.
    float[] scores = scratch.scores;
    System.arraycopy(logPopularity, 0, scores, 0, itemCount);
    for (int k = 0; k < dims; k++) {
      addScaled(scores, (float) (tastes[tasteOffset + k] / TEMPERATURE), itemColumns[k], itemCount);
    }
    float[] fractions = scratch.fractions;
    int[] powers = scratch.powers;
    exp(scores, fractions, powers, itemCount);
    int[] chosen = scratch.heapItems;
    race(fractions, powers, itemOfRank, itemCount, count, random, scratch.heapKeys, chosen);
    // Order the picks in time: later ones lean toward the drift genre.
    int drift = driftGenre[user] * dims;
    long[] order = scratch.order;
    for (int j = 0; j < count; j++) {
      double lean =
          DRIFT_STRENGTH * dot(genreVectors, drift, itemVectors, chosen[j] * dims)
              + random.nextGaussian();
      order[j] = (sortableBits((float) lean) << 32) | j;
    }
    Arrays.sort(order, 0, count);
    double[] times = scratch.times;
    for (int j = 0; j < count; j++) {
      times[j] = random.nextDouble();
    }
    Arrays.sort(times, 0, count);
    for (int j = 0; j < count; j++) {
      int item = chosen[(int) order[j]];
      double affinity = dot(tastes, tasteOffset, itemVectors, item * dims);
      double rating =
          RATING_BASE
              + userBias[user]
              + quality[item]
              + RATING_AFFINITY * affinity
              + RATING_NOISE * random.nextGaussian();
      itemColumn[offset + j] = item;
      ratingColumn[offset + j] = (float) Math.clamp(Math.round(rating), 1, 5);
      timeColumn[offset + j] = windowStart[user] + (long) (times[j] * windowLength[user]);
    }
  }

  /** {@code target[i] += factor × source[i]}; a separate method so the loop vectorises. */
  private static void addScaled(float[] target, float factor, float[] source, int length) {
    for (int i = 0; i < length; i++) {
      target[i] += factor * source[i];
    }
  }

  /**
   * e<sup>x</sup> for every {@code x[i]}, as {@code Float.intBitsToFloat(powers[i]) ×
   * fractions[i]}, with a relative error below 2e-5: 2<sup>x log2 e</sup> split into an integer
   * power, given as float bits, and a degree-6 polynomial for the fraction. The bits are converted
   * by the caller because {@code intBitsToFloat} in this loop stops the JIT from vectorising it; as
   * plain float arithmetic the result is also the same on every platform, unlike {@link Math#exp}'s
   * last bit.
   */
  static void exp(float[] x, float[] fractions, int[] powers, int length) {
    for (int i = 0; i < length; i++) {
      float t = Math.max(-86f, Math.min(86f, x[i])) * 1.442695041f;
      // t + 128 > 0, so the cast truncates to the floor.
      int whole = (int) (t + 128f) - 128;
      float f = t - whole;
      fractions[i] =
          1f
              + f
                  * (0.6931472f
                      + f
                          * (0.2402265f
                              + f
                                  * (0.05550411f
                                      + f
                                          * (0.009618129f
                                              + f * (0.001333356f + f * 0.0001540353f)))));
      powers[i] = (whole + 127) << 23;
    }
  }

  /**
   * Picks {@code count} distinct items, each pick with probability proportional to its weight among
   * those left, and writes their labels to {@code chosen[0..count)} in no particular order. Weight
   * {@code i} is {@code Float.intBitsToFloat(powers[i]) × fractions[i]} (see {@link #exp}), its
   * label {@code labels[i]}.
   *
   * <p>An exponential race: the {@code count} smallest keys Exp(1)/weight are such a sample
   * (equivalent to Gumbel-top-k), whatever the order the items are visited in; visiting them by
   * popularity fills the heap with small keys early, which saves most heap replacements later. Once
   * the heap is full, exponential jumps (Efraimidis and Spirakis' A-ExpJ) find the next item whose
   * key beats the heap's largest key from one Exp(1) draw and a running sum of weights, instead of
   * one draw per item: no item beats threshold t with probability exp(-t × sum of weights).
   */
  static void race(
      float[] fractions,
      int[] powers,
      int[] labels,
      int length,
      int count,
      SplittableRandom random,
      double[] keys,
      int[] chosen) {
    int size = 0;
    double needed = 0;
    double accumulated = 0;
    for (int i = 0; i < length; i++) {
      double weight = Float.intBitsToFloat(powers[i]) * fractions[i];
      if (size < count) {
        siftUp(keys, chosen, size++, random.nextExponential() / weight, labels[i]);
        if (size == count) {
          needed = random.nextExponential() / keys[0];
        }
        continue;
      }
      double before = accumulated;
      accumulated += weight;
      if (accumulated >= needed) {
        // Memorylessness: threshold × (needed - before) is this item's Exp(1) variate given
        // that it beats the threshold.
        siftDown(keys, chosen, size, keys[0] * (needed - before) / weight, labels[i]);
        needed = random.nextExponential() / keys[0];
        accumulated = 0;
      }
    }
  }

  /** Max-heap insert of a new element at {@code index}. */
  private static void siftUp(double[] keys, int[] values, int index, double key, int value) {
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      if (keys[parent] >= key) {
        break;
      }
      keys[index] = keys[parent];
      values[index] = values[parent];
      index = parent;
    }
    keys[index] = key;
    values[index] = value;
  }

  /** Replaces the max-heap's root. */
  private static void siftDown(double[] keys, int[] values, int size, double key, int value) {
    int index = 0;
    while (true) {
      int child = 2 * index + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && keys[child + 1] > keys[child]) {
        child++;
      }
      if (keys[child] <= key) {
        break;
      }
      keys[index] = keys[child];
      values[index] = values[child];
      index = child;
    }
    keys[index] = key;
    values[index] = value;
  }

  /** Maps a float to an int whose signed order is the float's order. */
  private static long sortableBits(float value) {
    int bits = Float.floatToIntBits(value);
    return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
  }

  // ---------------------------------------------------------------- helpers

  /** A unit vector mixing the given genres' directions (weights {@link #MIX}) with noise. */
  private void mixVector(
      SplittableRandom random, int[] genres, double noise, float[] target, int row) {
    double[] v = new double[dims];
    for (int j = 0; j < genres.length; j++) {
      for (int k = 0; k < dims; k++) {
        v[k] += MIX[j] * genreVectors[genres[j] * dims + k];
      }
    }
    normalize(v);
    double perDimension = noise / Math.sqrt(dims);
    for (int k = 0; k < dims; k++) {
      v[k] += perDimension * random.nextGaussian();
    }
    normalize(v);
    for (int k = 0; k < dims; k++) {
      target[row * dims + k] = (float) v[k];
    }
  }

  private static double dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    // Four independent sums: one running sum is bound by the latency of each addition, and this
    // is the innermost loop of the generator.
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int k = 0;
    for (; k + 3 < length; k += 4) {
      s0 += a[aOffset + k] * b[bOffset + k];
      s1 += a[aOffset + k + 1] * b[bOffset + k + 1];
      s2 += a[aOffset + k + 2] * b[bOffset + k + 2];
      s3 += a[aOffset + k + 3] * b[bOffset + k + 3];
    }
    for (; k < length; k++) {
      s0 += a[aOffset + k] * b[bOffset + k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private double dot(float[] a, int aOffset, float[] b, int bOffset) {
    return dot(a, aOffset, b, bOffset, dims);
  }

  private static void normalize(double[] v) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int k = 0; k < v.length; k++) {
        v[k] /= norm;
      }
    }
  }

  private static double[] normalized(double[] weights) {
    double sum = Arrays.stream(weights).sum();
    return Arrays.stream(weights).map(w -> w / sum).toArray();
  }

  /** Index drawn with probability proportional to {@code weights}. */
  private static int pick(SplittableRandom random, double[] weights) {
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    double target = random.nextDouble() * sum;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        last = i;
        target -= weights[i];
        if (target < 0) {
          return i;
        }
      }
    }
    // Rounding can leave a sliver of target; zero-weight indexes are never returned.
    return last;
  }

  /** {@code count} distinct indexes, each step proportional to the remaining weights. */
  private static int[] sampleWithoutReplacement(
      SplittableRandom random, double[] weights, int count) {
    double[] remaining = weights.clone();
    int n = Math.min(count, remaining.length);
    int[] picked = new int[n];
    for (int j = 0; j < n; j++) {
      int index = pick(random, remaining);
      picked[j] = index;
      remaining[index] = 0;
    }
    return picked;
  }

  /** SplitMix64's finaliser: decorrelates per-user seeds. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
