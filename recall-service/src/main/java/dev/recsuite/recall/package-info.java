/**
 * The recall service: {@link dev.recsuite.recall.ItemIndexBuilder} writes the Lucene item index and
 * {@link dev.recsuite.recall.CoOccurrenceBuilder} the item-to-item neighbours,
 * {@link dev.recsuite.recall.RecallEngine} proposes and merges candidates from them (in a service
 * or in process), {@link dev.recsuite.recall.RecallGrpcService} serves it over gRPC and {@link
 * dev.recsuite.recall.RecallServiceMain} runs the process.
 */
package dev.recsuite.recall;
