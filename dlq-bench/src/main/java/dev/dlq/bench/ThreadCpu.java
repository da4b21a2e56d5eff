package dev.dlq.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's Java threads grouped by name (digits and hex ids folded), to see where a
 * drain spends its CPU when a sampling profiler cannot: threads that started and ended between two
 * snapshots are missed; JIT and GC threads are not Java threads and show only in the total.
 */
final class ThreadCpu {
  private final Map<Long, Long> cpu = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();

  private ThreadCpu() {}

  static ThreadCpu snapshot() {
    ThreadCpu s = new ThreadCpu();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long c = mx.getThreadCpuTime(t.getThreadId());
      if (c >= 0) {
        s.cpu.put(t.getThreadId(), c);
        s.names.put(t.getThreadId(), t.getThreadName());
      }
    }
    return s;
  }

  /** "group=µs/task" for the groups that used the most CPU since {@code before}. */
  String since(ThreadCpu before, long tasks, long jvmCpuNanos) {
    Map<String, Long> byGroup = new HashMap<>();
    long sum = 0;
    for (Map.Entry<Long, Long> e : cpu.entrySet()) {
      long d = e.getValue() - before.cpu.getOrDefault(e.getKey(), 0L);
      if (d <= 0) {
        continue;
      }
      sum += d;
      byGroup.merge(group(names.get(e.getKey())), d, Long::sum);
    }
    Map<String, Long> top = byGroup.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    StringBuilder sb = new StringBuilder();
    top.forEach((g, d) -> sb.append(String.format(java.util.Locale.ROOT, "%s=%.1f ", g, d / 1000.0 / tasks)));
    if (jvmCpuNanos >= 0) {
      sb.append(String.format(java.util.Locale.ROOT, "[not Java threads (JIT, GC)=%.1f]",
          Math.max(0, jvmCpuNanos - sum) / 1000.0 / tasks));
    }
    return sb.toString().trim();
  }

  private static String group(String name) {
    return name.replaceAll("[0-9a-f]{8}", "*").replaceAll("\\d+", "#");
  }
}
