package io.strata.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpiryIndexTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(List<byte[]> keys) {
        return keys.stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void givesTheKeysDueEarliestFirstAndOnlyOnce() {
        ExpiryIndex index = new ExpiryIndex();
        index.note(b("c"), 300);
        index.note(b("a"), 100);
        index.note(b("b"), 200);
        index.note(b("d"), 1000);
        assertThat(names(index.takeDue(99, 10))).isEmpty();
        assertThat(names(index.takeDue(300, 2))).as("at most max").containsExactly("a", "b");
        assertThat(names(index.takeDue(300, 10))).containsExactly("c");
        assertThat(names(index.takeDue(300, 10))).as("taken out").isEmpty();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aKeysLastNoteIsTheOneThatCounts() {
        ExpiryIndex index = new ExpiryIndex();
        index.note(b("k"), 100);
        index.note(b("k"), 500);
        assertThat(index.takeDue(400, 10)).as("moved later").isEmpty();
        index.note(b("k"), 0);
        assertThat(index.takeDue(1000, 10))
                .as("no expiry any more (PERSIST, a SET without one, DEL)")
                .isEmpty();
        assertThat(index.size()).isZero();
        assertThat(index.bytes()).isZero();
        index.note(b("k"), 50);
        index.note(b("j"), 60);
        index.clear();
        assertThat(index.takeDue(1000, 10)).isEmpty();
        assertThat(index.bytes()).isZero();
    }

    @Test
    void whenFullItTakesNoNewKeyAndSaysSo() {
        ExpiryIndex index = new ExpiryIndex(2 * (1 + ExpiryIndex.ENTRY_BYTES));
        index.note(b("a"), 10);
        index.note(b("b"), 20);
        assertThat(index.takeOverflow()).isFalse();
        index.note(b("c"), 5);
        assertThat(index.takeOverflow()).as("refused c").isTrue();
        assertThat(index.takeOverflow()).as("said once").isFalse();
        index.note(b("a"), 30);
        assertThat(index.takeOverflow()).as("a key it holds may change time").isFalse();
        assertThat(names(index.takeDue(100, 10))).containsExactly("b", "a");
        index.note(b("c"), 5);
        assertThat(index.takeOverflow()).as("room again").isFalse();
        assertThat(names(index.takeDue(100, 10))).containsExactly("c");
    }
}
