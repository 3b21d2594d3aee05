package dev.recsuite.evaluation.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.recsuite.evaluation.Agreement;
import dev.recsuite.evaluation.Anchor;
import dev.recsuite.evaluation.Estimate;
import dev.recsuite.evaluation.EvaluationReport;
import dev.recsuite.evaluation.MethodResult;
import dev.recsuite.evaluation.ProtocolResult;
import dev.recsuite.evaluation.RecallStageResult;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.Map;

/** Renders an {@link EvaluationReport} as JSON: every figure, the bundle manifest and the command. */
public final class ReportJson {

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private ReportJson() {}

  public static String render(EvaluationReport report) {
    JsonObject root = new JsonObject();
    JsonArray command = new JsonArray();
    report.commandLine().forEach(command::add);
    root.add("command_line", command);
    root.addProperty("started_at", report.started().toString());
    root.addProperty("seconds", report.seconds());
    JsonObject machine = new JsonObject();
    machine.addProperty("processors", Runtime.getRuntime().availableProcessors());
    machine.addProperty("java", Runtime.version().toString());
    machine.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    root.add("machine", machine);
    JsonObject settings = new JsonObject();
    report.settings().forEach(settings::addProperty);
    root.add("settings", settings);
    try {
      root.add("bundle_manifest", JsonParser.parseString(JsonFormat.printer().print(report.manifest())));
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(new IOException("cannot print the bundle manifest as JSON", e));
    }
    JsonArray protocols = new JsonArray();
    for (ProtocolResult result : report.protocols()) {
      protocols.add(protocol(result));
    }
    root.add("protocols", protocols);
    JsonArray anchors = new JsonArray();
    for (Anchor anchor : report.anchors()) {
      JsonObject a = new JsonObject();
      a.addProperty("dataset", anchor.dataset());
      a.addProperty("method", anchor.method());
      a.addProperty("hr@10", anchor.hr10());
      a.addProperty("ndcg@10", anchor.ndcg10());
      a.addProperty("source", anchor.source());
      a.addProperty("approximate", anchor.approximate());
      anchors.add(a);
    }
    root.add("anchors", anchors);
    root.addProperty("healthy", report.healthy());
    return GSON.toJson(root) + "\n";
  }

  private static JsonObject protocol(ProtocolResult result) {
    JsonObject p = new JsonObject();
    p.addProperty("protocol", result.protocol().id());
    p.addProperty("description", result.protocol().description());
    p.addProperty("users", result.users());
    p.addProperty("skipped_users", result.skipped());
    p.addProperty("negatives", result.negatives());
    p.addProperty("list_length", result.listLength());
    JsonArray methods = new JsonArray();
    for (MethodResult method : result.methods()) {
      JsonObject m = new JsonObject();
      m.addProperty("name", method.name());
      m.addProperty("description", method.description());
      m.addProperty("ok", method.ok());
      if (!method.ok()) {
        m.addProperty("failure", method.failure());
      } else {
        m.addProperty("users", method.users());
        JsonObject metrics = new JsonObject();
        for (Map.Entry<String, Estimate> metric : method.metrics().entrySet()) {
          metrics.add(metric.getKey(), estimate(metric.getValue()));
        }
        m.add("metrics", metrics);
        m.addProperty("coverage@10", method.coverage());
        m.addProperty("novelty@10", method.novelty());
      }
      m.addProperty("seconds", method.seconds());
      methods.add(m);
    }
    p.add("methods", methods);
    JsonArray stages = new JsonArray();
    for (RecallStageResult stage : result.recallStages()) {
      JsonObject s = new JsonObject();
      s.addProperty("path", stage.path());
      s.addProperty("probe_candidates", stage.probeCandidates());
      s.addProperty("ok", stage.ok());
      if (!stage.ok()) {
        s.addProperty("failure", stage.failure());
      }
      JsonObject merged = new JsonObject();
      stage.merged().forEach((n, e) -> merged.add("recall@" + n, estimate(e)));
      s.add("merged", merged);
      JsonObject sources = new JsonObject();
      stage.perSource().forEach((name, e) -> {
        JsonObject source = estimate(e);
        source.addProperty("mean_candidates", stage.meanSourceCandidates().get(name));
        sources.add(name, source);
      });
      s.add("per_source", sources);
      stages.add(s);
    }
    p.add("recall_stage", stages);
    JsonObject lead = new JsonObject();
    result.ndcg10Lead().forEach((name, e) -> lead.add(name, estimate(e)));
    p.add("pipeline_ndcg@10_lead", lead);
    if (result.pipelineAgreement() != null) {
      p.add("pipeline_agreement", agreement(result.pipelineAgreement()));
    }
    if (result.recallAgreement() != null) {
      p.add("recall_agreement", agreement(result.recallAgreement()));
    }
    return p;
  }

  private static JsonObject estimate(Estimate estimate) {
    JsonObject e = new JsonObject();
    e.addProperty("mean", estimate.mean());
    JsonArray ci = new JsonArray();
    ci.add(estimate.lower());
    ci.add(estimate.upper());
    e.add("ci95", ci);
    e.addProperty("stderr", estimate.standardError());
    return e;
  }

  private static JsonObject agreement(Agreement agreement) {
    JsonObject a = new JsonObject();
    a.addProperty("left", agreement.left());
    a.addProperty("right", agreement.right());
    a.addProperty("users", agreement.users());
    a.addProperty("identical", agreement.identical());
    a.addProperty("max_relative_score_difference", agreement.maxScoreDifference());
    a.addProperty("agrees", agreement.agrees());
    JsonArray examples = new JsonArray();
    agreement.examples().forEach(examples::add);
    a.add("examples", examples);
    return a;
  }
}
