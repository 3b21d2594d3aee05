package dev.recsuite.recall.internal;

import dev.recsuite.core.data.IdIndex;
import dev.recsuite.core.data.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;

/**
 * What the engine needs to know about every item without touching the index: external ids, genre
 * filter keys and the analysed terms of its text fields (the seeds of the content query). Compact
 * arrays, built once; immutable.
 */
public final class CatalogView {

  private final IdIndex ids;
  private final Map<String, Integer> genreIdsByKey;
  private final int[] genreOffsets;
  private final int[] genreIds;
  private final Term[] terms;
  private final int[] termOffsets;
  private final int[] termIds;

  private CatalogView(
      IdIndex ids,
      Map<String, Integer> genreIdsByKey,
      int[] genreOffsets,
      int[] genreIds,
      Term[] terms,
      int[] termOffsets,
      int[] termIds) {
    this.ids = ids;
    this.genreIdsByKey = genreIdsByKey;
    this.genreOffsets = genreOffsets;
    this.genreIds = genreIds;
    this.terms = terms;
    this.termOffsets = termOffsets;
    this.termIds = termIds;
  }

  /** Indexes {@code items} (dense-id order) whose ids {@code ids} maps. */
  public static CatalogView of(List<Item> items, IdIndex ids, Analyzer analyzer) {
    int n = items.size();
    Map<String, Integer> genreIdsByKey = new HashMap<>();
    int[] genreOffsets = new int[n + 1];
    IntBuffer genreIds = new IntBuffer(n * 2);
    Map<Term, Integer> termIdsByTerm = new HashMap<>();
    List<Term> terms = new ArrayList<>();
    int[] termOffsets = new int[n + 1];
    IntBuffer termIds = new IntBuffer(n * 8);
    Set<Term> itemTerms = new LinkedHashSet<>();
    for (int item = 0; item < n; item++) {
      Item it = items.get(item);
      int genreStart = genreIds.size();
      for (String genre : it.genres()) {
        String key = ItemIndexSchema.genreKey(genre);
        if (!key.isEmpty()) {
          genreIds.addIfAbsentFrom(
              genreStart, genreIdsByKey.computeIfAbsent(key, k -> genreIdsByKey.size()));
        }
      }
      Arrays.sort(genreIds.array(), genreStart, genreIds.size());
      genreOffsets[item + 1] = genreIds.size();

      itemTerms.clear();
      addTerms(analyzer, ItemIndexSchema.TITLE, List.of(it.title()), itemTerms);
      addTerms(analyzer, ItemIndexSchema.GENRES, it.genres(), itemTerms);
      addTerms(analyzer, ItemIndexSchema.TAGS, it.tags(), itemTerms);
      for (Term term : itemTerms) {
        termIds.add(
            termIdsByTerm.computeIfAbsent(
                term,
                t -> {
                  terms.add(t);
                  return terms.size() - 1;
                }));
      }
      termOffsets[item + 1] = termIds.size();
    }
    return new CatalogView(
        ids,
        Map.copyOf(genreIdsByKey),
        genreOffsets,
        genreIds.toArray(),
        terms.toArray(new Term[0]),
        termOffsets,
        termIds.toArray());
  }

  private static void addTerms(Analyzer analyzer, String field, List<String> values, Set<Term> sink) {
    for (String value : values) {
      TextAnalysis.forEachTerm(analyzer, field, value, text -> sink.add(new Term(field, text)));
    }
  }

  /** Number of items. */
  public int size() {
    return genreOffsets.length - 1;
  }

  /** External item ids by dense id. */
  public IdIndex ids() {
    return ids;
  }

  /** The dense id of an external item id, {@code -1} when unknown. */
  public int indexOf(String itemId) {
    return ids.indexOf(itemId);
  }

  /** The external id of {@code item}. */
  public String id(int item) {
    return ids.id(item);
  }

  /** The id of a genre filter key, {@code -1} when no item carries that genre. */
  public int genreId(String genre) {
    Integer id = genreIdsByKey.get(ItemIndexSchema.genreKey(genre));
    return id == null ? -1 : id;
  }

  /** Whether {@code item} carries a genre whose id is in {@code sortedGenreIds}. */
  public boolean hasAnyGenre(int item, int[] sortedGenreIds) {
    for (int i = genreOffsets[item]; i < genreOffsets[item + 1]; i++) {
      if (Arrays.binarySearch(sortedGenreIds, genreIds[i]) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Number of distinct analysed terms of {@code item}'s text fields. */
  public int termCount(int item) {
    return termOffsets[item + 1] - termOffsets[item];
  }

  /** The vocabulary id of the {@code i}-th distinct analysed term of {@code item}. */
  public int termId(int item, int i) {
    return termIds[termOffsets[item] + i];
  }

  /** The number of distinct analysed terms of the whole catalogue: term ids are {@code 0..n-1}. */
  public int vocabularySize() {
    return terms.length;
  }

  /** The term of vocabulary id {@code termId}. */
  public Term term(int termId) {
    return terms[termId];
  }

  /** A growable int array. */
  private static final class IntBuffer {
    private int[] values;
    private int size;

    IntBuffer(int capacity) {
      values = new int[Math.max(16, capacity)];
    }

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    void addIfAbsentFrom(int from, int value) {
      for (int i = from; i < size; i++) {
        if (values[i] == value) {
          return;
        }
      }
      add(value);
    }

    int size() {
      return size;
    }

    int[] array() {
      return values;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
