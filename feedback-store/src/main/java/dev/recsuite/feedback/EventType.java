package dev.recsuite.feedback;

import dev.recsuite.feedback.internal.Text;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user did with an item. Each type has a documented default {@link #weight() weight}: the
 * strength of the interest it shows, used for an item's decayed popularity and a user's category
 * affinity.
 *
 * <table>
 *   <caption>Types and weights</caption>
 *   <tr><th>Type</th><th>Weight</th><th>Value</th><th>Enters the recent items</th></tr>
 *   <tr><td>{@link #VIEW}</td><td>1</td><td>0</td><td>yes</td></tr>
 *   <tr><td>{@link #CLICK}</td><td>2</td><td>0</td><td>yes</td></tr>
 *   <tr><td>{@link #ADD_TO_CART}</td><td>3</td><td>0</td><td>yes</td></tr>
 *   <tr><td>{@link #SHARE}</td><td>3</td><td>0</td><td>yes</td></tr>
 *   <tr><td>{@link #RATING}</td><td>3</td><td>the rating, {@value FeedbackEvent#MIN_RATING} to
 *       {@value FeedbackEvent#MAX_RATING}</td><td>yes</td></tr>
 *   <tr><td>{@link #LIKE}</td><td>4</td><td>0</td><td>yes</td></tr>
 *   <tr><td>{@link #PURCHASE}</td><td>5</td><td>0</td><td>yes</td></tr>
 *   <tr><td>{@link #DISLIKE}</td><td>-4</td><td>0</td><td>no: the disliked items instead</td></tr>
 * </table>
 *
 * <p>A rating's weight does not depend on its value: any rating shows that the user engaged with
 * the item; its value is kept apart (rating count and sum) for mean-rating features.
 */
public enum EventType {
  /** The item was shown to the user and looked at (an impression the client chose to report). */
  VIEW(1.0),
  /** The user opened the item. */
  CLICK(2.0),
  /** The user put the item in a basket. */
  ADD_TO_CART(3.0),
  /** The user shared the item. */
  SHARE(3.0),
  /** An explicit rating; the only type whose event carries a value. */
  RATING(3.0),
  /** The user liked the item. */
  LIKE(4.0),
  /** The user bought the item. */
  PURCHASE(5.0),
  /** The user said they do not want the item: it is listed among the disliked items. */
  DISLIKE(-4.0);

  private static final String NAMES =
      Arrays.stream(values())
          .map(type -> type.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));

  private final double weight;

  EventType(double weight) {
    this.weight = weight;
  }

  /**
   * The default weight of this type (see the table above): positive for interest, negative for a
   * dislike. A user's category affinity adds it for each category of the item.
   */
  public double weight() {
    return weight;
  }

  /**
   * What one event of this type adds to an item's popularity before decay: the {@link #weight()}
   * when positive, else 0 (a dislike neither raises nor lowers popularity).
   */
  public double popularityWeight() {
    return Math.max(0.0, weight);
  }

  /** Whether an event of this type carries a value: only {@link #RATING}. */
  public boolean carriesValue() {
    return this == RATING;
  }

  /** Whether an event of this type puts its item among the user's recent items (all but DISLIKE). */
  public boolean entersRecentItems() {
    return this != DISLIKE;
  }

  /**
   * Parses a type name as clients send it, ignoring case: {@code "click"}, {@code "ADD_TO_CART"}.
   *
   * @throws InvalidFeedbackException naming {@code type} if {@code name} is null or not a type,
   *     e.g. {@code type: "hover" is not an event type (expected: one of view, click, ...)}
   */
  public static EventType parse(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidFeedbackException("type", "must not be empty (expected: one of " + NAMES + ")");
    }
    for (EventType type : values()) {
      if (type.name().equalsIgnoreCase(name)) {
        return type;
      }
    }
    throw new InvalidFeedbackException(
        "type", Text.quote(name) + " is not an event type (expected: one of " + NAMES + ")");
  }
}
