/** For users: the SMTP e-mail notifier of dlq-alerts. */
package dev.dlq.alerts.mail;
