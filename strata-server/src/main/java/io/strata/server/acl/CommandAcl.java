package io.strata.server.acl;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What ACL knows of one command or subcommand: its bit in a user's allowed commands, its
 * categories and its keys.
 *
 * @param id the command's bit in a {@link User}'s allowed commands: 0, 1, ... in the table's order
 * @param name the name in rules and replies, lower case; {@code container|sub} for a subcommand
 * @param container the container's name for a subcommand ({@code config} for {@code config|get}), else null
 * @param categories in {@link AclCategory}'s order
 * @param readsUnnamedKeys the command reads keys its arguments do not name (a range): only a user who
 *     may read every key (a read pattern {@code *}) may run it
 * @param noAuth AUTH, HELLO, QUIT, RESET: every user may run it, as in Redis, whatever the rules say
 */
public record CommandAcl(
        int id,
        String name,
        String container,
        Set<AclCategory> categories,
        List<KeySpec> keys,
        boolean readsUnnamedKeys,
        boolean noAuth) {
    public CommandAcl {
        EnumSet<AclCategory> ordered = EnumSet.noneOf(AclCategory.class);
        ordered.addAll(categories);
        categories = Collections.unmodifiableSet(ordered);
        keys = List.copyOf(keys);
    }
}
