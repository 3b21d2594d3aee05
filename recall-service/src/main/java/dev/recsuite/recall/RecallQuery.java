package dev.recsuite.recall;

import java.util.List;
import java.util.Objects;

/**
 * A recall request in engine terms. Build one with {@link #forUser(String, int)} and the {@code
 * with...} methods.
 *
 * @param userId external user id; users without training history are normal
 * @param maxCandidates the most merged candidates to return, {@code > 0}
 * @param text free text for the QUERY source; empty for none
 * @param recentItemIds items the user consumed recently, most recent first (ids the catalogue does
 *     not know are ignored); they seed CONTENT and the collaborative fold-in and are never returned
 * @param excludedItemIds items never to return (unknown ids are ignored)
 * @param includeGenres when not empty, a candidate must carry one of these genres (case-insensitive)
 * @param excludeGenres a candidate carrying any of these genres is dropped (case-insensitive)
 * @param candidateItemIds when not empty, the answer holds only these items (unknown ids are
 *     ignored, repeated ids count once): every source still runs with its usual quota, then the
 *     requested items some source proposed come first, in merge order with their source hits,
 *     followed by the admissible others without sources, in this list's order. Seen, recent,
 *     excluded and filtered-out items are dropped as always; {@code maxCandidates} still caps.
 * @param dislikedItemIds items the user disliked, most recent first (unknown ids are ignored): never
 *     returned, and candidates similar to them are pushed down in the merge (see {@link
 *     RecallSettings#dislikePenalty()})
 */
public record RecallQuery(
    String userId,
    int maxCandidates,
    String text,
    List<String> recentItemIds,
    List<String> excludedItemIds,
    List<String> includeGenres,
    List<String> excludeGenres,
    List<String> candidateItemIds,
    List<String> dislikedItemIds) {

  /**
   * Validates and copies the values.
   *
   * @throws NullPointerException if a value or list element is null
   * @throws IllegalArgumentException if {@code maxCandidates <= 0} or a genre is blank
   */
  public RecallQuery {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(text, "text");
    if (maxCandidates <= 0) {
      throw new IllegalArgumentException("maxCandidates: " + maxCandidates + " (expected: > 0)");
    }
    recentItemIds = List.copyOf(recentItemIds);
    excludedItemIds = List.copyOf(excludedItemIds);
    includeGenres = requireNonBlank("includeGenres", includeGenres);
    excludeGenres = requireNonBlank("excludeGenres", excludeGenres);
    candidateItemIds = List.copyOf(candidateItemIds);
    dislikedItemIds = List.copyOf(dislikedItemIds);
  }

  /**
   * A query without disliked items.
   *
   * @throws NullPointerException if a value or list element is null
   * @throws IllegalArgumentException if {@code maxCandidates <= 0} or a genre is blank
   */
  public RecallQuery(
      String userId,
      int maxCandidates,
      String text,
      List<String> recentItemIds,
      List<String> excludedItemIds,
      List<String> includeGenres,
      List<String> excludeGenres,
      List<String> candidateItemIds) {
    this(
        userId,
        maxCandidates,
        text,
        recentItemIds,
        excludedItemIds,
        includeGenres,
        excludeGenres,
        candidateItemIds,
        List.of());
  }

  private static List<String> requireNonBlank(String name, List<String> genres) {
    List<String> copy = List.copyOf(genres);
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i).isBlank()) {
        throw new IllegalArgumentException(name + "[" + i + "]: blank (expected: a genre name)");
      }
    }
    return copy;
  }

  /**
   * A query for {@code userId} without text, recent items, exclusions, filters, candidate
   * restriction or disliked items.
   *
   * @throws IllegalArgumentException if {@code maxCandidates <= 0}
   */
  public static RecallQuery forUser(String userId, int maxCandidates) {
    return new RecallQuery(
        userId, maxCandidates, "", List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** This query with free text for the QUERY source. */
  public RecallQuery withText(String newText) {
    return new RecallQuery(
        userId,
        maxCandidates,
        newText,
        recentItemIds,
        excludedItemIds,
        includeGenres,
        excludeGenres,
        candidateItemIds,
        dislikedItemIds);
  }

  /** This query with recent items, most recent first. */
  public RecallQuery withRecentItemIds(List<String> ids) {
    return new RecallQuery(
        userId, maxCandidates, text, ids, excludedItemIds, includeGenres, excludeGenres, candidateItemIds,
        dislikedItemIds);
  }

  /** This query with items never to return. */
  public RecallQuery withExcludedItemIds(List<String> ids) {
    return new RecallQuery(
        userId, maxCandidates, text, recentItemIds, ids, includeGenres, excludeGenres, candidateItemIds,
        dislikedItemIds);
  }

  /**
   * This query with genre filters.
   *
   * @throws IllegalArgumentException if a genre is blank
   */
  public RecallQuery withGenres(List<String> include, List<String> exclude) {
    return new RecallQuery(
        userId, maxCandidates, text, recentItemIds, excludedItemIds, include, exclude, candidateItemIds,
        dislikedItemIds);
  }

  /**
   * This query restricted to {@code ids}; an empty list lifts the restriction. See {@link
   * #candidateItemIds()}.
   */
  public RecallQuery withCandidateItemIds(List<String> ids) {
    return new RecallQuery(
        userId, maxCandidates, text, recentItemIds, excludedItemIds, includeGenres, excludeGenres, ids,
        dislikedItemIds);
  }

  /** This query with disliked items, most recent first. */
  public RecallQuery withDislikedItemIds(List<String> ids) {
    return new RecallQuery(
        userId, maxCandidates, text, recentItemIds, excludedItemIds, includeGenres, excludeGenres,
        candidateItemIds, ids);
  }

  /** Whether the answer is restricted to {@link #candidateItemIds()}. */
  public boolean restricted() {
    return !candidateItemIds.isEmpty();
  }
}
