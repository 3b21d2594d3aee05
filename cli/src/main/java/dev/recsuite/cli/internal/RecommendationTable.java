package dev.recsuite.cli.internal;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders a {@link RecommendResponse} as a plain-text table for the terminal. */
public final class RecommendationTable {

  private RecommendationTable() {}

  public static String render(String userId, RecommendResponse response) {
    StringBuilder out = new StringBuilder();
    out.append(
        "Top %d for user %s (model %s, request %s)%s%n"
            .formatted(
                response.getItemsCount(),
                userId,
                response.getModelVersion(),
                response.getRequestId(),
                response.getDegraded()
                    ? " DEGRADED: "
                        + response.getDegradedReasonsList().stream()
                            .map(RecommendationTable::reason)
                            .collect(Collectors.joining(", "))
                    : ""));
    out.append(String.format(Locale.ROOT, "%3s  %-8s  %-48s  %7s  %s%n", "#", "item", "title", "score", "sources"));
    int rank = 1;
    for (RecommendedItem item : response.getItemsList()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%3d  %-8s  %-48s  %7.3f  %s%n",
              rank++,
              abbreviate(item.getItemId(), 8),
              abbreviate(item.getTitle(), 48),
              item.getScore(),
              item.getSourcesList().stream()
                  .map(RecommendationTable::source)
                  .collect(Collectors.joining(" "))));
    }
    return out.toString();
  }

  private static String source(SourceScore score) {
    return sourceName(score.getSource()) + "#" + (score.getRank() + 1);
  }

  private static String sourceName(RecallSource source) {
    return switch (source) {
      case RECALL_SOURCE_COLLABORATIVE -> "cf";
      case RECALL_SOURCE_CONTENT -> "content";
      case RECALL_SOURCE_QUERY -> "query";
      case RECALL_SOURCE_POPULAR -> "popular";
      case RECALL_SOURCE_CO_OCCURRENCE -> "co-occurrence";
      case RECALL_SOURCE_UNSPECIFIED, UNRECOGNIZED -> "unknown";
    };
  }

  private static String reason(DegradedReason reason) {
    return reason.name().replace("DEGRADED_REASON_", "").toLowerCase(Locale.ROOT);
  }

  private static String abbreviate(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
