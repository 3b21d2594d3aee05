package dev.recsuite.recall.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * The item index opened read-only once: one memory-mapped reader (its norms copied to the heap, see
 * {@link HeapNormsReader}) and one searcher shared by all requests, and the mapping from Lucene
 * document ids to dense item ids.
 */
public final class ItemIndex implements Closeable {

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int[] docToItem;
  private final int dimension;

  private ItemIndex(Directory directory, DirectoryReader reader, int[] docToItem, int dimension) {
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    // Filters differ per request; caching them would only churn memory (and the default cache is
    // a JVM-wide static).
    this.searcher.setQueryCache(null);
    this.docToItem = docToItem;
    this.dimension = dimension;
  }

  /**
   * Opens the index in {@code path} and checks it against the catalogue and the factors.
   *
   * @throws IllegalArgumentException if the index is of another schema version, does not hold
   *     exactly the catalogue's items, or its vectors do not match {@code expectedDimension}
   * @throws IOException if the index cannot be read
   */
  public static ItemIndex open(Path path, CatalogView catalog, int expectedDimension)
      throws IOException {
    Directory directory = new MMapDirectory(path);
    DirectoryReader reader = null;
    boolean success = false;
    try {
      reader = DirectoryReader.open(directory);
      Map<String, String> userData = reader.getIndexCommit().getUserData();
      String schema = userData.get(ItemIndexSchema.SCHEMA_KEY);
      if (!ItemIndexSchema.SCHEMA_VERSION.equals(schema)) {
        throw new IllegalArgumentException(
            "item index %s: schema version %s (expected: %s)"
                .formatted(path, schema, ItemIndexSchema.SCHEMA_VERSION));
      }
      int dimension = vectorDimension(reader);
      if (dimension != expectedDimension) {
        throw new IllegalArgumentException(
            "item index %s: vector dimension %d (expected: %d, the cf factors)"
                .formatted(path, dimension, expectedDimension));
      }
      int[] docToItem = mapDocuments(path, reader, catalog);
      reader = HeapNormsReader.wrap(reader);
      ItemIndex index = new ItemIndex(directory, reader, docToItem, dimension);
      success = true;
      return index;
    } finally {
      if (!success) {
        IOUtils.closeWhileHandlingException(reader, directory);
      }
    }
  }

  private static int vectorDimension(DirectoryReader reader) {
    int dimension = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(ItemIndexSchema.VECTOR);
      if (info != null && info.hasVectorValues()) {
        dimension = info.getVectorDimension();
      }
    }
    return dimension;
  }

  private static int[] mapDocuments(Path path, DirectoryReader reader, CatalogView catalog)
      throws IOException {
    int items = catalog.size();
    if (reader.numDocs() != items || reader.maxDoc() != items) {
      throw new IllegalArgumentException(
          "item index %s: %d documents (expected: %d, the catalogue size)"
              .formatted(path, reader.numDocs(), items));
    }
    int[] docToItem = new int[reader.maxDoc()];
    Arrays.fill(docToItem, -1);
    boolean[] covered = new boolean[items];
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader leafReader = leaf.reader();
      NumericDocValues denseIds = leafReader.getNumericDocValues(ItemIndexSchema.DENSE_ID);
      if (denseIds == null) {
        throw new IllegalArgumentException("item index " + path + ": no " + ItemIndexSchema.DENSE_ID + " field");
      }
      StoredFields stored = leafReader.storedFields();
      for (int doc = denseIds.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = denseIds.nextDoc()) {
        long item = denseIds.longValue();
        if (item < 0 || item >= items || covered[(int) item]) {
          throw new IllegalArgumentException(
              "item index %s: dense id %d out of range or repeated (expected: each of 0..%d once)"
                  .formatted(path, item, items - 1));
        }
        String id = stored.document(doc).get(ItemIndexSchema.ID);
        if (!catalog.id((int) item).equals(id)) {
          throw new IllegalArgumentException(
              "item index %s: dense id %d holds item '%s' (expected: '%s'; index of another catalogue?)"
                  .formatted(path, item, id, catalog.id((int) item)));
        }
        covered[(int) item] = true;
        docToItem[leaf.docBase + doc] = (int) item;
      }
    }
    for (int doc = 0; doc < docToItem.length; doc++) {
      if (docToItem[doc] < 0) {
        throw new IllegalArgumentException("item index " + path + ": document " + doc + " has no dense id");
      }
    }
    return docToItem;
  }

  /** The searcher shared by all requests. */
  public IndexSearcher searcher() {
    return searcher;
  }

  /** The number of items (documents) in the index. */
  public int size() {
    return docToItem.length;
  }

  /** The dense item id of a top-level document id. */
  public int item(int doc) {
    return docToItem[doc];
  }

  /** The vector dimension, {@code 0} when the index has no vectors. */
  public int dimension() {
    return dimension;
  }

  @Override
  public void close() throws IOException {
    IOUtils.close(reader, directory);
  }
}
