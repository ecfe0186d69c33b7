package io.strata.server;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * INFO cpu: the process's CPU time as user time (the JVM gives no user/system split for the
 * process), its system time 0; no children; no main thread (the command threads are many).
 */
final class InfoCpu {
    private InfoCpu() {}

    static void append(InfoText out, Request r) {
        double user = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            user = os.getProcessCpuTime() / 1e9;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double thisThread = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadUserTime() / 1e9 : 0;
        out.title("CPU")
                .line("used_cpu_sys", seconds(0))
                .line("used_cpu_user", seconds(user))
                .line("used_cpu_sys_children", seconds(0))
                .line("used_cpu_user_children", seconds(0))
                .line("used_cpu_sys_main_thread", seconds(0))
                .line("used_cpu_user_main_thread", seconds(thisThread));
    }

    private static String seconds(double s) {
        return String.format(java.util.Locale.ROOT, "%.6f", s);
    }
}
