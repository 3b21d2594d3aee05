/**
 * The evaluation harness: {@link dev.recsuite.evaluation.EvaluateCommand} ({@code recsuite
 * evaluate}) measures the suite through the gateway and in process, beside baselines, under the
 * leave-last-out full-ranking protocol and the sampled protocol of the NCF paper. {@link
 * dev.recsuite.evaluation.Metrics} defines every figure; {@link dev.recsuite.evaluation.LocalSuite}
 * runs the four services in one JVM.
 */
package dev.recsuite.evaluation;
