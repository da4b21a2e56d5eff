/**
 * For users: alert rules, the monitor, notifiers, durable delivery, user notifications and
 * auto-recovery. See docs/alerts.md.
 */
package dev.dlq.alerts;
