package dev.recsuite.datasets.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Release years in MovieLens titles such as {@code Toy Story (1995)}. */
public final class Titles {

  // The last "(1995)" of the title; "(1995) (V)" and series ranges such as "(2004-2009)" or
  // "(2010– )" in ml-latest also count, taking the first year.
  private static final Pattern YEAR =
      Pattern.compile("\\((\\d{4})(?:\\s*[-\u2013]\\s*\\d{0,4}\\s*)?\\)");

  private Titles() {}

  /** The year in the last parenthesised four-digit group of {@code title}, 0 if there is none. */
  public static int yearOf(String title) {
    Matcher matcher = YEAR.matcher(title);
    int year = 0;
    while (matcher.find()) {
      year = Integer.parseInt(matcher.group(1));
    }
    return year;
  }
}
