/**
 * The SQS backend's implementation: receive decoding, batched deletes and visibility changes,
 * the providers and the SDK error classifier. Not exported; audience: maintainers of dlq-sqs.
 */
package dev.dlq.sqs.internal;
