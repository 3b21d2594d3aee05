package dev.recsuite.recall;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.IdIndex;
import dev.recsuite.recall.internal.CandidateFilter;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.internal.CatalogView;
import dev.recsuite.recall.internal.CoOccurrenceSource;
import dev.recsuite.recall.internal.CollaborativeSource;
import dev.recsuite.recall.internal.Factors;
import dev.recsuite.recall.internal.ItemIndex;
import dev.recsuite.recall.internal.ItemIndexSchema;
import dev.recsuite.recall.internal.Popularity;
import dev.recsuite.recall.internal.PopularSource;
import dev.recsuite.recall.internal.RankFusion;
import dev.recsuite.recall.internal.SourceList;
import dev.recsuite.recall.internal.TextSources;
import dev.recsuite.recall.internal.UserHistory;
import dev.recsuite.recall.internal.UserVectors;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes recall candidates for a user from five sources over the item index and merges them.
 *
 * <ul>
 *   <li>COLLABORATIVE: nearest item vectors (maximum inner product, Lucene HNSW) to the user's
 *       vector: the trained vector of a known user, or, for a user without one or whose request
 *       names recent items, the exact least-squares fold-in of their most recent interactions
 *       (request recent items, then training history) given the item factors;
 *   <li>CONTENT: BM25 over title, genres and tags with a query built from the most recent items,
 *       weighted by recency;
 *   <li>QUERY: BM25 for the request's free text, when there is one;
 *   <li>POPULAR: the most interacted-with items of the training data; always on;
 *   <li>CO_OCCURRENCE: the precomputed item-to-item neighbours ({@link CoOccurrenceBuilder}) of the
 *       most recent items, their similarities summed with recency weights; only when the bundle
 *       has them.
 * </ul>
 *
 * "Recent items" are the request's known recent item ids (most recent first), followed by the
 * user's training history from the latest interaction back. Candidates are merged by
 * reciprocal-rank fusion (see {@link RankFusion}) and cut to {@code maxCandidates}. A candidate is
 * never an item the user interacted with in the training data, an item of the request's recent,
 * excluded or disliked lists, or an item failing the genre filters; every source applies these
 * rules. A candidate among the co-occurrence neighbours of a disliked item with a similarity of at
 * least {@link RecallSettings#dislikeSimilarity()} is pushed down: its fused score is multiplied by
 * {@link RecallSettings#dislikePenalty()} before the cut.
 *
 * <p>A query with {@linkplain RecallQuery#candidateItemIds() candidate items} runs every source
 * exactly as without them, then answers with only those items: the ones some source proposed in
 * merge order with their source hits, then the others, without sources, in request order.
 *
 * <p>Two ways to build one, sharing all logic: {@link #open(Bundle, RecallSettings)} for a
 * published bundle (services), {@link #create(Dataset, FactorModel, ItemNeighbours, Path, String,
 * RecallSettings)} for in-process use (the trainer generating ranker training candidates).
 *
 * <p>Tracing: given a {@link Tracer} ({@link #open(Bundle, RecallSettings, Tracer)}), a query served
 * under a sampled span gets one child span per source that runs ({@code recall.collaborative},
 * {@code recall.content}, {@code recall.query}, {@code recall.popular}, {@code
 * recall.co_occurrence}; attributes {@code recsuite.recall.source} and {@code
 * recsuite.recall.candidates}) and one for the merge
 * ({@code recall.merge}, the merged and returned counts). Under an unsampled span, or without a
 * tracer, nothing is created.
 *
 * <p>Thread-safe: all state is immutable after construction and the index is opened once.
 */
public final class RecallEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecallEngine.class);

  /** Sources in {@code RecallSource} number order; list positions in {@link #recall} follow it. */
  private static final RecallSource[] SOURCES = CandidateTable.SOURCES;

  /** The source a source span covers, e.g. {@code COLLABORATIVE}. */
  public static final AttributeKey<String> SOURCE = AttributeKey.stringKey("recsuite.recall.source");
  /** Candidates a source proposed (after filtering), or the merge kept. */
  public static final AttributeKey<Long> CANDIDATES = AttributeKey.longKey("recsuite.recall.candidates");
  /** Candidates the merge returned after the cut (and the restriction to requested items). */
  public static final AttributeKey<Long> RETURNED = AttributeKey.longKey("recsuite.recall.returned");
  /** Items pushed down for their similarity to a disliked item. */
  public static final AttributeKey<Long> DEMOTED = AttributeKey.longKey("recsuite.recall.demoted");

  /** One span name per source, in {@link #SOURCES} order: {@code recall.collaborative}... */
  private static final String[] SPAN_NAMES = {
    "recall.collaborative", "recall.content", "recall.query", "recall.popular", "recall.co_occurrence"
  };

  private static final Tracer NO_TRACER = OpenTelemetry.noop().getTracer("dev.recsuite.recall");

  /** The manifest parameter naming the confidence scaling the factors were trained with. */
  static final String SCALING_PARAMETER = "cf.scaling";

  private final String version;
  private final RecallSettings settings;
  private final IdIndex userIds;
  private final CatalogView catalog;
  private final UserHistory history;
  private final UserVectors userVectors;
  private final Analyzer analyzer;
  private final ItemIndex index;
  private final CollaborativeSource collaborative;
  private final TextSources text;
  private final PopularSource popular;
  private final CoOccurrenceSource coOccurrence;
  private final Tracer tracer;
  private volatile boolean closed;

  private RecallEngine(
      String version,
      RecallSettings settings,
      IdIndex userIds,
      CatalogView catalog,
      UserHistory history,
      Factors factors,
      UserVectors userVectors,
      Analyzer analyzer,
      ItemIndex index,
      Popularity popularity,
      CoOccurrenceSource coOccurrence,
      Tracer tracer) {
    this.version = version;
    this.settings = settings;
    this.userIds = userIds;
    this.catalog = catalog;
    this.history = history;
    this.userVectors = userVectors;
    this.analyzer = analyzer;
    this.index = index;
    this.collaborative = new CollaborativeSource(
            index, factors, settings.maxOverfetch(), CollaborativeSource.EXACT_SCAN_ITEMS_PER_RESULT);
    this.text = new TextSources(index, catalog, analyzer);
    this.popular = new PopularSource(popularity);
    this.coOccurrence = coOccurrence;
    this.tracer = tracer;
  }

  /**
   * Loads the engine of a published bundle: its catalogue, users, training interactions (the seen
   * items and history of every user), collaborative-filtering factors ({@code cf.pb}; without it
   * the COLLABORATIVE source is off), item-to-item neighbours ({@code cooccurrence.pb}; without it
   * the CO_OCCURRENCE source is off, so older bundles load as before) and item index. User
   * vectors are folded in with the regularisation and alpha of {@code cf.pb} and the confidence
   * scaling of the manifest parameter {@code cf.scaling} ({@code LINEAR} when absent).
   *
   * @throws InvalidBundleException naming the bundle if a part is missing, unreadable or
   *     inconsistent with the others
   */
  public static RecallEngine open(Bundle bundle, RecallSettings settings) {
    return open(bundle, settings, NO_TRACER);
  }

  /**
   * Loads the engine of a published bundle, as {@link #open(Bundle, RecallSettings)}, tracing each
   * source and the merge with {@code tracer} (the service's).
   *
   * @throws InvalidBundleException naming the bundle if a part is missing, unreadable or
   *     inconsistent with the others
   */
  public static RecallEngine open(Bundle bundle, RecallSettings settings, Tracer tracer) {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(tracer, "tracer");
    Dataset train;
    try {
      train = BundleTables.readTrainingData(bundle);
    } catch (IllegalArgumentException e) {
      // Duplicate ids or inconsistent tables: the bundle is at fault, not the caller.
      throw new InvalidBundleException(
          "bundle " + bundle.directory() + " (version " + bundle.version() + "): " + e.getMessage(), e);
    }
    FactorModel cf;
    if (bundle.has(BundleFiles.CF)) {
      cf = bundle.read(BundleFiles.CF, FactorModel.parser());
    } else {
      log.warn("bundle {} has no {}: the collaborative source is off", bundle.version(), BundleFiles.CF);
      cf = FactorModel.getDefaultInstance();
    }
    ItemNeighbours neighbours;
    if (bundle.has(BundleFiles.CO_OCCURRENCE)) {
      neighbours = bundle.read(BundleFiles.CO_OCCURRENCE, ItemNeighbours.parser());
    } else {
      log.info(
          "bundle {} has no {}: the co-occurrence source is off", bundle.version(), BundleFiles.CO_OCCURRENCE);
      neighbours = ItemNeighbours.getDefaultInstance();
    }
    if (!bundle.has(BundleFiles.ITEM_INDEX)) {
      throw new InvalidBundleException(
          "bundle " + bundle.directory() + " (version " + bundle.version() + "): has no " + BundleFiles.ITEM_INDEX);
    }
    try {
      AlsParameters.ConfidenceScaling scaling =
          scaling(bundle.manifest().getParametersMap().get(SCALING_PARAMETER));
      return load(
          train, cf, scaling, neighbours, bundle.path(BundleFiles.ITEM_INDEX), bundle.version(), settings, tracer);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      throw new InvalidBundleException(
          "bundle " + bundle.directory() + " (version " + bundle.version() + "): " + e.getMessage(), e);
    }
  }

  private static AlsParameters.ConfidenceScaling scaling(String name) {
    if (name == null) {
      return AlsParameters.ConfidenceScaling.LINEAR;
    }
    try {
      return AlsParameters.ConfidenceScaling.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "manifest parameter %s: %s (expected: LINEAR or LOG)".formatted(SCALING_PARAMETER, name), e);
    }
  }

  /**
   * Builds an engine in process without item-to-item neighbours (CO_OCCURRENCE off); see {@link
   * #create(Dataset, FactorModel, ItemNeighbours, Path, String, RecallSettings)}.
   *
   * @throws IllegalArgumentException if the factors or the index do not match {@code train}
   * @throws IOException if the index cannot be read
   */
  public static RecallEngine create(
      Dataset train, FactorModel factors, Path indexDirectory, String version, RecallSettings settings)
      throws IOException {
    return create(train, factors, ItemNeighbours.getDefaultInstance(), indexDirectory, version, settings);
  }

  /**
   * Builds an engine in process, as the trainer does before a bundle exists:
   *
   * <pre>{@code
   * ItemIndexBuilder.write(train, cf, indexDir);
   * ItemNeighbours neighbours = CoOccurrenceBuilder.build(train.interactions(), train.items().size(), 50);
   * try (RecallEngine engine =
   *     RecallEngine.create(train, cf, neighbours, indexDir, "training", RecallSettings.defaults())) {
   *   RecallResult result = engine.recall(RecallQuery.forUser(userId, 500));
   * }
   * }</pre>
   *
   * User vectors are folded in with the regularisation and alpha of {@code factors} and linear
   * confidence scaling (the trainer's).
   *
   * @param train items, users and the training interactions (the seen set and history)
   * @param factors collaborative-filtering factors in {@code train}'s dense ids; an empty model
   *     turns COLLABORATIVE off
   * @param neighbours item-to-item neighbours in {@code train}'s dense ids, as {@link
   *     CoOccurrenceBuilder} builds them; an empty message turns CO_OCCURRENCE off
   * @param indexDirectory an index written by {@link ItemIndexBuilder} for {@code train} and
   *     {@code factors}
   * @param version the version reported in results
   * @throws IllegalArgumentException if the factors, the neighbours or the index do not match
   *     {@code train}
   * @throws IOException if the index cannot be read
   * @throws NullPointerException if an argument is null
   */
  public static RecallEngine create(
      Dataset train,
      FactorModel factors,
      ItemNeighbours neighbours,
      Path indexDirectory,
      String version,
      RecallSettings settings)
      throws IOException {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(factors, "factors");
    Objects.requireNonNull(neighbours, "neighbours");
    Objects.requireNonNull(indexDirectory, "indexDirectory");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(settings, "settings");
    return load(
        train,
        factors,
        AlsParameters.ConfidenceScaling.LINEAR,
        neighbours,
        indexDirectory,
        version,
        settings,
        NO_TRACER);
  }

  private static RecallEngine load(
      Dataset train,
      FactorModel cf,
      AlsParameters.ConfidenceScaling scaling,
      ItemNeighbours neighbours,
      Path indexDirectory,
      String version,
      RecallSettings settings,
      Tracer tracer)
      throws IOException {
    long started = System.nanoTime();
    int items = train.items().size();
    Factors factors = Factors.of(cf, items, train.users().size());
    UserVectors userVectors =
        UserVectors.of(
            factors,
            UserVectors.foldInParameters(cf, scaling),
            train.interactions(),
            settings.foldInItems());
    CoOccurrenceSource coOccurrence = CoOccurrenceSource.of(neighbours, items);
    Analyzer analyzer = ItemIndexSchema.newAnalyzer();
    boolean success = false;
    try {
      CatalogView catalog = CatalogView.of(train.items(), train.itemIds(), analyzer);
      ItemIndex index = ItemIndex.open(indexDirectory, catalog, factors.dimension());
      RecallEngine engine =
          new RecallEngine(
              version,
              settings,
              train.userIds(),
              catalog,
              UserHistory.of(train.interactions()),
              factors,
              userVectors,
              analyzer,
              index,
              Popularity.of(train.interactions(), items),
              coOccurrence,
              tracer);
      success = true;
      log.info(
          "recall engine {} loaded: {} items, {} users, {} interactions, {} factors, {} co-occurrence neighbours{}, in {} ms",
          version,
          items,
          train.users().size(),
          train.interactions().size(),
          factors.dimension(),
          coOccurrence.size(),
          coOccurrence.isOn() ? " (" + coOccurrence.similarity() + ")" : "",
          (System.nanoTime() - started) / 1_000_000);
      return engine;
    } finally {
      if (!success) {
        analyzer.close();
      }
    }
  }

  /**
   * Proposes candidates for {@code query}.
   *
   * @throws IllegalStateException if the engine is closed
   * @throws UncheckedIOException if the index cannot be read
   */
  public RecallResult recall(RecallQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException("recall engine " + version + " is closed");
    }
    int user = userIds.indexOf(query.userId());
    int[] requestRecent = resolve(query.recentItemIds());
    int[] excluded = resolve(query.excludedItemIds());
    int[] disliked = resolve(query.dislikedItemIds());
    int[] blocked = new int[requestRecent.length + excluded.length + disliked.length];
    System.arraycopy(requestRecent, 0, blocked, 0, requestRecent.length);
    System.arraycopy(excluded, 0, blocked, requestRecent.length, excluded.length);
    System.arraycopy(disliked, 0, blocked, requestRecent.length + excluded.length, disliked.length);
    CandidateFilter filter =
        CandidateFilter.of(catalog, history, user, blocked, query.includeGenres(), query.excludeGenres());

    int[] recent = new int[Math.max(settings.contentRecentItems(), settings.coOccurrenceRecentItems())];
    int recentCount = 0;
    for (int item : requestRecent) {
      recentCount = UserHistory.appendDistinct(recent, recentCount, item);
    }
    if (user >= 0) {
      recentCount = history.appendRecent(user, recent, recentCount);
    }

    // Spans only under a sampled span: an unsampled request pays one thread-local read.
    boolean traced = Span.current().isRecording();
    int contentSeeds = Math.min(recentCount, settings.contentRecentItems());
    int coOccurrenceSeeds = Math.min(recentCount, settings.coOccurrenceRecentItems());
    SourceList[] lists = new SourceList[SOURCES.length];
    Span span = sourceSpan(traced && settings.collaborativeQuota() > 0 && collaborative.isOn(), 0);
    lists[0] =
        collaborative.collect(
            userVectors.vector(user, requestRecent), settings.collaborativeQuota(), filter);
    endSourceSpan(span, lists[0]);
    span = sourceSpan(traced && settings.contentQuota() > 0 && contentSeeds > 0, 1);
    lists[1] = text.content(recent, contentSeeds, settings.contentQuota(), filter);
    endSourceSpan(span, lists[1]);
    span = sourceSpan(traced && settings.queryQuota() > 0 && !query.text().isBlank(), 2);
    lists[2] = text.query(query.text(), settings.queryQuota(), filter);
    endSourceSpan(span, lists[2]);
    span = sourceSpan(traced && settings.popularQuota() > 0, 3);
    lists[3] = popular.collect(settings.popularQuota(), filter);
    endSourceSpan(span, lists[3]);
    span =
        sourceSpan(
            traced && settings.coOccurrenceQuota() > 0 && coOccurrenceSeeds > 0 && coOccurrence.isOn(), 4);
    lists[4] = coOccurrence.collect(recent, coOccurrenceSeeds, settings.coOccurrenceQuota(), filter);
    endSourceSpan(span, lists[4]);

    boolean restricted = query.restricted();
    Span merge = traced ? tracer.spanBuilder("recall.merge").startSpan() : Span.getInvalid();
    int[] demoted = coOccurrence.similarTo(disliked, settings.dislikeSimilarity());
    RankFusion.Merged merged =
        RankFusion.merge(
            lists,
            settings.rrfK(),
            restricted ? Integer.MAX_VALUE : query.maxCandidates(),
            item -> Arrays.binarySearch(demoted, item) >= 0,
            demoted.length == 0 ? 1.0 : settings.dislikePenalty());
    CandidateTable candidates =
        restricted
            ? restrictedCandidates(merged, lists, query, filter)
            : mergedCandidates(merged, lists, query.maxCandidates());
    if (traced) {
      merge.setAttribute(CANDIDATES, (long) merged.size());
      merge.setAttribute(RETURNED, (long) candidates.size());
      merge.setAttribute(DEMOTED, (long) demoted.length);
      merge.end();
    }
    Map<RecallSource, Integer> counts = new EnumMap<>(RecallSource.class);
    for (int s = 0; s < SOURCES.length; s++) {
      counts.put(SOURCES[s], lists[s].size());
    }
    return new RecallResult(candidates, user >= 0, counts, version);
  }

  /** The span of source {@code s} when {@code start}, else the invalid span. */
  private Span sourceSpan(boolean start, int s) {
    if (!start) {
      return Span.getInvalid();
    }
    String source = sourceName(s);
    return tracer
        .spanBuilder(SPAN_NAMES[s])
        .setAttribute(SOURCE, source)
        .startSpan();
  }

  private static void endSourceSpan(Span span, SourceList list) {
    if (span.isRecording()) {
      span.setAttribute(CANDIDATES, (long) list.size());
      span.end();
    }
  }

  /** The source's name without the proto prefix, e.g. {@code CO_OCCURRENCE}. */
  static String sourceName(int s) {
    return SOURCES[s].name().substring("RECALL_SOURCE_".length());
  }

  private CandidateTable mergedCandidates(RankFusion.Merged merged, SourceList[] lists, int limit) {
    int size = Math.min(limit, merged.size());
    CandidateTable.Builder candidates = CandidateTable.builder(size);
    for (int position = 0; position < size; position++) {
      addCandidate(candidates, merged, lists, position);
    }
    return candidates.build();
  }

  /**
   * The requested candidate items that are known and admissible: first those some source proposed,
   * in merge order with their hits, then the others in request order, without sources.
   */
  private CandidateTable restrictedCandidates(
      RankFusion.Merged merged, SourceList[] lists, RecallQuery query, CandidateFilter filter) {
    int[] requested = resolve(query.candidateItemIds());
    int[] sorted = requested.clone();
    Arrays.sort(sorted);
    boolean[] proposed = new boolean[sorted.length];
    int limit = Math.min(query.maxCandidates(), requested.length);
    CandidateTable.Builder candidates = CandidateTable.builder(limit);
    int size = 0;
    for (int position = 0; position < merged.size() && size < limit; position++) {
      int slot = Arrays.binarySearch(sorted, merged.item(position));
      if (slot >= 0) {
        // Mark every copy of a repeated id, whichever the binary search found.
        markAll(sorted, proposed, slot);
        addCandidate(candidates, merged, lists, position);
        size++;
      }
    }
    for (int item : requested) {
      if (size >= limit) {
        break;
      }
      int slot = Arrays.binarySearch(sorted, item);
      if (!proposed[slot] && filter.accepts(item)) {
        markAll(sorted, proposed, slot);
        candidates.add(item, catalog.id(item), 0);
        size++;
      }
    }
    return candidates.build();
  }

  private static void markAll(int[] sorted, boolean[] marks, int slot) {
    int item = sorted[slot];
    for (int i = slot; i >= 0 && sorted[i] == item; i--) {
      marks[i] = true;
    }
    for (int i = slot + 1; i < sorted.length && sorted[i] == item; i++) {
      marks[i] = true;
    }
  }

  /** Appends the merged candidate at {@code position} with its hits ({@code SOURCES} is in number order). */
  private void addCandidate(
      CandidateTable.Builder candidates, RankFusion.Merged merged, SourceList[] lists, int position) {
    int item = merged.item(position);
    int c = candidates.add(item, catalog.id(item), merged.fusedScore(position));
    for (int s = 0; s < SOURCES.length; s++) {
      int rank = merged.rankIn(s, position);
      if (rank >= 0) {
        candidates.hit(c, s, rank, lists[s].score(rank));
      }
    }
  }

  /** Dense ids of the known ids among {@code ids}, in order; unknown ids are normal and skipped. */
  private int[] resolve(List<String> ids) {
    int[] items = new int[ids.size()];
    int size = 0;
    for (String id : ids) {
      int item = catalog.indexOf(id);
      if (item >= 0) {
        items[size++] = item;
      }
    }
    return size == items.length ? items : Arrays.copyOf(items, size);
  }

  /** Whether {@code userId} is in the training data. */
  public boolean isKnownUser(String userId) {
    return userIds.indexOf(userId) >= 0;
  }

  /** The bundle (or in-process model) version. */
  public String version() {
    return version;
  }

  /** The settings the engine runs with. */
  public RecallSettings settings() {
    return settings;
  }

  /** Number of items in the catalogue. */
  public int itemCount() {
    return catalog.size();
  }

  /** Number of users in the training data. */
  public int userCount() {
    return userIds.size();
  }

  /**
   * Closes the index; requests still running may fail. Idempotent.
   *
   * @throws UncheckedIOException if the index cannot be closed
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      IOUtils.close(index, analyzer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close recall engine " + version, e);
    }
  }

  @Override
  public String toString() {
    return "RecallEngine[" + version + ", " + catalog.size() + " items, " + userIds.size() + " users]";
  }
}
