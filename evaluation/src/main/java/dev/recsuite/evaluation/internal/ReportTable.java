package dev.recsuite.evaluation.internal;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.evaluation.Agreement;
import dev.recsuite.evaluation.Anchor;
import dev.recsuite.evaluation.Estimate;
import dev.recsuite.evaluation.EvaluationReport;
import dev.recsuite.evaluation.MethodResult;
import dev.recsuite.evaluation.Protocol;
import dev.recsuite.evaluation.ProtocolResult;
import dev.recsuite.evaluation.RecallStageResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link EvaluationReport} as the terminal table. */
public final class ReportTable {

  private static final List<String> HEADLINE =
      List.of("hr@1", "hr@5", "hr@10", "hr@20", "ndcg@5", "ndcg@10");

  private ReportTable() {}

  public static String render(EvaluationReport report) {
    StringBuilder out = new StringBuilder();
    BundleManifest manifest = report.manifest();
    out.append(
        String.format(
            Locale.ROOT,
            "Bundle %s (%s, %s): %d users, %d items, %d training interactions; split %s, %d held out%n",
            manifest.getVersion(),
            manifest.getDataSource().getFormat(),
            manifest.getDataSource().getLocation(),
            manifest.getCounts().getUsers(),
            manifest.getCounts().getItems(),
            manifest.getCounts().getInteractions(),
            manifest.getSplit().getStrategy(),
            manifest.getSplit().getHoldoutInteractions()));
    for (ProtocolResult result : report.protocols()) {
      out.append('\n');
      renderProtocol(out, result);
      if (result.protocol() == Protocol.SAMPLED && !report.anchors().isEmpty()) {
        out.append("Published anchors (sampled protocol; comparable only on the same data):\n");
        for (Anchor anchor : report.anchors()) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "  %-24s %-13s HR@10 %s%.3f  NDCG@10 %s%.3f   %s%n",
                  anchor.method(),
                  anchor.dataset(),
                  anchor.approximate() ? "~" : " ",
                  anchor.hr10(),
                  anchor.approximate() ? "~" : " ",
                  anchor.ndcg10(),
                  anchor.source()));
        }
      }
    }
    out.append(String.format(Locale.ROOT, "%nTotal %.1f s.%n", report.seconds()));
    return out.toString();
  }

  private static void renderProtocol(StringBuilder out, ProtocolResult result) {
    boolean full = result.protocol() == Protocol.FULL_RANKING;
    out.append(
        full
            ? String.format(
                Locale.ROOT,
                "Leave-last-out, full ranking: %d users; lists of %d from the whole catalogue minus each user's training history%n",
                result.users(), result.listLength())
            : String.format(
                Locale.ROOT,
                "Sampled: %d users; the held-out item and %s, all %d ranked%n",
                result.users(), result.negatives(), result.listLength()));
    if (result.skipped() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "  (%d users left out: their held-out item is also in their training history)%n",
              result.skipped()));
    }
    String mrr = full ? "MRR@" + result.listLength() : "MRR";
    out.append(
        String.format(
            Locale.ROOT,
            "%-22s %6s %6s %6s %6s %7s %7s %-16s %7s %7s %6s %6s %6s%n",
            "method", "HR@1", "HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "  (95% CI)", "NDCG@20", mrr,
            "cov@10", "nov@10", "sec"));
    for (MethodResult method : result.methods()) {
      if (!method.ok()) {
        out.append(String.format(Locale.ROOT, "%-22s FAILED: %s%n", method.name(), method.failure()));
        continue;
      }
      Map<String, Estimate> m = method.metrics();
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-22s", method.name()));
      for (String name : HEADLINE) {
        row.append(String.format(Locale.ROOT, " %" + (name.startsWith("ndcg") ? 7 : 6) + ".4f", m.get(name).mean()));
      }
      Estimate ndcg10 = m.get("ndcg@10");
      row.append(String.format(Locale.ROOT, " %-16s", String.format(Locale.ROOT, "[%.4f, %.4f]", ndcg10.lower(), ndcg10.upper())));
      row.append(String.format(Locale.ROOT, " %7.4f %7.4f %6.3f %6.2f %6.1f", m.get("ndcg@20").mean(), m.get("mrr").mean(),
          method.coverage(), method.novelty(), method.seconds()));
      out.append(row).append('\n');
    }
    if (!result.ndcg10Lead().isEmpty()) {
      StringBuilder lead = new StringBuilder("NDCG@10 lead of the pipeline over each baseline (paired bootstrap 95% CI):");
      for (Map.Entry<String, Estimate> entry : result.ndcg10Lead().entrySet()) {
        Estimate e = entry.getValue();
        lead.append(String.format(Locale.ROOT, "%n  %-14s %+.4f [%+.4f, %+.4f]", entry.getKey(), e.mean(), e.lower(), e.upper()));
      }
      out.append(lead).append('\n');
    }
    for (RecallStageResult stage : result.recallStages()) {
      renderRecall(out, stage);
    }
    renderAgreement(out, result.pipelineAgreement(), true);
    renderAgreement(out, result.recallAgreement(), false);
  }

  private static void renderAgreement(StringBuilder out, Agreement agreement, boolean scored) {
    if (agreement == null) {
      return;
    }
    out.append(
        String.format(
            Locale.ROOT,
            "Agreement %s vs %s: %d/%d users identical%s -> %s%n",
            agreement.left(),
            agreement.right(),
            agreement.identical(),
            agreement.users(),
            scored
                ? String.format(Locale.ROOT, ", max relative score difference %.2g", agreement.maxScoreDifference())
                : "",
            agreement.agrees() ? "OK" : "DISAGREE (a bug: both paths run the same bundle)"));
    for (String example : agreement.examples()) {
      out.append("  ").append(example).append('\n');
    }
  }

  private static void renderRecall(StringBuilder out, RecallStageResult stage) {
    if (!stage.ok()) {
      out.append(String.format(Locale.ROOT, "Recall stage (%s) FAILED: %s%n", stage.path(), stage.failure()));
      return;
    }
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "Recall stage, %-26s", stage.path() + ":"));
    StringBuilder row = new StringBuilder(" ".repeat(14 + 26));
    for (Map.Entry<Integer, Estimate> merged : stage.merged().entrySet()) {
      header.append(String.format(Locale.ROOT, " %11s", "merged@" + merged.getKey()));
      row.append(String.format(Locale.ROOT, " %11.4f", merged.getValue().mean()));
    }
    for (Map.Entry<String, Estimate> source : stage.perSource().entrySet()) {
      String cell = String.format(
          Locale.ROOT, "%.4f (%.0f)", source.getValue().mean(), stage.meanSourceCandidates().get(source.getKey()));
      int width = Math.max(source.getKey().length(), cell.length());
      header.append(String.format(Locale.ROOT, " %" + width + "s", source.getKey()));
      row.append(String.format(Locale.ROOT, " %" + width + "s", cell));
    }
    out.append(header).append('\n').append(row).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "  (merged@N: held-out item among the first N of %d merged candidates; per source: in that"
                + " source's own list, mean list length in brackets)%n",
            stage.probeCandidates()));
  }
}
