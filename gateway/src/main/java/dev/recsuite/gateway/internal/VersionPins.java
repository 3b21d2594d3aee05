package dev.recsuite.gateway.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The bundle version the gateway pins requests to: the newest version that every tier has loaded,
 * learnt from the {@code newest_bundle_version} of the tiers' answers. While tiers swap to a new
 * bundle one after the other, requests stay on the version all of them still serve (each keeps the
 * previous one for a retention period), so no request mixes versions; once every tier has loaded
 * the new one, requests move to it. Empty until every tier has answered once: the first requests
 * are unpinned. Thread-safe.
 */
public final class VersionPins {

  private final AtomicReference<String> recall = new AtomicReference<>("");
  private final AtomicReference<String> features = new AtomicReference<>("");
  private final AtomicReference<String> ranking = new AtomicReference<>("");

  /** The version to pin the next request to, or the empty string (serve the newest). */
  public String current() {
    String r = recall.get();
    String f = features.get();
    String k = ranking.get();
    if (r.isEmpty() || f.isEmpty() || k.isEmpty()) {
      return "";
    }
    String oldest = r.compareTo(f) <= 0 ? r : f;
    return oldest.compareTo(k) <= 0 ? oldest : k;
  }

  public void recallLoaded(String newest) {
    advance(recall, newest);
  }

  public void featuresLoaded(String newest) {
    advance(features, newest);
  }

  public void rankingLoaded(String newest) {
    advance(ranking, newest);
  }

  /** Versions only move forward (they sort by creation time); answers may arrive out of order. */
  private static void advance(AtomicReference<String> loaded, String newest) {
    if (!newest.isEmpty()) {
      loaded.accumulateAndGet(newest, (known, seen) -> seen.compareTo(known) > 0 ? seen : known);
    }
  }
}
