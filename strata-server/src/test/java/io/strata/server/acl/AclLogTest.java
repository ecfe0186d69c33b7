package io.strata.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** ACL LOG's grouping, order and bound. */
class AclLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AclLog log = new AclLog(now::get);

    @Test
    void aLikeRefusalWithinAMinuteCountsInTheSameEntry() {
        log.add(new Denial("key", "x"), "alice", "info1");
        now.addAndGet(1000);
        log.add(new Denial("command", "set"), "alice", "info2");
        now.addAndGet(AclLog.GROUPING_MILLIS - 1000);
        log.add(new Denial("key", "x"), "alice", "info3");
        assertThat(log.latest(10)).hasSize(2);
        AclLog.Entry first = log.latest(10).get(0);
        assertThat(first.count()).isEqualTo(2);
        assertThat(first.object()).isEqualTo("x");
        assertThat(first.clientInfo()).as("the latest client").isEqualTo("info3");
        assertThat(first.createdMillis()).isEqualTo(1_000_000);
        assertThat(first.updatedMillis()).isEqualTo(now.get());
        assertThat(first.entryId()).isZero();
        assertThat(first.context()).isEqualTo("toplevel");
        assertThat(log.latest(10).get(1).entryId()).isEqualTo(1);
        now.addAndGet(AclLog.GROUPING_MILLIS + 1);
        log.add(new Denial("key", "x"), "alice", "info4");
        assertThat(log.latest(10)).hasSize(3);
        log.add(new Denial("key", "x"), "bob", "info5");
        assertThat(log.latest(10)).hasSize(4);
        assertThat(log.latest(2)).extracting(AclLog.Entry::username).containsExactly("bob", "alice");
    }

    @Test
    void atMostMaxEntriesTheOldestDropped() {
        for (int i = 0; i < AclLog.MAX_ENTRIES + 5; i++) {
            log.add(new Denial("key", "k" + i), "alice", "");
        }
        assertThat(log.latest(1000)).hasSize(AclLog.MAX_ENTRIES);
        assertThat(log.latest(1).get(0).object()).isEqualTo("k" + (AclLog.MAX_ENTRIES + 4));
        log.reset();
        assertThat(log.latest(10)).isEmpty();
    }
}
