package dev.recsuite.recall;

import dev.recsuite.common.v1.RecallSource;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Merged candidates as parallel arrays (dense item id, external id, fused score, and each source's
 * rank and score), read as a list of {@link RecallCandidate}s made on demand. The service writes
 * its answer from the arrays ({@link #item}, {@link #rank}, {@link #score}), so a 500-candidate
 * answer builds no object per candidate or hit. Immutable.
 */
public final class CandidateTable extends AbstractList<RecallCandidate> implements RandomAccess {

  /**
   * The sources, in {@code RecallSource} number order: a candidate's hits are listed so, and the
   * engine numbers its source lists so. Not to be modified.
   */
  static final RecallSource[] SOURCES = {
    RecallSource.RECALL_SOURCE_COLLABORATIVE,
    RecallSource.RECALL_SOURCE_CONTENT,
    RecallSource.RECALL_SOURCE_QUERY,
    RecallSource.RECALL_SOURCE_POPULAR,
    RecallSource.RECALL_SOURCE_CO_OCCURRENCE
  };
  private static final CandidateTable EMPTY = new Builder(0).build();

  private final int size;
  private final int[] items;
  private final String[] ids;
  private final double[] fused;
  /** {@code ranks[c * SOURCES.length + s]}: candidate {@code c}'s rank in source {@code s}, or -1. */
  private final int[] ranks;
  private final float[] scores;

  private CandidateTable(Builder builder) {
    this.size = builder.size;
    this.items = builder.items;
    this.ids = builder.ids;
    this.fused = builder.fused;
    this.ranks = builder.ranks;
    this.scores = builder.scores;
  }

  /** The table of no candidate. */
  public static CandidateTable empty() {
    return EMPTY;
  }

  /**
   * The table of {@code candidates}, in order.
   *
   * @throws IllegalArgumentException if a candidate lists a source twice or a source that is not
   *     one of the five recall sources
   */
  public static CandidateTable copyOf(List<RecallCandidate> candidates) {
    if (candidates instanceof CandidateTable table) {
      return table;
    }
    Builder builder = new Builder(candidates.size());
    for (RecallCandidate candidate : candidates) {
      int c = builder.add(candidate.item(), candidate.itemId(), candidate.fusedScore());
      for (SourceHit hit : candidate.sources()) {
        int s = Arrays.asList(SOURCES).indexOf(hit.source());
        if (s < 0 || builder.ranks[c * SOURCES.length + s] >= 0) {
          throw new IllegalArgumentException(
              "candidate %s: source %s (expected: each of %s at most once)"
                  .formatted(candidate.itemId(), hit.source(), Arrays.toString(SOURCES)));
        }
        builder.hit(c, s, hit.rank(), hit.score());
      }
    }
    return builder.build();
  }

  /** A table of at most {@code capacity} candidates, filled in order. */
  static Builder builder(int capacity) {
    return new Builder(capacity);
  }

  /** The number of sources a candidate may have hits from: indexes of {@link #source}. */
  public static int sourceCount() {
    return SOURCES.length;
  }

  /** Source number {@code s}, {@code 0 <= s < sourceCount()}, in {@code RecallSource} order. */
  public static RecallSource source(int s) {
    return SOURCES[s];
  }

  @Override
  public int size() {
    return size;
  }

  /** Candidate {@code c}'s dense item id. */
  public int item(int c) {
    Objects.checkIndex(c, size);
    return items[c];
  }

  /** Candidate {@code c}'s external id. */
  public String itemId(int c) {
    Objects.checkIndex(c, size);
    return ids[c];
  }

  /** Candidate {@code c}'s 0-based rank in source {@code s}'s list, or -1 when it did not propose it. */
  public int rank(int c, int s) {
    Objects.checkIndex(c, size);
    return ranks[c * SOURCES.length + Objects.checkIndex(s, SOURCES.length)];
  }

  /** Source {@code s}'s score of candidate {@code c}; meaningful only when {@link #rank} is not -1. */
  public float score(int c, int s) {
    Objects.checkIndex(c, size);
    return scores[c * SOURCES.length + Objects.checkIndex(s, SOURCES.length)];
  }

  /** Candidate {@code c} as a record (made on each call). */
  @Override
  public RecallCandidate get(int c) {
    Objects.checkIndex(c, size);
    List<SourceHit> hits = new ArrayList<>(2);
    for (int s = 0; s < SOURCES.length; s++) {
      int rank = ranks[c * SOURCES.length + s];
      if (rank >= 0) {
        hits.add(new SourceHit(SOURCES[s], scores[c * SOURCES.length + s], rank));
      }
    }
    return new RecallCandidate(items[c], ids[c], fused[c], hits);
  }

  /** Fills a table in candidate order; not thread-safe, built once. */
  static final class Builder {
    private int size;
    private final int[] items;
    private final String[] ids;
    private final double[] fused;
    private final int[] ranks;
    private final float[] scores;

    private Builder(int capacity) {
      items = new int[capacity];
      ids = new String[capacity];
      fused = new double[capacity];
      ranks = new int[capacity * SOURCES.length];
      Arrays.fill(ranks, -1);
      scores = new float[capacity * SOURCES.length];
    }

    /**
     * Appends a candidate without hits.
     *
     * @return its index
     * @throws IndexOutOfBoundsException beyond the capacity
     */
    int add(int item, String itemId, double fusedScore) {
      Objects.checkIndex(size, items.length);
      items[size] = item;
      ids[size] = Objects.requireNonNull(itemId, "itemId");
      fused[size] = fusedScore;
      return size++;
    }

    /** Records that source {@code s} proposed candidate {@code c} at {@code rank} with {@code score}. */
    void hit(int c, int s, int rank, float score) {
      Objects.checkIndex(c, size);
      ranks[c * SOURCES.length + s] = rank;
      scores[c * SOURCES.length + s] = score;
    }

    CandidateTable build() {
      return new CandidateTable(this);
    }
  }
}
