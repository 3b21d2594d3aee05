package dev.recsuite.evaluation;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.evaluation.internal.UserItemMatrix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The users a protocol evaluates, one held-out item each.
 *
 * @param protocol the protocol
 * @param cases one case per evaluated user, in dense user order
 * @param negatives where the sampled protocol's negatives come from (empty for full ranking)
 * @param skipped users left out because their held-out item is also in their training history (a
 *     repeated interaction no method may recommend, since seen items are excluded)
 */
public record TestSet(Protocol protocol, List<TestCase> cases, String negatives, int skipped) {

  /** Negatives per user in the sampled protocol of the NCF paper. */
  public static final int DEFAULT_NEGATIVES = 99;

  /** Copies {@code cases}. */
  public TestSet {
    Objects.requireNonNull(protocol, "protocol");
    cases = List.copyOf(cases);
    Objects.requireNonNull(negatives, "negatives");
  }

  /**
   * The full-ranking cases: every user with a held-out interaction.
   *
   * @param train the bundle's training data (items, users, training interactions)
   * @param holdout the held-out interactions, at most one per user
   * @throws IllegalArgumentException if a user has more than one held-out interaction
   */
  public static TestSet fullRanking(Dataset train, Interactions holdout) {
    UserItemMatrix matrix = UserItemMatrix.of(train.interactions(), train.items().size());
    List<TestCase> cases = new ArrayList<>();
    int skipped = 0;
    for (int row = 0; row < holdout.size(); row++) {
      int user = user(holdout, row, train);
      int item = holdout.item(row);
      if (matrix.seen(user, item)) {
        skipped++;
        continue;
      }
      cases.add(new TestCase(user, train.users().get(user).id(), train.items().get(item).id(), List.of()));
    }
    return new TestSet(Protocol.FULL_RANKING, cases, "", skipped);
  }

  /**
   * The sampled cases with {@code negatives} items per user drawn uniformly, without replacement,
   * from the items the user never interacted with (training history and held-out item); fewer when
   * the catalogue has fewer. Each user's draw and candidate order come from a generator seeded by
   * {@code seed} and the user's dense id, so the set does not depend on evaluation order.
   *
   * @throws IllegalArgumentException if {@code negatives < 1} or a user has more than one
   *     held-out interaction
   */
  public static TestSet sampled(Dataset train, Interactions holdout, int negatives, long seed) {
    if (negatives < 1) {
      throw new IllegalArgumentException("negatives: " + negatives + " (expected: >= 1)");
    }
    int itemCount = train.items().size();
    UserItemMatrix matrix = UserItemMatrix.of(train.interactions(), itemCount);
    List<TestCase> cases = new ArrayList<>();
    int skipped = 0;
    for (int row = 0; row < holdout.size(); row++) {
      int user = user(holdout, row, train);
      int held = holdout.item(row);
      if (matrix.seen(user, held)) {
        skipped++;
        continue;
      }
      SplittableRandom random = random(seed, user);
      int unseen = itemCount - matrix.itemCountOf(user) - 1;
      List<String> candidates = new ArrayList<>(negatives + 1);
      candidates.add(train.items().get(held).id());
      if (unseen <= negatives) {
        for (int item = 0; item < itemCount; item++) {
          if (item != held && !matrix.seen(user, item)) {
            candidates.add(train.items().get(item).id());
          }
        }
      } else {
        Set<Integer> drawn = new HashSet<>();
        while (drawn.size() < negatives) {
          int item = random.nextInt(itemCount);
          if (item != held && !matrix.seen(user, item) && drawn.add(item)) {
            candidates.add(train.items().get(item).id());
          }
        }
      }
      shuffle(candidates, random);
      cases.add(new TestCase(user, train.users().get(user).id(), train.items().get(held).id(), candidates));
    }
    return new TestSet(
        Protocol.SAMPLED, cases, negatives + " unseen items per user, uniform, seed " + seed, skipped);
  }

  /**
   * The sampled cases with fixed negatives, such as those of an NCF {@code test.negative} file.
   * Every user with a held-out interaction must have negatives, and every negative must be in the
   * catalogue and unseen by the user; the candidates are shuffled as in {@link #sampled(Dataset,
   * Interactions, int, long)}.
   *
   * @param negativesByUser negatives by external user id
   * @param source where the negatives come from, for the report
   * @throws IllegalArgumentException naming the user and item if a negative is unknown, seen, the
   *     held-out item itself, or a user lacks negatives
   */
  public static TestSet sampled(
      Dataset train, Interactions holdout, Map<String, List<String>> negativesByUser, String source, long seed) {
    UserItemMatrix matrix = UserItemMatrix.of(train.interactions(), train.items().size());
    List<TestCase> cases = new ArrayList<>();
    int skipped = 0;
    for (int row = 0; row < holdout.size(); row++) {
      int user = user(holdout, row, train);
      String userId = train.users().get(user).id();
      String heldId = train.items().get(holdout.item(row)).id();
      List<String> negatives = negativesByUser.get(userId);
      if (negatives == null) {
        throw new IllegalArgumentException(
            "negatives: none for user '%s', who has a held-out item ('%s')".formatted(userId, heldId));
      }
      if (matrix.seen(user, holdout.item(row))) {
        skipped++;
        continue;
      }
      List<String> candidates = new ArrayList<>(negatives.size() + 1);
      candidates.add(heldId);
      for (String negative : negatives) {
        int item = train.itemIds().indexOf(negative);
        if (item < 0) {
          throw new IllegalArgumentException(
              "negatives of user '%s': item '%s' is not in the catalogue".formatted(userId, negative));
        }
        if (matrix.seen(user, item) || negative.equals(heldId)) {
          throw new IllegalArgumentException(
              "negatives of user '%s': item '%s' is the user's own (training or held-out) item"
                  .formatted(userId, negative));
        }
        candidates.add(negative);
      }
      shuffle(candidates, random(seed, user));
      cases.add(new TestCase(user, userId, heldId, candidates));
    }
    return new TestSet(Protocol.SAMPLED, cases, source, skipped);
  }

  /**
   * At most {@code maxUsers} of the cases, drawn uniformly with {@code seed} and kept in user
   * order; this set itself when it is not larger.
   *
   * @throws IllegalArgumentException if {@code maxUsers < 1}
   */
  public TestSet limit(int maxUsers, long seed) {
    if (maxUsers < 1) {
      throw new IllegalArgumentException("maxUsers: " + maxUsers + " (expected: >= 1)");
    }
    if (cases.size() <= maxUsers) {
      return this;
    }
    List<Integer> positions = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      positions.add(i);
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = positions.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      positions.set(i, positions.set(j, positions.get(i)));
    }
    List<Integer> kept = new ArrayList<>(positions.subList(0, maxUsers));
    kept.sort(null);
    List<TestCase> subset = new ArrayList<>(maxUsers);
    for (int position : kept) {
      subset.add(cases.get(position));
    }
    return new TestSet(protocol, subset, negatives, skipped);
  }

  private static int user(Interactions holdout, int row, Dataset train) {
    int user = holdout.user(row);
    if (row > 0 && holdout.user(row - 1) == user) {
      throw new IllegalArgumentException(
          "holdout: user '%s' has more than one held-out interaction (expected: at most one per user)"
              .formatted(train.users().get(user).id()));
    }
    return user;
  }

  /**
   * A generator per (seed, user). Hashed, because SplittableRandom's streams for seeds that differ
   * by a multiple of its increment are shifted copies of each other.
   */
  private static SplittableRandom random(long seed, int user) {
    return new SplittableRandom(mix(seed ^ mix(user + 0x632BE59BD9B4E019L)));
  }

  /** The finaliser of MurmurHash3's 64-bit variant. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  private static void shuffle(List<String> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      list.set(i, list.set(j, list.get(i)));
    }
  }
}
