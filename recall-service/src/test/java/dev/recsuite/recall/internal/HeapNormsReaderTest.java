package dev.recsuite.recall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Random;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeapNormsReaderTest {

  private static final String[] WORDS = {"drama", "comedy", "war", "space", "love", "crime", "noir"};

  private Directory directory;
  private DirectoryReader original;
  private DirectoryReader heap;

  /** 500 documents; "sparse" is missing on every seventh, "dense" is on all, of random lengths. */
  @BeforeEach
  void index() throws IOException {
    directory = new ByteBuffersDirectory();
    Random random = new Random(11);
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
      for (int doc = 0; doc < 500; doc++) {
        Document document = new Document();
        document.add(new TextField("dense", words(random), Field.Store.NO));
        if (doc % 7 != 0) {
          document.add(new TextField("sparse", words(random), Field.Store.NO));
        }
        writer.addDocument(document);
        if (doc == 250) {
          writer.commit(); // two segments
        }
      }
    }
    original = DirectoryReader.open(directory);
    heap = HeapNormsReader.wrap(DirectoryReader.open(directory));
  }

  @AfterEach
  void close() throws IOException {
    original.close();
    heap.close();
    directory.close();
  }

  private static String words(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(8); i >= 0; i--) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return text.toString();
  }

  @Test
  void bm25Scores_areExactlyThoseOfTheIndexsOwnNorms() throws IOException {
    Query query =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term("sparse", "war")), BooleanClause.Occur.SHOULD)
            .add(new TermQuery(new Term("sparse", "noir")), BooleanClause.Occur.SHOULD)
            .add(new TermQuery(new Term("dense", "space")), BooleanClause.Occur.SHOULD)
            .build();

    TopDocs expected = new IndexSearcher(original).search(query, 500);
    TopDocs actual = new IndexSearcher(heap).search(query, 500);

    assertThat(actual.scoreDocs).hasSizeGreaterThan(100);
    assertThat(actual.scoreDocs).extracting(d -> d.doc).containsExactly(docs(expected));
    for (int i = 0; i < expected.scoreDocs.length; i++) {
      assertThat(actual.scoreDocs[i].score).isEqualTo(expected.scoreDocs[i].score);
    }
  }

  @Test
  void normValues_iterateAndAnswerAsTheIndexsOwn() throws IOException {
    assertThat(heap.leaves()).hasSize(2);
    for (int leaf = 0; leaf < heap.leaves().size(); leaf++) {
      LeafReader expected = original.leaves().get(leaf).reader();
      LeafReader actual = heap.leaves().get(leaf).reader();
      for (String field : new String[] {"sparse", "dense"}) {
        NumericDocValues own = expected.getNormValues(field);
        NumericDocValues copy = actual.getNormValues(field);
        assertThat(copy.cost()).isEqualTo(own.cost());
        for (int doc = own.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = own.nextDoc()) {
          assertThat(copy.nextDoc()).isEqualTo(doc);
          assertThat(copy.longValue()).isEqualTo(own.longValue());
        }
        assertThat(copy.nextDoc()).isEqualTo(DocIdSetIterator.NO_MORE_DOCS);

        NumericDocValues exact = actual.getNormValues(field);
        NumericDocValues reference = expected.getNormValues(field);
        for (int doc = 0; doc < expected.maxDoc(); doc += 3) {
          boolean has = reference.advanceExact(doc);
          assertThat(exact.advanceExact(doc)).as("%s doc %d", field, doc).isEqualTo(has);
          if (has) {
            assertThat(exact.longValue()).isEqualTo(reference.longValue());
          }
        }
        int[] targets = {1, 7, 14, 20, 21, 99};
        long[] values = new long[targets.length];
        long[] referenceValues = new long[targets.length];
        actual.getNormValues(field).longValues(targets.length, targets, values, -5);
        expected.getNormValues(field).longValues(targets.length, targets, referenceValues, -5);
        assertThat(values).containsExactly(referenceValues);
      }
    }
  }

  @Test
  void advance_skipsDocumentsWithoutTheField() throws IOException {
    NumericDocValues sparse = heap.leaves().get(0).reader().getNormValues("sparse");

    assertThat(sparse.advance(7)).isEqualTo(8);
    assertThat(sparse.advance(14)).isEqualTo(15);
    assertThat(sparse.advance(10_000)).isEqualTo(DocIdSetIterator.NO_MORE_DOCS);
  }

  private static Integer[] docs(TopDocs top) {
    Integer[] docs = new Integer[top.scoreDocs.length];
    int i = 0;
    for (ScoreDoc hit : top.scoreDocs) {
      docs[i++] = hit.doc;
    }
    return docs;
  }
}
