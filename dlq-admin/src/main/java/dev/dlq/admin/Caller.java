package dev.dlq.admin;

/** Who sent a request: the audit name and what the role lets them do. */
record Caller(String name, AdminServer.Role role) {
  boolean may(AdminServer.Role needed) {
    return role.ordinal() >= needed.ordinal();
  }

  void require(AdminServer.Role needed, String action) {
    if (!may(needed)) {
      throw new HttpError(403, "'" + name + "' has the role " + role.label() + "; " + action + " needs "
          + needed.label());
    }
  }
}
