package dev.recsuite.recall.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * The two BM25 sources over the item text fields (title, genres, tags):
 *
 * <ul>
 *   <li>CONTENT: a query made of the terms of the user's most recent items, each term weighted by
 *       the recency of the items it comes from ({@code 1 / (1 + position)}, position 0 being the
 *       most recent), keeping the {@value #MAX_CONTENT_TERMS} heaviest terms;
 *   <li>QUERY: the request's free text, analysed like the index (so Lucene query syntax has no
 *       meaning and a text of stop words or punctuation yields no terms and no candidates), each
 *       of the first {@value #MAX_QUERY_TERMS} distinct terms searched in every text field.
 * </ul>
 *
 * Rejected items are skipped while collecting, so each source returns its exact top quota.
 */
public final class TextSources {

  /** The most terms of a content query, to bound its cost. */
  public static final int MAX_CONTENT_TERMS = 64;
  /** The most distinct terms of a free-text query that are searched. */
  public static final int MAX_QUERY_TERMS = 32;

  /**
   * Indexes of at most this many items score every matching item instead of pruning: the same
   * candidates and scores (all 943 MovieLens 100K users), for less CPU on MovieLens 100K's 1,682
   * items and on a 10,000-item synthetic catalogue; larger catalogues keep Lucene's dynamic
   * pruning, untested beyond. Figures: {@code RecallEngineBenchmark} (docs/BENCHMARKS.md).
   */
  public static final int EXHAUSTIVE_SCORING_MAX_ITEMS = 20_000;

  private final ItemIndex index;
  private final CatalogView catalog;
  private final Analyzer analyzer;
  private final boolean exhaustive;
  /**
   * The term dictionary lookups of CONTENT terms (a seek per term and query: 13 % of recall's
   * profile samples on MovieLens 100K), kept for the index's life: the index never changes, and
   * CONTENT terms come from the catalogue only, so the map is bounded by its vocabulary. Only for
   * catalogues of at most {@link #EXHAUSTIVE_SCORING_MAX_ITEMS} items, whose vocabulary is small.
   */
  private final Map<Term, TermStates> termStates = new ConcurrentHashMap<>();

  /** Sources over {@code index}, analysing text with the index's {@code analyzer}. */
  public TextSources(ItemIndex index, CatalogView catalog, Analyzer analyzer) {
    this.index = index;
    this.catalog = catalog;
    this.analyzer = analyzer;
    this.exhaustive = index.size() <= EXHAUSTIVE_SCORING_MAX_ITEMS;
  }

  /**
   * CONTENT candidates seeded by {@code recentItems[0..count)}, most recent first.
   *
   * @throws UncheckedIOException if the index cannot be read
   */
  public SourceList content(int[] recentItems, int count, int quota, CandidateFilter filter) {
    if (quota == 0 || count == 0) {
      return SourceList.empty();
    }
    Map<Term, Float> weights = new HashMap<>();
    for (int position = 0; position < count; position++) {
      int item = recentItems[position];
      float weight = 1f / (1 + position);
      for (int t = 0; t < catalog.termCount(item); t++) {
        weights.merge(catalog.term(item, t), weight, Float::sum);
      }
    }
    if (weights.isEmpty()) {
      return SourceList.empty();
    }
    List<Map.Entry<Term, Float>> heaviest = new ArrayList<>(weights.entrySet());
    heaviest.sort(
        (a, b) -> {
          int byWeight = Float.compare(b.getValue(), a.getValue());
          return byWeight != 0 ? byWeight : a.getKey().compareTo(b.getKey());
        });
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (Map.Entry<Term, Float> term : heaviest.subList(0, Math.min(MAX_CONTENT_TERMS, heaviest.size()))) {
      query.add(new BoostQuery(catalogueTermQuery(term.getKey()), term.getValue()), BooleanClause.Occur.SHOULD);
    }
    return search(query.build(), quota, filter);
  }

  /** A query of a catalogue term, its dictionary lookup done once per index on small catalogues. */
  private Query catalogueTermQuery(Term term) {
    if (!exhaustive) {
      return new TermQuery(term);
    }
    TermStates states = termStates.get(term);
    if (states == null) {
      try {
        states = TermStates.build(index.searcher(), term, true);
      } catch (IOException e) {
        throw new UncheckedIOException("term lookup failed: " + term, e);
      }
      termStates.putIfAbsent(term, states);
    }
    return new TermQuery(term, states);
  }

  /**
   * QUERY candidates for free text; empty when the text has no searchable term.
   *
   * @throws UncheckedIOException if the index cannot be read
   */
  public SourceList query(String text, int quota, CandidateFilter filter) {
    if (quota == 0 || text.isBlank()) {
      return SourceList.empty();
    }
    // The fields share one analyzer, so one pass over the text gives the terms of all of them.
    Set<String> tokens = new LinkedHashSet<>();
    TextAnalysis.forEachTerm(
        analyzer,
        ItemIndexSchema.TITLE,
        text,
        token -> {
          if (tokens.size() < MAX_QUERY_TERMS) {
            tokens.add(token);
          }
        });
    if (tokens.isEmpty()) {
      return SourceList.empty();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String token : tokens) {
      for (String field : ItemIndexSchema.TEXT_FIELDS) {
        query.add(new TermQuery(new Term(field, token)), BooleanClause.Occur.SHOULD);
      }
    }
    return search(query.build(), quota, filter);
  }

  private SourceList search(Query query, int quota, CandidateFilter filter) {
    TopDocs top;
    try {
      top =
          index
              .searcher()
              .search(
                  query,
                  new FilteredTopDocs(quota, doc -> filter.accepts(index.item(doc)), exhaustive));
    } catch (IOException e) {
      throw new UncheckedIOException("text search failed", e);
    }
    int size = top.scoreDocs.length;
    int[] items = new int[size];
    float[] scores = new float[size];
    for (int i = 0; i < size; i++) {
      ScoreDoc hit = top.scoreDocs[i];
      items[i] = index.item(hit.doc);
      scores[i] = hit.score;
    }
    return SourceList.of(items, scores, size);
  }
}
