package dev.recsuite.core.split;

import dev.recsuite.core.data.Interactions;

/**
 * Interactions divided into a training part and a held-out part over the same users and items.
 *
 * @param train interactions to learn from
 * @param holdout held-out interactions, at most one per user for {@link LeaveLastOut}
 */
public record TrainTestSplit(Interactions train, Interactions holdout) {}
