package io.strata.server;

import java.util.List;

/**
 * The value of {@code rename-command}: two names separated by white space, {@code ""} (or
 * {@code ''}) for no name, as redis.conf writes {@code rename-command FLUSHALL ""}.
 */
final class RenameCommandValue {
    private RenameCommandValue() {}

    /** {from, to}; to is "" to remove the command. */
    static String[] parse(String value) {
        List<String> words = List.of(value.strip().split("\\s+", -1));
        if (words.size() != 2 || words.get(0).isEmpty()) {
            throw new IllegalArgumentException(
                    "rename-command needs two names, the command and its new name (\"\" for none), got '" + value
                            + "'");
        }
        String to = words.get(1);
        return new String[] {words.get(0), to.equals("\"\"") || to.equals("''") ? "" : to};
    }
}
