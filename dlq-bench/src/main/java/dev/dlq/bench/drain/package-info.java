/**
 * The end-to-end drain contenders run by {@link dev.dlq.bench.Drain}: each fills its own tables (or
 * queue, or stream) untimed, then drains N tasks with the clock running.
 */
package dev.dlq.bench.drain;
