package dev.recsuite.recall.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * The item index's reader with every field's norms copied to the heap when it opens: the same
 * values, read from an array. The index is small, read-only and scored for every request, and a
 * text field that some items lack (two MovieLens 100K items have no genre) stores <em>sparse</em>
 * norms, whose lookup per scored document walks Lucene's {@code IndexedDISI}: 12 % of recall's CPU
 * under load. The copy costs 8 bytes per item and text field. No reader caching (the searcher's
 * query cache is off): the cache helpers are {@code null}.
 */
final class HeapNormsReader extends FilterDirectoryReader {

  private HeapNormsReader(DirectoryReader in) throws IOException {
    super(in, new HeapNormsWrapper());
  }

  /** {@code reader} with its norms on the heap; closing the result closes {@code reader}. */
  static DirectoryReader wrap(DirectoryReader reader) throws IOException {
    try {
      return new HeapNormsReader(reader);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
    return wrap(in);
  }

  @Override
  public CacheHelper getReaderCacheHelper() {
    return null;
  }

  private static final class HeapNormsWrapper extends SubReaderWrapper {
    @Override
    public LeafReader wrap(LeafReader reader) {
      try {
        return new Leaf(reader);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Leaf extends FilterLeafReader {
    private final Map<String, Norms> norms = new HashMap<>();

    Leaf(LeafReader in) throws IOException {
      super(in);
      for (FieldInfo field : in.getFieldInfos()) {
        NumericDocValues values = field.hasNorms() ? in.getNormValues(field.name) : null;
        if (values != null) {
          norms.put(field.name, Norms.copy(values, in.maxDoc()));
        }
      }
    }

    @Override
    public NumericDocValues getNormValues(String field) throws IOException {
      Norms copied = norms.get(field);
      return copied != null ? copied.iterator() : in.getNormValues(field);
    }

    @Override
    public CacheHelper getCoreCacheHelper() {
      return null;
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
      return null;
    }
  }

  /**
   * One field's norms: the value of each document that has one, and which do ({@code null}: all).
   */
  private record Norms(long[] values, FixedBitSet present, int count) {

    static Norms copy(NumericDocValues source, int maxDoc) throws IOException {
      long[] values = new long[maxDoc];
      FixedBitSet present = new FixedBitSet(maxDoc);
      int count = 0;
      for (int doc = source.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = source.nextDoc()) {
        values[doc] = source.longValue();
        present.set(doc);
        count++;
      }
      return new Norms(values, count == maxDoc ? null : present, count);
    }

    NumericDocValues iterator() {
      return new HeapNormValues(this);
    }
  }

  /** An iterator over {@link Norms}, as Lucene's own: forward only, one per scorer. */
  private static final class HeapNormValues extends NumericDocValues {
    private final long[] values;
    private final FixedBitSet present;
    private final int count;
    private int doc = -1;

    HeapNormValues(Norms norms) {
      this.values = norms.values();
      this.present = norms.present();
      this.count = norms.count();
    }

    @Override
    public long longValue() {
      return values[doc];
    }

    @Override
    public void longValues(
        int size, int[] docs, int docsOffset, long[] out, int outOffset, long defaultValue) {
      for (int i = 0; i < size; i++) {
        int target = docs[docsOffset + i];
        out[outOffset + i] = present == null || present.get(target) ? values[target] : defaultValue;
      }
      if (size > 0) {
        doc = docs[docsOffset + size - 1];
      }
    }

    @Override
    public boolean advanceExact(int target) {
      doc = target;
      return present == null || present.get(target);
    }

    @Override
    public int docID() {
      return doc;
    }

    @Override
    public int nextDoc() {
      return advance(doc + 1);
    }

    @Override
    public int advance(int target) {
      if (target >= values.length) {
        doc = NO_MORE_DOCS;
      } else {
        doc = present == null ? target : present.nextSetBit(target);
      }
      return doc;
    }

    @Override
    public long cost() {
      return count;
    }
  }
}
