/**
 * The ranking service and its models: {@link dev.recsuite.ranking.RankingFeatures} (the model's
 * input, shared with the offline trainer), {@link dev.recsuite.ranking.Ranker} with {@link
 * dev.recsuite.ranking.LinearRanker} (logistic regression, kind {@code logistic}) and {@link
 * dev.recsuite.ranking.FactorizationMachineRanker} (second-order factorisation machine, kind {@code
 * fm}) for scoring, {@link dev.recsuite.ranking.TrainingSet}, {@link
 * dev.recsuite.ranking.LogisticRankerTrainer} and {@link
 * dev.recsuite.ranking.FactorizationMachineTrainer} for fitting, {@link
 * dev.recsuite.ranking.ServingModel} (loading a bundle's model and its {@link
 * dev.recsuite.ranking.StaticItemFeatures}), and the process ({@link dev.recsuite.ranking.RankingServiceMain}, {@link
 * dev.recsuite.ranking.RankingServiceModule}, {@link dev.recsuite.ranking.RankingServiceConfig}).
 */
package dev.recsuite.ranking;
