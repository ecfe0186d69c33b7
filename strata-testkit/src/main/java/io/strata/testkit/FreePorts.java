package io.strata.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for test nodes whose ports must be known before they start (a Raft group's
 * peers list names them all). A port the OS hands out for port 0 comes from its ephemeral
 * range, where an outgoing connection of any process may take it before the node binds it: CI
 * saw a node fail to start that way. These come from below the ephemeral range, which the OS
 * never hands out by itself; each is given once per JVM, JVMs start at different places (by
 * process id), and a port something already listens on is skipped.
 *
 * <p>Thread-safe.
 */
public final class FreePorts {
    private static final int FLOOR = 20_000;
    private static final int LIMIT = ephemeralFloor();
    private static final AtomicInteger NEXT =
            new AtomicInteger((int) (ProcessHandle.current().pid() * 97 % (LIMIT - FLOOR)));

    private FreePorts() {}

    /** A port nothing listened on when asked and that this JVM has not given before. */
    public static int next() {
        for (int tries = 0; tries < LIMIT - FLOOR; tries++) {
            int port = FLOOR + Math.floorMod(NEXT.getAndIncrement(), LIMIT - FLOOR);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in [" + FLOOR + ", " + LIMIT + ")");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the OS's ephemeral range (Linux's default where it cannot be read). */
    private static int ephemeralFloor() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            return Math.max(FLOOR + 1_000, new java.util.Scanner(range).nextInt());
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
