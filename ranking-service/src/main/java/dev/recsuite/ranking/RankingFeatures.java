package dev.recsuite.ranking;

import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * The input of the ranking model: the one definition of how a (user, item, recall sources) triple
 * becomes a feature vector, shared by the offline trainer and the ranking service so that training
 * matches serving.
 *
 * <p>The inputs are the protobuf messages on purpose: they are exactly what the service receives
 * and what the feature service returns. Converting a batch of 500 candidates to records on every
 * request would cost CPU and garbage for nothing, so {@link #extract} reads the messages directly
 * and writes into a caller-provided {@code float[]}; it allocates nothing per candidate. The ranking
 * service goes one step further for candidates sent without features: the user's part is resolved
 * once per request and each bundle item's part (its logarithm, its genres as numbers) once per
 * bundle version, so that a candidate costs no string lookup and no logarithm; for candidates sent
 * in columns ({@code CandidateColumns}) the sources' part of every candidate is written into one
 * table in a single pass over the columns. Those values are the ones computed here, bit for bit.
 *
 * <p>Features, in vector order ({@link #names()}), version 1:
 *
 * <table>
 *   <caption>Ranking features</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>{@code item.popularity}</td><td>the item's popularity in [0, 1]</td></tr>
 *   <tr><td>{@code item.shrunk_rating}</td><td>the item's Bayesian-average rating</td></tr>
 *   <tr><td>{@code item.log1p_interactions}</td><td>ln(1 + the item's interaction count)</td></tr>
 *   <tr><td>{@code item.known}</td><td>1 if the feature service knows the item</td></tr>
 *   <tr><td>{@code user.log1p_interactions}</td><td>ln(1 + the user's interaction count)</td></tr>
 *   <tr><td>{@code user.mean_rating}</td><td>the user's mean rating</td></tr>
 *   <tr><td>{@code user.known}</td><td>1 if the feature service knows the user</td></tr>
 *   <tr><td>{@code cross.genre_affinity_sum}</td><td>sum over the item's genres of the user's
 *       affinity to the genre</td></tr>
 *   <tr><td>{@code cross.genre_affinity_max}</td><td>maximum of those affinities</td></tr>
 *   <tr><td>{@code cross.year_distance}</td><td>|item year − user's mean item year| / 10 (decades);
 *       0 when either year is unknown (0)</td></tr>
 *   <tr><td>{@code cross.rating_gap}</td><td>item shrunk rating − user mean rating</td></tr>
 *   <tr><td>{@code source.<s>.present}</td><td>1 if recall source {@code s} proposed the item</td></tr>
 *   <tr><td>{@code source.<s>.score}</td><td>that source's raw score; the model's standardisation
 *       handles the scale</td></tr>
 *   <tr><td>{@code source.<s>.reciprocal_rank}</td><td>1 / (1 + the item's 0-based rank in that
 *       source)</td></tr>
 *   <tr><td>{@code source.count}</td><td>number of distinct known sources that proposed the
 *       item</td></tr>
 * </table>
 *
 * <p>The three {@code source.*} features repeat for {@code s} = {@code collaborative}, {@code
 * content}, {@code query}, {@code popular}, {@code co_occurrence}, in that order.
 *
 * <p>Missing and unknown values become 0 and the {@code known}/{@code present} flags say so: the
 * item features are 0 when {@code item.known} is false, the user features when {@code user.known}
 * is false, the cross features unless both are known, and a source's features when it did not
 * propose the item. Every output is finite: non-finite inputs (NaN, ±Inf) count as 0, negative
 * counts and ranks as 0, and results that overflow a float are clamped to ±{@link Float#MAX_VALUE}.
 * A source listed twice counts once (the first entry wins); {@code RECALL_SOURCE_UNSPECIFIED} and
 * sources this version does not know are ignored.
 *
 * <p>Changing what this class computes changes the model's input: bump the names of changed
 * features so that the rankers ({@link LinearRanker}, {@link FactorizationMachineRanker}) refuse
 * models trained on the old definition.
 */
public final class RankingFeatures {

  /** The recall sources with features, in vector order. */
  private static final List<RecallSource> SOURCES =
      List.of(
          RecallSource.RECALL_SOURCE_COLLABORATIVE,
          RecallSource.RECALL_SOURCE_CONTENT,
          RecallSource.RECALL_SOURCE_QUERY,
          RecallSource.RECALL_SOURCE_POPULAR,
          RecallSource.RECALL_SOURCE_CO_OCCURRENCE);

  private static final int ITEM_POPULARITY = 0;
  private static final int ITEM_SHRUNK_RATING = 1;
  private static final int ITEM_LOG_INTERACTIONS = 2;
  private static final int ITEM_KNOWN = 3;
  private static final int USER_LOG_INTERACTIONS = 4;
  private static final int USER_MEAN_RATING = 5;
  private static final int USER_KNOWN = 6;
  private static final int GENRE_AFFINITY_SUM = 7;
  private static final int GENRE_AFFINITY_MAX = 8;
  private static final int YEAR_DISTANCE = 9;
  private static final int RATING_GAP = 10;
  private static final int FIRST_SOURCE = 11;
  private static final int PER_SOURCE = 3;
  private static final int SOURCE_COUNT = FIRST_SOURCE + PER_SOURCE * SOURCES.size();

  /** Number of features, the length of {@link #names()}. */
  public static final int SIZE = SOURCE_COUNT + 1;

  /**
   * Values per candidate in a {@link #sourceTable}: the sources' part of the vector, each source's
   * present, score and reciprocal rank, then {@code source.count}.
   */
  static final int SOURCE_BLOCK = SIZE - FIRST_SOURCE;

  private static final List<String> NAMES = buildNames();

  /**
   * Maps a {@link RecallSource} number to its slot in {@link #SOURCES}, or -1. Indexed by enum
   * number; sized for the known numbers, anything larger is unknown.
   */
  private static final int[] SLOT_BY_SOURCE_NUMBER = buildSlots();

  private RankingFeatures() {}

  /** The feature names, in vector order; immutable, {@link #SIZE} entries. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Writes the features of one candidate into {@code out[0 .. SIZE)}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code out} is shorter than {@link #SIZE}
   */
  public static void extract(
      UserFeatures user, ItemFeatures item, List<SourceScore> sources, float[] out) {
    extract(user, item, sources, out, 0);
  }

  /**
   * Expert: writes the features of one candidate into {@code out[offset .. offset + SIZE)}, e.g.
   * one row of a row-major matrix.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code out} has no room for {@link #SIZE} values at {@code
   *     offset}
   */
  public static void extract(
      UserFeatures user, ItemFeatures item, List<SourceScore> sources, float[] out, int offset) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(out, "out");
    if (offset < 0 || offset > out.length - SIZE) {
      throw new IllegalArgumentException(
          "offset: %d into out of length %d (expected: room for %d features)"
              .formatted(offset, out.length, SIZE));
    }
    Arrays.fill(out, offset, offset + SIZE, 0f);

    boolean itemKnown = item.getKnown();
    boolean userKnown = user.getKnown();
    double itemRating = 0;
    double userRating = 0;
    if (itemKnown) {
      itemRating = finite(item.getShrunkRating());
      out[offset + ITEM_POPULARITY] = finite(item.getPopularity());
      out[offset + ITEM_SHRUNK_RATING] = (float) itemRating;
      out[offset + ITEM_LOG_INTERACTIONS] = log1pCount(item.getInteractionCount());
      out[offset + ITEM_KNOWN] = 1f;
    }
    if (userKnown) {
      userRating = finite(user.getMeanRating());
      out[offset + USER_LOG_INTERACTIONS] = log1pCount(user.getInteractionCount());
      out[offset + USER_MEAN_RATING] = (float) userRating;
      out[offset + USER_KNOWN] = 1f;
    }
    if (itemKnown && userKnown) {
      writeGenreAffinity(user, item, out, offset);
      out[offset + YEAR_DISTANCE] = yearDistance(item.getYear(), finite(user.getMeanItemYear()));
      out[offset + RATING_GAP] = clamp(itemRating - userRating);
    }
    writeSources(sources, out, offset);
  }

  /**
   * Writes the features of one candidate from the parts {@link #extract(UserFeatures, ItemFeatures,
   * List, float[])} would compute from {@code user} and {@code item}, resolved once per request and
   * once per bundle version: the same values, bit for bit, without a string lookup or a logarithm
   * per candidate.
   */
  static void extract(RequestUser user, StaticItem item, List<SourceScore> sources, float[] out) {
    writeUserAndItem(user, item, out);
    Arrays.fill(out, FIRST_SOURCE, SIZE, 0f);
    writeSources(sources, out, 0);
  }

  /**
   * Writes the features of candidate {@code candidate} of a list sent in columns: the user's and
   * the item's part as {@link #extract(RequestUser, StaticItem, List, float[])}, the sources' part
   * copied from {@code sourceTable} ({@link #sourceTable}). The same values, bit for bit, as the
   * candidate sent as a message with the column entries of that candidate as its sources.
   */
  static void extract(RequestUser user, StaticItem item, float[] sourceTable, int candidate, float[] out) {
    writeUserAndItem(user, item, out);
    System.arraycopy(sourceTable, candidate * SOURCE_BLOCK, out, FIRST_SOURCE, SOURCE_BLOCK);
  }

  /**
   * The sources' part of the features of every candidate of {@code columns}, in one pass over the
   * columns: row {@code c} ({@link #SOURCE_BLOCK} values from {@code c * SOURCE_BLOCK}) is what
   * {@link #extract} writes from {@code FIRST_SOURCE} on for candidate {@code c}, with the same
   * arithmetic. As on the message path, the first entry of a source wins (a source listed in two
   * columns, a candidate listed twice in one), and {@code RECALL_SOURCE_UNSPECIFIED} and unknown
   * sources are ignored.
   *
   * @throws IllegalArgumentException if a column's scores or ranks are not as many as its
   *     candidates, or one of its candidates is not an index into {@code columns.items}
   */
  static float[] sourceTable(CandidateColumns columns) {
    int candidates = columns.getItemsCount();
    float[] table = new float[candidates * SOURCE_BLOCK];
    for (int j = 0, sources = columns.getSourcesCount(); j < sources; j++) {
      SourceColumn column = columns.getSources(j);
      int entries = column.getCandidatesCount();
      if (column.getScoresCount() != entries || column.getRanksCount() != entries) {
        throw new IllegalArgumentException(
            "columns.sources[%d]: %d candidates, %d scores, %d ranks (expected: as many of each)"
                .formatted(j, entries, column.getScoresCount(), column.getRanksCount()));
      }
      int slot = slot(column.getSourceValue());
      for (int e = 0; e < entries; e++) {
        int candidate = column.getCandidates(e);
        if (candidate < 0 || candidate >= candidates) {
          throw new IllegalArgumentException(
              "columns.sources[%d].candidates[%d]: %d (expected: 0..%d, an index into columns.items)"
                  .formatted(j, e, candidate, candidates - 1));
        }
        int row = candidate * SOURCE_BLOCK;
        if (slot >= 0 && writeHit(table, row, slot, column.getScores(e), column.getRanks(e))) {
          table[row + SOURCE_BLOCK - 1] += 1f;
        }
      }
    }
    return table;
  }

  /** The user's and the item's part of the features: {@code out[0 .. FIRST_SOURCE)}. */
  private static void writeUserAndItem(RequestUser user, StaticItem item, float[] out) {
    Arrays.fill(out, 0, FIRST_SOURCE, 0f);
    boolean itemKnown = item.known;
    boolean userKnown = user.known;
    if (itemKnown) {
      out[ITEM_POPULARITY] = item.popularity;
      out[ITEM_SHRUNK_RATING] = (float) item.shrunkRating;
      out[ITEM_LOG_INTERACTIONS] = item.log1pInteractions;
      out[ITEM_KNOWN] = 1f;
    }
    if (userKnown) {
      out[USER_LOG_INTERACTIONS] = user.log1pInteractions;
      out[USER_MEAN_RATING] = (float) user.meanRating;
      out[USER_KNOWN] = 1f;
    }
    if (itemKnown && userKnown) {
      int[] genres = item.genres;
      if (genres.length > 0) {
        float[] affinities = user.affinityByGenre;
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int genre : genres) {
          // A genre the user's map lacks reads 0, as getGenreAffinityOrDefault(genre, 0) does.
          double affinity = affinities[genre];
          sum += affinity;
          max = Math.max(max, affinity);
        }
        out[GENRE_AFFINITY_SUM] = clamp(sum);
        out[GENRE_AFFINITY_MAX] = clamp(max);
      }
      out[YEAR_DISTANCE] = yearDistance(item.year, user.meanItemYear);
      out[RATING_GAP] = clamp(item.shrunkRating - user.meanRating);
    }
  }

  /**
   * The user-only parts of the features of one request, with the user's genre affinities by the
   * genre numbers of one bundle version ({@link StaticItem#genres}): resolved once per request
   * instead of once per candidate and genre. Immutable once built.
   */
  static final class RequestUser {
    private final boolean known;
    private final float log1pInteractions;
    private final double meanRating;
    private final float meanItemYear;
    /** Indexed by genre number; {@code finite(affinity)}, 0 for a genre the user's map lacks. */
    private final float[] affinityByGenre;

    /**
     * @param genreNumbers the genre numbers of the bundle version, {@code 0 .. genreCount)}
     */
    RequestUser(UserFeatures user, Map<String, Integer> genreNumbers, int genreCount) {
      this.known = user.getKnown();
      this.log1pInteractions = log1pCount(user.getInteractionCount());
      this.meanRating = finite(user.getMeanRating());
      this.meanItemYear = finite(user.getMeanItemYear());
      this.affinityByGenre = new float[genreCount];
      if (known) {
        // The user's few entries, not the bundle's genres: the cost does not grow with the catalogue.
        for (Map.Entry<String, Float> entry : user.getGenreAffinityMap().entrySet()) {
          Integer genre = genreNumbers.get(entry.getKey());
          if (genre != null) {
            affinityByGenre[genre] = finite(entry.getValue());
          }
        }
      }
    }
  }

  /**
   * The user-independent features of one bundle item, computed once when the bundle version loads
   * exactly as {@link #extract} computes them from the item's message. Immutable.
   */
  static final class StaticItem {
    /** An item the bundle does not know: its message's {@code known} is false. */
    static final StaticItem UNKNOWN = new StaticItem(false, 0f, 0, 0f, 0, new int[0]);

    private final boolean known;
    private final float popularity;
    private final double shrunkRating;
    private final float log1pInteractions;
    private final int year;
    /** The item's genres, in message order (repeats kept), as the bundle version's numbers. */
    private final int[] genres;

    private StaticItem(
        boolean known, float popularity, double shrunkRating, float log1pInteractions, int year, int[] genres) {
      this.known = known;
      this.popularity = popularity;
      this.shrunkRating = shrunkRating;
      this.log1pInteractions = log1pInteractions;
      this.year = year;
      this.genres = genres;
    }

    /**
     * The parts of {@code item}; {@code genreNumber} gives each genre string its number in the
     * bundle version.
     */
    static StaticItem of(ItemFeatures item, ToIntFunction<String> genreNumber) {
      if (!item.getKnown()) {
        return UNKNOWN;
      }
      int[] genres = new int[item.getGenresCount()];
      for (int i = 0; i < genres.length; i++) {
        genres[i] = genreNumber.applyAsInt(item.getGenres(i));
      }
      return new StaticItem(
          true,
          finite(item.getPopularity()),
          finite(item.getShrunkRating()),
          log1pCount(item.getInteractionCount()),
          item.getYear(),
          genres);
    }
  }

  private static void writeGenreAffinity(
      UserFeatures user, ItemFeatures item, float[] out, int offset) {
    int genres = item.getGenresCount();
    if (genres == 0) {
      return;
    }
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < genres; i++) {
      double affinity = finite(user.getGenreAffinityOrDefault(item.getGenres(i), 0f));
      sum += affinity;
      max = Math.max(max, affinity);
    }
    out[offset + GENRE_AFFINITY_SUM] = clamp(sum);
    out[offset + GENRE_AFFINITY_MAX] = clamp(max);
  }

  private static void writeSources(List<SourceScore> sources, float[] out, int offset) {
    int count = 0;
    for (int i = 0, n = sources.size(); i < n; i++) {
      SourceScore source = sources.get(i);
      int slot = slot(source.getSourceValue());
      if (slot >= 0 && writeHit(out, offset + FIRST_SOURCE, slot, source.getScore(), source.getRank())) {
        count++;
      }
    }
    out[offset + SOURCE_COUNT] = count;
  }

  /**
   * Writes one source's hit (present, score, reciprocal rank) at {@code slot} of the sources' part
   * that starts at {@code block}, unless that slot holds one already: the first entry of a source
   * wins.
   *
   * @return whether the hit was written
   */
  private static boolean writeHit(float[] out, int block, int slot, float score, int rank) {
    int base = block + PER_SOURCE * slot;
    if (out[base] != 0f) {
      return false;
    }
    out[base] = 1f;
    out[base + 1] = finite(score);
    out[base + 2] = (float) (1.0 / (1.0 + Math.max(0, rank)));
    return true;
  }

  /** The slot of a {@link RecallSource} number in {@link #SOURCES}, or -1 for one without features. */
  private static int slot(int number) {
    return number >= 0 && number < SLOT_BY_SOURCE_NUMBER.length ? SLOT_BY_SOURCE_NUMBER[number] : -1;
  }

  /** ln(1 + count), negative counts as 0. */
  private static float log1pCount(int count) {
    return (float) Math.log1p(Math.max(0, count));
  }

  /** |item year − user's mean item year| in decades; 0 when either is unknown (not positive). */
  private static float yearDistance(int itemYear, float userYear) {
    if (itemYear > 0 && userYear > 0) {
      return clamp(Math.abs(itemYear - (double) userYear) / 10.0);
    }
    return 0f;
  }

  /** Non-finite values count as missing. */
  private static float finite(float value) {
    return Float.isFinite(value) ? value : 0f;
  }

  /** A finite double (from finite inputs) as a finite float. */
  private static float clamp(double value) {
    if (Double.isNaN(value)) {
      return 0f;
    }
    return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, value));
  }

  private static List<String> buildNames() {
    List<String> names = new ArrayList<>(SIZE);
    names.add("item.popularity");
    names.add("item.shrunk_rating");
    names.add("item.log1p_interactions");
    names.add("item.known");
    names.add("user.log1p_interactions");
    names.add("user.mean_rating");
    names.add("user.known");
    names.add("cross.genre_affinity_sum");
    names.add("cross.genre_affinity_max");
    names.add("cross.year_distance");
    names.add("cross.rating_gap");
    for (RecallSource source : SOURCES) {
      String prefix =
          "source." + source.name().substring("RECALL_SOURCE_".length()).toLowerCase(Locale.ROOT);
      names.add(prefix + ".present");
      names.add(prefix + ".score");
      names.add(prefix + ".reciprocal_rank");
    }
    names.add("source.count");
    if (names.size() != SIZE) {
      throw new AssertionError("feature names: " + names.size() + " (expected: " + SIZE + ")");
    }
    return List.copyOf(names);
  }

  private static int[] buildSlots() {
    int max = 0;
    for (RecallSource source : SOURCES) {
      max = Math.max(max, source.getNumber());
    }
    int[] slots = new int[max + 1];
    Arrays.fill(slots, -1);
    for (int slot = 0; slot < SOURCES.size(); slot++) {
      slots[SOURCES.get(slot).getNumber()] = slot;
    }
    return slots;
  }
}
