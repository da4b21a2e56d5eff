package dev.dlq.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads grouped by name (digits and hex ids folded), to see where a drain
 * spends its CPU when a sampling profiler cannot. On Linux every thread is read from
 * /proc/self/task, JIT compiler and GC threads included (names cut to 15 characters by the
 * kernel); elsewhere only Java threads, through ThreadMXBean. Threads that started and ended
 * between two snapshots are missed.
 */
final class ThreadCpu {
  private final Map<String, Long> cpu = new HashMap<>(); // thread id -> CPU ns
  private final Map<String, String> names = new HashMap<>();
  private long allocated;

  private ThreadCpu() {}

  static ThreadCpu snapshot() {
    ThreadCpu s = new ThreadCpu();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (mx instanceof com.sun.management.ThreadMXBean sun) {
      for (long id : mx.getAllThreadIds()) {
        s.allocated += Math.max(0, sun.getThreadAllocatedBytes(id));
      }
    }
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      try (Stream<Path> list = Files.list(tasks)) {
        list.forEach(t -> {
          try {
            String stat = Files.readString(t.resolve("stat"));
            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            s.cpu.put(t.getFileName().toString(), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L);
            s.names.put(t.getFileName().toString(), comm);
          } catch (IOException | RuntimeException e) {
            // the thread ended meanwhile
          }
        });
        return s;
      } catch (IOException e) {
        s.cpu.clear();
      }
    }
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && mx.getThreadCpuTime(t.getThreadId()) >= 0) {
        s.cpu.put(Long.toString(t.getThreadId()), mx.getThreadCpuTime(t.getThreadId()));
        s.names.put(Long.toString(t.getThreadId()), t.getThreadName());
      }
    }
    return s;
  }

  /** "group=µs/task" for the groups that used the most CPU since {@code before}, and the bytes allocated per task. */
  String since(ThreadCpu before, long tasks) {
    Map<String, Long> byGroup = new HashMap<>();
    for (Map.Entry<String, Long> e : cpu.entrySet()) {
      long d = e.getValue() - before.cpu.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        byGroup.merge(group(names.get(e.getKey())), d, Long::sum);
      }
    }
    StringBuilder sb = new StringBuilder();
    byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
        .forEach(g -> sb.append(String.format(Locale.ROOT, "%s=%.1f ", g.getKey(), g.getValue() / 1000.0 / tasks)));
    sb.append(String.format(Locale.ROOT, "[Java threads allocated %.0f B/task]",
        (double) Math.max(0, allocated - before.allocated) / tasks));
    return sb.toString();
  }

  private static String group(String name) {
    return name.replaceAll("[0-9a-f]{8}", "*").replaceAll("\\d+", "#");
  }
}
