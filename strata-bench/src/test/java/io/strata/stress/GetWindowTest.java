package io.strata.stress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The states a get that raced with writes of its key may find, and those it must not. */
class GetWindowTest {
    private static final Found ABSENT = Found.ABSENT;

    private static KeyState put(int version) {
        return new KeyState(version, true);
    }

    private static KeyState deleted(int version) {
        return new KeyState(version, false);
    }

    private static Found found(int version) {
        return new Found(version, null);
    }

    @Test
    void withNoWriteMeanwhileOnlyTheAcknowledgedStatePasses() {
        GetWindow w = new GetWindow(put(5), null, put(5));
        assertThat(w.allows(found(5))).isTrue();
        assertThat(w.allows(found(4))).as("an older version").isFalse();
        assertThat(w.allows(found(6))).as("a version never written").isFalse();
        assertThat(w.allows(ABSENT)).as("a lost put").isFalse();
        assertThat(w.allows(new Found(-1, "value differs at byte 3"))).isFalse();

        GetWindow gone = new GetWindow(deleted(5), null, deleted(5));
        assertThat(gone.allows(ABSENT)).isTrue();
        assertThat(gone.allows(found(5))).as("the version that is a delete").isFalse();
        assertThat(gone.allows(found(4))).as("a deleted value back").isFalse();
    }

    @Test
    void aWriteInFlightMayOrMayNotShow() {
        GetWindow w = new GetWindow(put(5), put(6), put(5));
        assertThat(w.allows(found(5))).isTrue();
        assertThat(w.allows(found(6))).isTrue();
        assertThat(w.allows(found(7))).isFalse();
        assertThat(w.allows(ABSENT)).as("neither version is a delete").isFalse();

        GetWindow deleting = new GetWindow(put(5), deleted(6), put(5));
        assertThat(deleting.allows(ABSENT)).isTrue();
        assertThat(deleting.allows(found(6)))
                .as("the version in flight is a delete")
                .isFalse();
    }

    @Test
    void writesAcknowledgedMeanwhileWidenTheWindow() {
        GetWindow one = new GetWindow(put(5), null, put(6));
        assertThat(one.allows(found(5))).isTrue();
        assertThat(one.allows(found(6))).isTrue();
        assertThat(one.allows(ABSENT)).as("5 and 6 are both puts").isFalse();

        GetWindow two = new GetWindow(put(5), null, put(7));
        assertThat(two.allows(ABSENT)).as("version 6 may have been a delete").isTrue();
        assertThat(two.allows(found(4))).isFalse();

        GetWindow toDeleted = new GetWindow(put(5), null, deleted(6));
        assertThat(toDeleted.allows(ABSENT)).isTrue();
        assertThat(toDeleted.allows(found(6))).as("version 6 is a delete").isFalse();
    }
}
