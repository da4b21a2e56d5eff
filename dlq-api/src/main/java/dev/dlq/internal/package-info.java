/** Implementation of the engine; not exported, not API. */
package dev.dlq.internal;
