/**
 * The ranking service and its model: {@link dev.recsuite.ranking.RankingFeatures} (the model's
 * input, shared with the offline trainer), {@link dev.recsuite.ranking.Ranker} and {@link
 * dev.recsuite.ranking.LinearRanker} (scoring), {@link dev.recsuite.ranking.TrainingSet} and {@link
 * dev.recsuite.ranking.LogisticRankerTrainer} (fitting), {@link dev.recsuite.ranking.ServingModel}
 * and {@link dev.recsuite.ranking.CurrentModel} (loading and swapping), and the process ({@link
 * dev.recsuite.ranking.RankingServiceMain}, {@link dev.recsuite.ranking.RankingServiceModule},
 * {@link dev.recsuite.ranking.RankingServiceConfig}).
 */
package dev.recsuite.ranking;
