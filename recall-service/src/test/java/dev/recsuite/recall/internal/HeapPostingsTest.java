package dev.recsuite.recall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
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
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeapPostingsTest {

  private static final String[] WORDS = {
    "drama", "comedy", "war", "space", "love", "crime", "noir", "western", "musical", "horror", "heist", "robot"
  };
  private static final String[] FIELDS = {"title", "genres", "tags"};

  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;

  /** 800 documents in two segments, the "tags" field missing on every fifth, texts of random length. */
  @BeforeEach
  void index() throws IOException {
    directory = new ByteBuffersDirectory();
    Random random = new Random(5);
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
      for (int doc = 0; doc < 800; doc++) {
        Document document = new Document();
        for (String field : FIELDS) {
          if (!field.equals("tags") || doc % 5 != 0) {
            document.add(new TextField(field, words(random), Field.Store.NO));
          }
        }
        writer.addDocument(document);
        if (doc == 399) {
          writer.commit();
        }
      }
    }
    reader = HeapNormsReader.wrap(DirectoryReader.open(directory));
    searcher = new IndexSearcher(reader);
    searcher.setQueryCache(null);
  }

  @AfterEach
  void close() throws IOException {
    reader.close();
    directory.close();
  }

  private static String words(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(10); i >= 0; i--) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return text.toString();
  }

  @Test
  void search_givesLucenesDocumentsAndScores_bitForBit() throws IOException {
    assertThat(reader.leaves()).hasSize(2);
    // Every word in every field, and terms absent from the index.
    List<Term> vocabulary = new ArrayList<>();
    for (String field : FIELDS) {
      for (String word : WORDS) {
        vocabulary.add(new Term(field, word));
      }
      vocabulary.add(new Term(field, "absent"));
    }
    vocabulary.add(new Term("nofield", "drama"));
    HeapPostings postings = new HeapPostings(searcher, vocabulary.size(), vocabulary::get);
    Random random = new Random(17);
    for (int round = 0; round < 300; round++) {
      int count = 1 + random.nextInt(24);
      int[] termIds = random.ints(0, vocabulary.size()).distinct().limit(count).toArray();
      float[] boosts = new float[count];
      BooleanQuery.Builder query = new BooleanQuery.Builder();
      for (int t = 0; t < count; t++) {
        // Boosts like the recency weights: sums of 1 / (1 + position).
        boosts[t] = 1f / (1 + random.nextInt(30)) + random.nextFloat();
        query.add(new BoostQuery(new TermQuery(vocabulary.get(termIds[t])), boosts[t]), BooleanClause.Occur.SHOULD);
      }
      int quota = 1 + random.nextInt(120);
      int modulus = 2 + random.nextInt(5);
      IntPredicate accept = doc -> doc % modulus != 0;
      TopDocs expected = searcher.search(query.build(), new FilteredTopDocs(quota, accept, true));

      HeapPostings.Hits hits = postings.search(termIds, boosts, quota, accept);

      assertThat(hits.docs()).hasSize(expected.scoreDocs.length);
      for (int r = 0; r < hits.docs().length; r++) {
        assertThat(hits.docs()[r]).as("round %d rank %d", round, r).isEqualTo(expected.scoreDocs[r].doc);
        assertThat(Float.floatToIntBits(hits.scores()[r]))
            .as("round %d rank %d", round, r)
            .isEqualTo(Float.floatToIntBits(expected.scoreDocs[r].score));
      }
    }
  }

  @Test
  void search_onlyAbsentTerms_findsNothing() {
    Term[] vocabulary = {new Term("title", "nowhere"), new Term("nofield", "drama")};
    HeapPostings postings = new HeapPostings(searcher, vocabulary.length, i -> vocabulary[i]);

    HeapPostings.Hits hits = postings.search(new int[] {0, 1}, new float[] {1f, 1f}, 10, doc -> true);

    assertThat(hits.docs()).isEmpty();
    assertThat(hits.scores()).isEmpty();
  }
}
