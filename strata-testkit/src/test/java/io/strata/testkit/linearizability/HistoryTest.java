package io.strata.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Recording a history: from threads at once, on the real clock; and the misuses it refuses. */
class HistoryTest {
    private static final long SEED = 99_173L;

    @Test
    void threadsRecordingOpsOnASynchronizedMapMakeALinearizableHistory() throws Exception {
        System.out.println("HistoryTest seed " + SEED);
        History history = new History();
        Map<String, String> map = new HashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Random random = new Random(SEED + c);
                clients.add(threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String key = "k" + random.nextInt(2);
                        if (random.nextBoolean()) {
                            Op op = history.invoke(client, Command.set(key, client + "-" + i));
                            synchronized (map) {
                                map.put(key, client + "-" + i);
                            }
                            op.ok("OK");
                        } else {
                            Op op = history.invoke(client, Command.get(key));
                            String value;
                            synchronized (map) {
                                value = map.get(key);
                            }
                            op.ok(value);
                        }
                    }
                }));
            }
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(history.size()).isEqualTo(2000);
        CheckResult result = LinearizabilityChecker.check(history, Duration.ofSeconds(30));
        assertThat(result.linearizable()).as(result.description()).isTrue();
    }

    @Test
    void anOpCompletesOnce() {
        Op op = new History().invoke(1, Command.incr("n"));
        op.unknown();
        assertThatThrownBy(() -> op.ok(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("completed twice");
    }

    @Test
    void aReplyOfTheWrongTypeIsRefused() {
        History history = new History();
        assertThatThrownBy(() -> history.invoke(1, Command.get("k")).ok(1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.invoke(1, Command.del("k")).ok("1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCheckOutOfTimeSaysSo() {
        List<RegisterSimulation.SimulatedOp> ops = RegisterSimulation.run(new Random(SEED), 8, 1, 3000, 0.01);
        History history = RegisterSimulation.script(ops, -1, null).toHistory();
        CheckResult result = LinearizabilityChecker.check(history, Duration.ZERO);
        assertThat(result.timedOut()).as(result.description()).isTrue();
        assertThat(result.linearizable()).isFalse();
        assertThat(result.description()).contains("no verdict within the time budget");
    }
}
