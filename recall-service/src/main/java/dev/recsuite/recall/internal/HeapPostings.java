package dev.recsuite.recall.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.similarities.Similarity;

/**
 * Weighted term disjunctions scored exhaustively over postings copied to the heap: for small
 * catalogues, what {@code IndexSearcher.search} of a {@code BooleanQuery} of boosted {@code
 * TermQuery} SHOULD clauses answers (the same documents and scores, by the searcher's similarity,
 * ties to the lower document), without its per-query readers. Those cost recall a third of its CPU
 * and most of its allocation on MovieLens 100K: each clause opens a postings reader with its own
 * buffers, for a 64-term query on every request.
 *
 * <p>Terms are those of a fixed vocabulary (the catalogue's), by id. A term's postings (documents,
 * frequencies, norms) and statistics are read from the index on its first query and kept for the
 * index's life: the index never changes, and the memory is bounded by the vocabulary's postings (a
 * float, an int and a long per posting). Per query, each term
 * still gets its similarity scorer from the searcher's similarity with the clause's boost and the
 * index's statistics, exactly as {@code TermQuery} makes it, and scores every posting with it; a
 * document's score is the double-precision sum over its terms, rounded to float, as Lucene's
 * disjunction scorer does.
 */
final class HeapPostings {

  /**
   * One term's postings in top-level document order, and the statistics its scorer is made from;
   * {@code statistics} null if the term is absent.
   */
  private record TermPostings(
      CollectionStatistics field, TermStatistics statistics, int[] docs, float[] freqs, long[] norms) {
    static final TermPostings ABSENT = new TermPostings(null, null, new int[0], new float[0], new long[0]);
  }

  private final IndexSearcher searcher;
  private final IndexReader reader;
  private final IntFunction<Term> vocabulary;
  /**
   * By vocabulary id, read on first use. Elements are published without a lock: a thread that
   * misses another's write reads the term again, and a record's final fields are safely published.
   */
  private final TermPostings[] postings;

  /**
   * Postings, in the index {@code searcher} reads, of the vocabulary of {@code size} terms that
   * {@code vocabulary} maps ids {@code 0..size-1} to (the catalogue's, {@link CatalogView#term}).
   */
  HeapPostings(IndexSearcher searcher, int size, IntFunction<Term> vocabulary) {
    this.searcher = searcher;
    this.reader = searcher.getIndexReader();
    this.vocabulary = vocabulary;
    this.postings = new TermPostings[size];
  }

  /**
   * The top {@code quota} documents that {@code acceptDoc} accepts among those matching at least
   * one of the vocabulary terms {@code termIds}, by the sum of each matching term's score with its
   * boost ({@code boosts}, in the same order); best first, ties to the lower document. Returned as {@code docs} and {@code
   * scores} of one length.
   *
   * @throws UncheckedIOException if the index cannot be read
   */
  Hits search(int[] termIds, float[] boosts, int quota, IntPredicate acceptDoc) {
    Similarity similarity = searcher.getSimilarity();
    double[] sums = new double[reader.maxDoc()];
    boolean[] matched = new boolean[reader.maxDoc()];
    for (int t = 0; t < termIds.length; t++) {
      TermPostings term = postings[termIds[t]];
      if (term == null) {
        term = read(vocabulary.apply(termIds[t]));
        postings[termIds[t]] = term;
      }
      if (term.statistics() == null) {
        continue;
      }
      Similarity.SimScorer scorer = similarity.scorer(boosts[t], term.field(), term.statistics());
      int[] docs = term.docs();
      float[] freqs = term.freqs();
      long[] norms = term.norms();
      for (int p = 0; p < docs.length; p++) {
        int doc = docs[p];
        sums[doc] += scorer.score(freqs[p], norms[p]);
        matched[doc] = true;
      }
    }
    // Best first is the largest key: the score's bits (positive floats order as their bits) above
    // Integer.MAX_VALUE - doc, so ties go to the lower document.
    long[] best = new long[Math.min(quota, matched.length)];
    int kept = 0;
    for (int doc = 0; doc < matched.length; doc++) {
      if (matched[doc] && acceptDoc.test(doc)) {
        long key = ((long) Float.floatToIntBits((float) sums[doc]) << 32) | (Integer.MAX_VALUE - doc);
        if (kept < best.length) {
          best[kept++] = key;
          if (kept == best.length) {
            Arrays.sort(best); // a min-heap: ascending order is one
          }
        } else if (best.length > 0 && key > best[0]) {
          replaceSmallest(best, key);
        }
      }
    }
    Arrays.sort(best, 0, kept);
    int[] docs = new int[kept];
    float[] scores = new float[kept];
    for (int r = 0; r < kept; r++) {
      long key = best[kept - 1 - r];
      docs[r] = Integer.MAX_VALUE - (int) key;
      scores[r] = Float.intBitsToFloat((int) (key >>> 32));
    }
    return new Hits(docs, scores);
  }

  /** Replaces the root of the min-heap {@code heap} by {@code key} and restores the heap order. */
  private static void replaceSmallest(long[] heap, long key) {
    int size = heap.length;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= key) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = key;
  }

  /** Documents and their scores, best first. */
  record Hits(int[] docs, float[] scores) {}

  private TermPostings read(Term term) {
    try {
      int docFreq = reader.docFreq(term);
      if (docFreq == 0) {
        return TermPostings.ABSENT;
      }
      int[] docs = new int[docFreq];
      float[] freqs = new float[docFreq];
      long[] norms = new long[docFreq];
      int size = 0;
      for (LeafReaderContext leaf : reader.leaves()) {
        Terms leafTerms = leaf.reader().terms(term.field());
        if (leafTerms == null) {
          continue;
        }
        TermsEnum termsEnum = leafTerms.iterator();
        if (!termsEnum.seekExact(term.bytes())) {
          continue;
        }
        PostingsEnum leafPostings = termsEnum.postings(null, PostingsEnum.FREQS);
        NumericDocValues leafNorms = leaf.reader().getNormValues(term.field());
        for (int doc = leafPostings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = leafPostings.nextDoc()) {
          docs[size] = leaf.docBase + doc;
          freqs[size] = leafPostings.freq();
          // As TermScorer: a document without a norm scores with norm 1.
          norms[size] = leafNorms != null && leafNorms.advanceExact(doc) ? leafNorms.longValue() : 1L;
          size++;
        }
      }
      TermStatistics statistics = searcher.termStatistics(term, docFreq, reader.totalTermFreq(term));
      // Fewer postings than the document frequency only if documents were deleted.
      return new TermPostings(
          searcher.collectionStatistics(term.field()), statistics, Arrays.copyOf(docs, size), Arrays.copyOf(freqs, size), Arrays.copyOf(norms, size));
    } catch (IOException e) {
      throw new UncheckedIOException("postings of " + term + " unreadable", e);
    }
  }

}
