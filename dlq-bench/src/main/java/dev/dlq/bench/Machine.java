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

  /** Whether something else is using the machine: a 1-minute load above a third of the cores. */
  public static boolean loaded(double load) {
    return load > Runtime.getRuntime().availableProcessors() / 3.0;
  }
}
