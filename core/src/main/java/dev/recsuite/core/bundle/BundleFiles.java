package dev.recsuite.core.bundle;

/** Names of the files and directories of a model bundle, relative to the bundle directory. */
public final class BundleFiles {

  /** The manifest ({@code BundleManifest} as JSON); written last. */
  public static final String MANIFEST = "manifest.json";
  /** Items in dense-id order ({@code ItemCatalog}). */
  public static final String CATALOG = "catalog.pb";
  /** Users in dense-id order ({@code UserDirectory}). */
  public static final String USERS = "users.pb";
  /** Training interactions ({@code InteractionLog}). */
  public static final String INTERACTIONS = "interactions.pb";
  /** Held-out interactions ({@code InteractionLog}). */
  public static final String HOLDOUT = "holdout.pb";
  /** Aggregate user and item features ({@code FeatureTables}). */
  public static final String FEATURES = "features.pb";
  /** Collaborative-filtering factors ({@code FactorModel}). */
  public static final String CF = "cf.pb";
  /** Item-to-item neighbours ({@code ItemNeighbours}). */
  public static final String CO_OCCURRENCE = "cooccurrence.pb";
  /** The ranking model ({@code RankerModel}). */
  public static final String RANKER = "ranker.pb";
  /** The Lucene item index (a directory). */
  public static final String ITEM_INDEX = "item-index";

  /** The bundle layout version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private BundleFiles() {}
}
