/**
 * Collaborative filtering by implicit-feedback matrix factorisation: {@link
 * dev.recsuite.recall.cf.ImplicitAls} trains a {@link dev.recsuite.recall.cf.FactorModel} with
 * {@link dev.recsuite.recall.cf.AlsParameters}; {@link dev.recsuite.recall.cf.UserFolder} computes
 * vectors for users the model has not seen.
 */
package dev.recsuite.recall.cf;
