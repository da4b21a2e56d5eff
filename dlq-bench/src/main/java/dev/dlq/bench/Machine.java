package dev.dlq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on, printed with them. */
public final class Machine {
  private Machine() {}

  /** "2 cores, 23.4 GiB, OpenJDK 64-Bit Server VM 17.0.15, Linux 6.1 amd64". */
  public static String describe() {
    return Runtime.getRuntime().availableProcessors() + " cores, " + memory() + ", "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("\\D+", ""));
          return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "memory unknown";
  }

  /** The 1-minute load average, or -1 where the platform does not say. */
  public static double load() {
    try {
      List<String> l = Files.readAllLines(Path.of("/proc/loadavg"));
      return Double.parseDouble(l.get(0).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }

  /** CPU time this JVM has used, in nanoseconds, or -1 where the platform does not say. */
  public static long jvmCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** CPU time all processes of the machine have used so far (/proc/stat), in nanoseconds; -1 where unknown. */
  public static long machineBusyNanos() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long ticks = 0;
      // user nice system idle iowait irq softirq steal: count all but idle and iowait
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU time used so far by the processes whose command line starts with {@code command}, in nanoseconds. */
  public static long processCpuNanos(String command) {
    long ticks = 0;
    try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
          if (cmd.startsWith(command)) {
            String stat = Files.readString(p.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException | RuntimeException e) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 10_000_000L;
  }

  /**
   * CPU time used so far by the local PostgreSQL processes that work for {@code database} (their
   * command line names it) plus the server's WAL writer, in nanoseconds; -1 when there is no /proc
   * or the server is not on this machine (then nothing matches and the figure is 0).
   */
  public static long postgresCpuNanos(String database) {
    long ticks = 0;
    try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
          if (!cmd.startsWith("postgres") || !(cmd.contains(" " + database + " ") || cmd.contains("walwriter"))) {
            continue;
          }
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  /** Whether other work used more than a quarter of a core on average during a measurement. */
  public static boolean loaded(double otherCores) {
    return otherCores > 0.25;
  }
}
