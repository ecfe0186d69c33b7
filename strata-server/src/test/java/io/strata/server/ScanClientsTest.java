package io.strata.server;

import static io.strata.server.TransactionClientsTest.requirePythonWithRedis;
import static io.strata.server.TransactionClientsTest.runRedisPy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis-py's scan_iter, as its documentation shows it: every key exactly once over a keyspace
 * larger than one SCAN reply (in tables and in the memtable, where some keys have expired), with match=,
 * count= and _type=. Skipped where redis-py is not installed, except in CI (CI=true), whose
 * .ci/run installs it: there its absence fails.
 */
class ScanClientsTest {
    @TempDir
    Path dir;

    @Test
    void redisPyScanIterVisitsEveryKeyOnce() throws Exception {
        String python = requirePythonWithRedis();
        try (TestServer server = TestServer.start(dir)) {
            String out = runRedisPy(
                    python,
                    dir,
                    "scan.py",
                    server,
                    "import sys, time, redis",
                    "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]), decode_responses=True)",
                    "with r.pipeline(transaction=False) as p:",
                    "    for i in range(3000):",
                    "        p.set('user:%d' % i, i)",
                    "    for i in range(0, 500, 2):",
                    "        p.set('session:%d' % i, i)",
                    "    p.execute()",
                    "r.execute_command('STRATA.COMPACT')",
                    "with r.pipeline(transaction=False) as p:",
                    "    for i in range(1, 500, 2):",
                    "        p.set('session:%d' % i, i, px=1)",
                    "    p.set('late', 1).execute()",
                    "time.sleep(0.05)",
                    "keys = list(r.scan_iter())",
                    "print(len(keys), len(set(keys)))",
                    "users = list(r.scan_iter(match='user:*', count=100))",
                    "print(len(users), sorted(int(k[5:]) for k in users) == list(range(3000)))",
                    "print(len(list(r.scan_iter(match='session:*', _type='string'))))",
                    "print(len(list(r.scan_iter(_type='list'))))",
                    "");
            assertThat(out.lines().toList()).containsExactly("3251 3251", "3000 True", "250", "0");
        }
    }
}
