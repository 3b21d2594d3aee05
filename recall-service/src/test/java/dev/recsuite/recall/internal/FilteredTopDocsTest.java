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
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exhaustive and the pruning collection find the same accepted top documents, scores included. */
class FilteredTopDocsTest {

  private static final int DOCS = 600;
  private static final int WORDS = 40;

  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;

  @BeforeEach
  void index() throws IOException {
    directory = new ByteBuffersDirectory();
    Random random = new Random(3);
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
      for (int d = 0; d < DOCS; d++) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int w = 0; w < length; w++) {
          // Skewed word frequencies, like genres (frequent) next to title words (rare).
          text.append(" w").append((int) (WORDS * Math.pow(random.nextDouble(), 2)));
        }
        Document doc = new Document();
        doc.add(new TextField("text", text.toString(), Field.Store.NO));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
    }
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    searcher.setQueryCache(null);
  }

  @AfterEach
  void close() throws IOException {
    reader.close();
    directory.close();
  }

  @Test
  void exhaustiveAndPruning_sameTopDocsAndScores_forWeightedDisjunctionsWithAFilter() throws IOException {
    Random random = new Random(9);
    for (int round = 0; round < 30; round++) {
      BooleanQuery.Builder query = new BooleanQuery.Builder();
      for (int t = 0; t < 1 + random.nextInt(20); t++) {
        query.add(
            new BoostQuery(new TermQuery(new Term("text", "w" + random.nextInt(WORDS))), 0.1f + random.nextFloat()),
            BooleanClause.Occur.SHOULD);
      }
      int n = 1 + random.nextInt(150);
      int modulus = 2 + random.nextInt(5);

      TopDocs exhaustive = searcher.search(query.build(), new FilteredTopDocs(n, doc -> doc % modulus != 0, true));
      TopDocs pruning = searcher.search(query.build(), new FilteredTopDocs(n, doc -> doc % modulus != 0, false));

      assertThat(exhaustive.scoreDocs).hasSameSizeAs(pruning.scoreDocs);
      for (int i = 0; i < exhaustive.scoreDocs.length; i++) {
        ScoreDoc a = exhaustive.scoreDocs[i];
        ScoreDoc b = pruning.scoreDocs[i];
        assertThat(a.doc).as("round %d, position %d", round, i).isEqualTo(b.doc);
        assertThat(a.score).as("round %d, position %d", round, i).isEqualTo(b.score);
        assertThat(a.doc % modulus).isNotZero();
      }
    }
  }
}
