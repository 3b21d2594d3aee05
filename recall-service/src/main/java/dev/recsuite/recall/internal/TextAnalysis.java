package dev.recsuite.recall.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Runs text through the index analyzer, as the index did, to get the terms it would match. */
public final class TextAnalysis {

  private TextAnalysis() {}

  /**
   * Passes each token of {@code text}, as analysed for {@code field}, to {@code sink}; stop words
   * and punctuation yield nothing.
   */
  public static void forEachTerm(
      Analyzer analyzer, String field, String text, Consumer<String> sink) {
    try (TokenStream tokens = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        sink.accept(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      // Analysis reads from a String; an IOException here is a bug in the analysis chain.
      throw new UncheckedIOException("analysis of field " + field + " failed", e);
    }
  }
}
