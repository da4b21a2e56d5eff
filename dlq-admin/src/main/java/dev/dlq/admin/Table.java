package dev.dlq.admin;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows printed as a table whose columns are as wide as their widest cell, or as CSV (RFC 4180
 * quoting). Every cell is cleaned of control characters first ({@link Text#clean}).
 */
final class Table {
  /** How a read prints: {@code --output table|json|csv}. */
  enum Output { table, json, csv }

  private static final int MAX_CELL = 2000;
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(Text.clean(String.valueOf(c), MAX_CELL));
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out, Output how) {
    if (how == Output.csv) {
      out.println(csvLine(headers));
      rows.forEach(r -> out.println(csvLine(r)));
      return;
    }
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).codePointCount(0, r.get(i).length()));
      }
    }
    out.println(line(headers, width));
    rows.forEach(r -> out.println(line(r, width)));
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      b.append(c);
      if (i < cells.size() - 1) {
        b.append(" ".repeat(width[i] - c.codePointCount(0, c.length()) + 2));
      }
    }
    return b.toString().stripTrailing();
  }

  static String csvLine(List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      String c = cells.get(i);
      b.append(c.matches("[A-Za-z0-9_.:+\\- ]*") ? c : "\"" + c.replace("\"", "\"\"") + "\"");
    }
    return b.toString();
  }
}
