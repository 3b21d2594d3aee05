package dev.recsuite.recall.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
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
   * Indexes of at most this many items score every matching item instead of pruning (CONTENT
   * queries over postings on the heap, {@link HeapPostings}): the same candidates and scores (all
   * 943 MovieLens 100K users), for less CPU on MovieLens 100K's 1,682 items and on a 10,000-item
   * synthetic catalogue; larger catalogues keep Lucene's dynamic pruning, untested beyond. Figures:
   * {@code RecallEngineBenchmark} (docs/BENCHMARKS.md).
   */
  public static final int EXHAUSTIVE_SCORING_MAX_ITEMS = 20_000;

  private final ItemIndex index;
  private final CatalogView catalog;
  private final Analyzer analyzer;
  /**
   * CONTENT queries of catalogues of at most {@link #EXHAUSTIVE_SCORING_MAX_ITEMS} items, scored
   * over their postings on the heap; {@code null} for larger catalogues, which keep Lucene's query
   * execution with dynamic pruning.
   */
  private final HeapPostings heapPostings;

  /** Sources over {@code index}, analysing text with the index's {@code analyzer}. */
  public TextSources(ItemIndex index, CatalogView catalog, Analyzer analyzer) {
    this.index = index;
    this.catalog = catalog;
    this.analyzer = analyzer;
    this.heapPostings =
        index.size() <= EXHAUSTIVE_SCORING_MAX_ITEMS
            ? new HeapPostings(index.searcher(), catalog.vocabularySize(), catalog::term)
            : null;
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
    int occurrences = 0;
    for (int position = 0; position < count; position++) {
      occurrences += catalog.termCount(recentItems[position]);
    }
    // Weights by term, summed in the order of the items and their terms.
    IntSlots terms = new IntSlots(occurrences);
    float[] weights = new float[occurrences];
    for (int position = 0; position < count; position++) {
      int item = recentItems[position];
      float weight = 1f / (1 + position);
      for (int t = 0; t < catalog.termCount(item); t++) {
        weights[terms.slot(catalog.termId(item, t))] += weight;
      }
    }
    if (terms.size() == 0) {
      return SourceList.empty();
    }
    int[] heaviest =
        IndexOrder.top(
            terms.size(),
            MAX_CONTENT_TERMS,
            (a, b) -> {
              int byWeight = Float.compare(weights[b], weights[a]);
              return byWeight != 0
                  ? byWeight
                  : catalog.term(terms.key(a)).compareTo(catalog.term(terms.key(b)));
            });
    int[] queryTerms = new int[heaviest.length];
    float[] boosts = new float[heaviest.length];
    for (int t = 0; t < heaviest.length; t++) {
      queryTerms[t] = terms.key(heaviest[t]);
      boosts[t] = weights[heaviest[t]];
    }
    if (heapPostings != null) {
      HeapPostings.Hits hits =
          heapPostings.search(queryTerms, boosts, quota, doc -> filter.accepts(index.item(doc)));
      int[] items = new int[hits.docs().length];
      for (int i = 0; i < items.length; i++) {
        items[i] = index.item(hits.docs()[i]);
      }
      return SourceList.of(items, hits.scores(), items.length);
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (int t = 0; t < queryTerms.length; t++) {
      query.add(new BoostQuery(new TermQuery(catalog.term(queryTerms[t])), boosts[t]), BooleanClause.Occur.SHOULD);
    }
    return search(query.build(), quota, filter);
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
                  new FilteredTopDocs(quota, doc -> filter.accepts(index.item(doc)), heapPostings != null));
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
