package dev.recsuite.recall.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FilterCollector;
import org.apache.lucene.search.FilterLeafCollector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.TopScoreDocCollectorManager;

/**
 * Top documents by score among those a predicate accepts, decided while collecting: the top
 * {@code n} are exact whatever the number of rejected documents, without over-fetching. The
 * predicate receives top-level document ids.
 */
final class FilteredTopDocs implements CollectorManager<FilteredTopDocs.Filtering, TopDocs> {

  private final TopScoreDocCollectorManager delegate;
  private final IntPredicate acceptDoc;

  /**
   * @param n number of documents wanted, {@code > 0}
   * @param acceptDoc whether a top-level document id may be collected
   * @param exhaustive score every matching document ({@code ScoreMode.COMPLETE}): Lucene then
   *     scores a disjunction term at a time in windows of documents, which beats skipping
   *     non-competitive documents ({@code TOP_SCORES}, dynamic pruning) when the index is small
   *     next to {@code n}; the top {@code n} and their scores are the same either way
   */
  FilteredTopDocs(int n, IntPredicate acceptDoc, boolean exhaustive) {
    // A total hit count is never needed; with a threshold of n, documents that cannot make the top
    // n may be skipped once n are collected.
    this.delegate = new TopScoreDocCollectorManager(n, exhaustive ? Integer.MAX_VALUE : n);
    this.acceptDoc = acceptDoc;
  }

  @Override
  public Filtering newCollector() {
    return new Filtering(delegate.newCollector(), acceptDoc);
  }

  @Override
  public TopDocs reduce(Collection<Filtering> collectors) throws IOException {
    List<TopScoreDocCollector> inner = new ArrayList<>(collectors.size());
    for (Filtering collector : collectors) {
      inner.add(collector.topDocs);
    }
    return delegate.reduce(inner);
  }

  static final class Filtering extends FilterCollector {
    private final TopScoreDocCollector topDocs;
    private final IntPredicate acceptDoc;

    Filtering(TopScoreDocCollector topDocs, IntPredicate acceptDoc) {
      super(topDocs);
      this.topDocs = topDocs;
      this.acceptDoc = acceptDoc;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
      int docBase = context.docBase;
      return new FilterLeafCollector(super.getLeafCollector(context)) {
        @Override
        public void collect(int doc) throws IOException {
          if (acceptDoc.test(docBase + doc)) {
            in.collect(doc);
          }
        }
      };
    }
  }
}
