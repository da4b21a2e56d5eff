/** E-mail alerts: {@link dev.dlq.alerts.mail.MailNotifier}, SMTP on Eclipse Angus Mail. */
module dev.dlq.alerts.mail {
  requires transitive dev.dlq.alerts;
  requires transitive jakarta.mail;

  exports dev.dlq.alerts.mail;
}
