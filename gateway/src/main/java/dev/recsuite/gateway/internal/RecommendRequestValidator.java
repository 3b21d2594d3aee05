package dev.recsuite.gateway.internal;

import static dev.recsuite.grpc.RequestValidation.requireId;
import static dev.recsuite.grpc.RequestValidation.requireIds;
import static dev.recsuite.grpc.RequestValidation.requireInRange;
import static dev.recsuite.grpc.RequestValidation.requireMapLimits;
import static dev.recsuite.grpc.RequestValidation.requireMaxLength;

import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.grpc.InvalidArgumentException;
import java.util.List;

/** Checks a {@link RecommendRequest} against the limits documented in the proto. */
public final class RecommendRequestValidator {

  /** Longest free-text query. */
  public static final int MAX_QUERY_LENGTH = 512;
  /** Most excluded item ids. */
  public static final int MAX_EXCLUDED_ITEMS = 1_000;
  /** Most candidate item ids. */
  public static final int MAX_CANDIDATE_ITEMS = 1_000;
  /** Most genres per filter list. */
  public static final int MAX_FILTER_GENRES = 64;
  /** Most context entries. */
  public static final int MAX_CONTEXT_ENTRIES = 32;
  /** Longest context key. */
  public static final int MAX_CONTEXT_KEY_LENGTH = 64;
  /** Longest context value. */
  public static final int MAX_CONTEXT_VALUE_LENGTH = 256;

  private final int maxK;

  public RecommendRequestValidator(int maxK) {
    this.maxK = maxK;
  }

  /**
   * @throws InvalidArgumentException naming the first invalid field
   */
  public void validate(RecommendRequest request) {
    requireId("user_id", request.getUserId());
    requireInRange("k", request.getK(), 1, maxK);
    requireMaxLength("query", request.getQuery(), MAX_QUERY_LENGTH);
    requireIds("exclude_item_ids", request.getExcludeItemIdsList(), MAX_EXCLUDED_ITEMS);
    requireIds("candidate_item_ids", request.getCandidateItemIdsList(), MAX_CANDIDATE_ITEMS);
    requireGenres("filter.include_genres", request.getFilter().getIncludeGenresList());
    requireGenres("filter.exclude_genres", request.getFilter().getExcludeGenresList());
    requireMapLimits(
        "context",
        request.getContextMap(),
        MAX_CONTEXT_ENTRIES,
        MAX_CONTEXT_KEY_LENGTH,
        MAX_CONTEXT_VALUE_LENGTH);
  }

  private static void requireGenres(String field, List<String> genres) {
    requireIds(field, genres, MAX_FILTER_GENRES);
  }
}
