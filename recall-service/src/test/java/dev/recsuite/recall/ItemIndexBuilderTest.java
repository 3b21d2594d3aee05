package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.recall.internal.ItemIndexSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemIndexBuilderTest {

  @TempDir Path dir;

  private final Fixture fixture = Fixture.create(7);

  @Test
  void write_fixture_writesOneSegmentWithEveryItemAndItsVector() throws IOException {
    ItemIndexBuilder.Summary summary = ItemIndexBuilder.write(fixture.train, fixture.factors, dir);

    assertThat(summary.items()).isEqualTo(Fixture.ITEMS);
    assertThat(summary.dimension()).isEqualTo(Fixture.DIMENSION);
    assertThat(dir.resolve("write.lock")).doesNotExist();
    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.leaves()).hasSize(1);
      assertThat(reader.numDocs()).isEqualTo(Fixture.ITEMS);
      LeafReader leaf = reader.leaves().getFirst().reader();
      NumericDocValues denseIds = leaf.getNumericDocValues(ItemIndexSchema.DENSE_ID);
      NumericDocValues popularity = leaf.getNumericDocValues(ItemIndexSchema.POPULARITY);
      FloatVectorValues vectors = leaf.getFloatVectorValues(ItemIndexSchema.VECTOR);
      KnnVectorValues.DocIndexIterator vectorDocs = vectors.iterator();
      Set<Integer> seenDenseIds = new HashSet<>();
      for (int doc = 0; doc < reader.maxDoc(); doc++) {
        assertThat(denseIds.advanceExact(doc)).isTrue();
        int item = (int) denseIds.longValue();
        seenDenseIds.add(item);
        Document stored = leaf.storedFields().document(doc);
        assertThat(stored.get(ItemIndexSchema.ID)).isEqualTo("m" + item);
        assertThat(stored.get(ItemIndexSchema.TITLE)).isEqualTo(fixture.train.items().get(item).title());
        assertThat(stored.getField(ItemIndexSchema.YEAR).numericValue().intValue()).isEqualTo(1980 + item);
        assertThat(popularity.advanceExact(doc)).isTrue();
        assertThat(popularity.longValue()).isEqualTo(fixture.popularity(item));
        assertThat(vectorDocs.advance(doc)).isEqualTo(doc);
        assertThat(vectors.vectorValue(vectorDocs.index())).containsExactly(fixture.itemVector(item));
      }
      assertThat(seenDenseIds).hasSize(Fixture.ITEMS);
      assertThat(leaf.getFieldInfos().fieldInfo(ItemIndexSchema.VECTOR).getVectorSimilarityFunction())
          .isEqualTo(ItemIndexSchema.SIMILARITY);
    }
  }

  @Test
  void write_fixture_indexesGenreKeysLowerCasedAndYearsAsPoints() throws IOException {
    ItemIndexBuilder.write(fixture.train, fixture.factors, dir);

    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      // Sci-Fi is the primary genre of items 4, 14, 24, 34 and the second genre of 9 and 39.
      assertThat(searcher.count(new TermQuery(new Term(ItemIndexSchema.GENRE, "sci-fi")))).isEqualTo(6);
      assertThat(searcher.count(new TermQuery(new Term(ItemIndexSchema.GENRE, "Sci-Fi")))).isZero();
      assertThat(searcher.count(IntPoint.newRangeQuery(ItemIndexSchema.YEAR, 1990, 1999))).isEqualTo(10);
      assertThat(searcher.count(new TermQuery(new Term(ItemIndexSchema.TAGS, "ghost")))).isEqualTo(4);
    }
  }

  @Test
  void write_emptyFactorModel_writesNoVectorField() throws IOException {
    ItemIndexBuilder.Summary summary =
        ItemIndexBuilder.write(fixture.train, FactorModel.getDefaultInstance(), dir);

    assertThat(summary.dimension()).isZero();
    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.numDocs()).isEqualTo(Fixture.ITEMS);
      assertThat(reader.leaves().getFirst().reader().getFieldInfos().fieldInfo(ItemIndexSchema.VECTOR)).isNull();
    }
  }

  @Test
  void write_factorsOfAnotherCatalogue_failsNamingTheSizes() {
    FactorModel wrong = fixture.factors.toBuilder().addItemFactors(1f).build();

    assertThatThrownBy(() -> ItemIndexBuilder.write(fixture.train, wrong, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item_factors: 321 values")
        .hasMessageContaining("40 items x 8 factors = 320");
  }

  @Test
  void write_nonFiniteFactor_failsNamingTheRow() {
    FactorModel wrong = fixture.factors.toBuilder().setItemFactors(3 * Fixture.DIMENSION + 2, Float.NaN).build();

    assertThatThrownBy(() -> ItemIndexBuilder.write(fixture.train, wrong, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cf item_factors row 3: value NaN (expected: finite)");
  }

  @Test
  void write_existingIndex_isReplaced() throws IOException {
    ItemIndexBuilder.write(fixture.train, fixture.factors, dir);

    ItemIndexBuilder.write(fixture.train, FactorModel.getDefaultInstance(), dir);

    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.numDocs()).isEqualTo(Fixture.ITEMS);
      assertThat(reader.leaves().getFirst().reader().getFieldInfos().fieldInfo(ItemIndexSchema.VECTOR)).isNull();
    }
  }
}
