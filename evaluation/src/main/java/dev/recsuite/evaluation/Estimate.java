package dev.recsuite.evaluation;

/**
 * A metric averaged over users, with its uncertainty.
 *
 * @param mean the mean over users
 * @param lower lower end of the 95% bootstrap percentile interval of the mean
 * @param upper upper end of the 95% bootstrap percentile interval of the mean
 * @param standardError the standard error of the mean (sample standard deviation / sqrt(users))
 */
public record Estimate(double mean, double lower, double upper, double standardError) {

  /** A value without uncertainty (a figure over all users at once, such as coverage). */
  public static Estimate exact(double value) {
    return new Estimate(value, value, value, 0);
  }
}
