package dev.recsuite.recall.internal;

import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Field names and conventions of the Lucene item index, shared by the writer ({@code
 * ItemIndexBuilder}) and the readers of the recall engine.
 */
public final class ItemIndexSchema {

  /** External item id: {@code StringField}, stored. */
  public static final String ID = "id";
  /** Dense item id (position in the catalogue): stored and {@code NumericDocValues}. */
  public static final String DENSE_ID = "dense_id";
  /** Title: {@code TextField}, stored. */
  public static final String TITLE = "title";
  /** All genres as text, for BM25: {@code TextField}. */
  public static final String GENRES = "genres";
  /** One lower-cased exact genre per value, for filters: {@code StringField}. */
  public static final String GENRE = "genre";
  /** Tags as text, for BM25: {@code TextField}. */
  public static final String TAGS = "tags";
  /** Release year when known: {@code IntPoint}, stored. */
  public static final String YEAR = "year";
  /** The collaborative-filtering item vector: {@code KnnFloatVectorField}. */
  public static final String VECTOR = "vector";
  /** Training interactions of the item: {@code NumericDocValues}. */
  public static final String POPULARITY = "popularity";

  /** The text fields searched with BM25, in a fixed order. */
  public static final String[] TEXT_FIELDS = {TITLE, GENRES, TAGS};

  /**
   * ALS predicts a preference as the plain inner product of a user and an item vector, and item
   * vectors are not normalised (their length carries popularity), so neither cosine nor the
   * dot-product similarity (which requires unit vectors) ranks like the model does.
   */
  public static final VectorSimilarityFunction SIMILARITY =
      VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;

  /** Commit user-data key holding {@link #SCHEMA_VERSION}. */
  public static final String SCHEMA_KEY = "recsuite.item-index.schema";
  /** Commit user-data key holding the vector dimension ({@code 0} when the index has no vectors). */
  public static final String DIMENSION_KEY = "recsuite.item-index.dimension";
  /** Layout version of the index written by this code; readers reject other versions. */
  public static final String SCHEMA_VERSION = "1";

  private ItemIndexSchema() {}

  /**
   * The analyzer of every text field, at index and query time.
   *
   * <p>English, not {@code StandardAnalyzer}: catalogue titles, genres and tags are English, and
   * the English analyzer removes stop words (Lucene's {@code StandardAnalyzer} keeps them by
   * default, so a query "the war" would match every title starting with "The"), strips possessives
   * ("Children's" → "children") and stems ("Wars" and "war", "stories" and "story" meet).
   */
  public static Analyzer newAnalyzer() {
    return new EnglishAnalyzer();
  }

  /** The filter key of a genre: trimmed and lower-cased, so filters match case-insensitively. */
  public static String genreKey(String genre) {
    return genre.strip().toLowerCase(Locale.ROOT);
  }
}
