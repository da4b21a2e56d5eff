/** Implementation of the PostgreSQL backend; not exported. Audience: dlq's maintainers. */
package dev.dlq.postgres.internal;
