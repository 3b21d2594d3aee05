package dev.recsuite.recall;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.recall.internal.Factors;
import dev.recsuite.recall.internal.ItemIndexSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Lucene item index that {@link RecallEngine} searches: one document per catalogue item
 * with its ids, text fields (title, genres, tags), year, genre filter keys, training popularity and,
 * when factors are given, its collaborative-filtering vector in an HNSW graph scored by maximum
 * inner product. The index is force-merged to one segment, since it is read-only once written.
 *
 * <p>The offline trainer writes it into a bundle:
 *
 * <pre>{@code
 * ItemIndexBuilder.write(train, cfModel, writer.directory(BundleFiles.ITEM_INDEX));
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class ItemIndexBuilder {

  private static final Logger log = LoggerFactory.getLogger(ItemIndexBuilder.class);
  private static final int PROGRESS_EVERY = 50_000;

  private ItemIndexBuilder() {}

  /**
   * What {@link #write} produced.
   *
   * @param items documents written, one per catalogue item
   * @param dimension vector dimension, {@code 0} when the index has no vectors
   * @param elapsed time taken, merge included
   */
  public record Summary(int items, int dimension, Duration elapsed) {}

  /**
   * Writes the index of {@code dataset}'s items (in dense-id order) into {@code directory},
   * replacing any index already there. Popularity is the number of {@code dataset}'s interactions
   * per item, so pass the training data.
   *
   * @param dataset items and the interactions their popularity is counted from
   * @param factors collaborative-filtering factors whose {@code item_factors} rows follow the
   *     dataset's dense item ids; an empty model ({@code factors == 0}) writes no vector field
   * @param directory target directory, created if missing
   * @throws IllegalArgumentException if the factor sizes do not match the catalogue or a factor is
   *     not finite
   * @throws IOException if the index cannot be written
   */
  public static Summary write(Dataset dataset, FactorModel factors, Path directory)
      throws IOException {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(factors, "factors");
    Objects.requireNonNull(directory, "directory");
    long started = System.nanoTime();
    int itemCount = dataset.items().size();
    Factors vectors = Factors.of(factors, itemCount, dataset.users().size());
    int[] popularity = interactionCounts(dataset.interactions(), itemCount);
    Files.createDirectories(directory);

    try (Analyzer analyzer = ItemIndexSchema.newAnalyzer();
        Directory dir = FSDirectory.open(directory)) {
      IndexWriterConfig config =
          new IndexWriterConfig(analyzer)
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
              .setRAMBufferSizeMB(64)
              .setCommitOnClose(false);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int item = 0; item < itemCount; item++) {
          writer.addDocument(document(dataset.items().get(item), item, popularity[item], vectors));
          if ((item + 1) % PROGRESS_EVERY == 0) {
            log.info("item index: {}/{} items indexed in {} ms", item + 1, itemCount, millisSince(started));
          }
        }
        writer.setLiveCommitData(
            Map.of(
                    ItemIndexSchema.SCHEMA_KEY, ItemIndexSchema.SCHEMA_VERSION,
                    ItemIndexSchema.DIMENSION_KEY, Integer.toString(vectors.dimension()))
                .entrySet());
        writer.commit();
        // One segment: the index never changes after this, and one HNSW graph searches faster
        // than several.
        writer.forceMerge(1);
        writer.commit();
      }
      // The lock file is only for writers; a published bundle is read-only.
      Files.deleteIfExists(directory.resolve(IndexWriter.WRITE_LOCK_NAME));
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    log.info(
        "item index: {} items indexed ({} vectors of dimension {}) into {} in {} ms",
        itemCount,
        vectors.hasItemVectors() ? itemCount : 0,
        vectors.dimension(),
        directory,
        elapsed.toMillis());
    return new Summary(itemCount, vectors.dimension(), elapsed);
  }

  private static Document document(Item item, int denseId, int popularity, Factors vectors) {
    Document doc = new Document();
    doc.add(new StringField(ItemIndexSchema.ID, item.id(), Field.Store.YES));
    doc.add(new StoredField(ItemIndexSchema.DENSE_ID, denseId));
    doc.add(new NumericDocValuesField(ItemIndexSchema.DENSE_ID, denseId));
    doc.add(new TextField(ItemIndexSchema.TITLE, item.title(), Field.Store.YES));
    Set<String> keys = new HashSet<>();
    for (String genre : item.genres()) {
      doc.add(new TextField(ItemIndexSchema.GENRES, genre, Field.Store.NO));
      String key = ItemIndexSchema.genreKey(genre);
      if (!key.isEmpty() && keys.add(key)) {
        doc.add(new StringField(ItemIndexSchema.GENRE, key, Field.Store.NO));
      }
    }
    for (String tag : item.tags()) {
      doc.add(new TextField(ItemIndexSchema.TAGS, tag, Field.Store.NO));
    }
    if (item.year() > 0) {
      doc.add(new IntPoint(ItemIndexSchema.YEAR, item.year()));
      doc.add(new StoredField(ItemIndexSchema.YEAR, item.year()));
    }
    doc.add(new NumericDocValuesField(ItemIndexSchema.POPULARITY, popularity));
    if (vectors.hasItemVectors()) {
      doc.add(
          new KnnFloatVectorField(
              ItemIndexSchema.VECTOR, vectors.itemVector(denseId), ItemIndexSchema.SIMILARITY));
    }
    return doc;
  }

  private static int[] interactionCounts(Interactions interactions, int itemCount) {
    int[] counts = new int[itemCount];
    for (int i = 0; i < interactions.size(); i++) {
      counts[interactions.item(i)]++;
    }
    return counts;
  }

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
