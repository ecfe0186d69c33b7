package io.strata.server.acl;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One ACL user as its rules left it: whether it is on, its passwords (SHA-256 hashes), the
 * commands it may run, the keys and Pub/Sub channels it may touch. Immutable: ACL SETUSER
 * makes a new one from a {@link Draft} and swaps it into the user's {@link UserHandle}.
 */
public final class User {
    private final String name;
    private final boolean enabled;
    private final boolean nopass;
    /** "sanitize-payload", "skip-sanitize-payload" or null: kept and shown, as Redis does. */
    private final String payloadFlag;

    private final List<String> passwords;
    /** Set by {@code +@all}: the description starts from every command rather than from none. */
    private final boolean allCommands;

    private final BitSet allowed;
    /** The command rules since the last {@code +@all} or {@code -@all}, as ACL LIST shows them. */
    private final List<String> commandRules;

    private final boolean allKeys;
    private final List<KeyPattern> keys;
    private final boolean allChannels;
    private final List<String> channels;

    private User(Draft d) {
        name = d.name;
        enabled = d.enabled;
        nopass = d.nopass;
        payloadFlag = d.payloadFlag;
        passwords = List.copyOf(d.passwords);
        allCommands = d.allCommands;
        allowed = (BitSet) d.allowed.clone();
        commandRules = List.copyOf(d.commandRules);
        allKeys = d.allKeys;
        keys = List.copyOf(d.keys);
        allChannels = d.allChannels;
        channels = List.copyOf(d.channels);
    }

    /** A user as ACL SETUSER creates it: off, no password, no commands, keys or channels. */
    static User created(String name) {
        return created(name, false);
    }

    /** A user as ACL SETUSER creates it, with every channel if acl-pubsub-default is allchannels. */
    static User created(String name, boolean allChannels) {
        Draft d = new Draft(name);
        d.allChannels = allChannels;
        return d.build();
    }

    /** The default user of a server without users: on, every command, key and channel; requirePass or nopass. */
    static User defaultUser(CommandCatalog catalog, String requirePass) {
        Draft d = new Draft("default");
        d.enabled = true;
        d.allowAllCommands(catalog.size());
        d.allKeys = true;
        d.allChannels = true;
        if (requirePass == null || requirePass.isEmpty()) {
            d.nopass = true;
        } else {
            d.passwords.add(Passwords.hash(requirePass));
        }
        return d.build();
    }

    /** Allowed everything; for a command the cluster's leader runs for another node, which checked it. */
    static User unrestricted(String name, int commands) {
        Draft d = new Draft(name);
        d.enabled = true;
        d.nopass = true;
        d.allowAllCommands(commands);
        d.allKeys = true;
        d.allChannels = true;
        return d.build();
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    /** AUTH accepts any password ("nopass"). */
    public boolean nopass() {
        return nopass;
    }

    /** True if AUTH with this password logs in as this user (on, and nopass or a matching hash). */
    boolean accepts(byte[] password) {
        boolean matches = Passwords.matches(passwords, password);
        return enabled && (nopass || matches);
    }

    boolean allows(CommandAcl c) {
        return allowed.get(c.id());
    }

    boolean allKeys() {
        return allKeys;
    }

    List<KeyPattern> keys() {
        return keys;
    }

    boolean allChannels() {
        return allChannels;
    }

    List<String> channels() {
        return channels;
    }

    public List<String> passwords() {
        return passwords;
    }

    /** ACL GETUSER's flags: on or off, then nopass and the payload flag if set. */
    public List<String> flags() {
        List<String> f = new ArrayList<>();
        f.add(enabled ? "on" : "off");
        if (nopass) {
            f.add("nopass");
        }
        if (payloadFlag != null) {
            f.add(payloadFlag);
        }
        return f;
    }

    /** ACL GETUSER's commands: {@code +@all} or {@code -@all}, then the rules after it. */
    public String commandRules() {
        StringBuilder sb = new StringBuilder(allCommands ? "+@all" : "-@all");
        commandRules.forEach(r -> sb.append(' ').append(r));
        return sb.toString();
    }

    /** ACL GETUSER's keys: the patterns as rules, separated by spaces ({@code ~*} for allkeys). */
    public String keyRules() {
        if (allKeys) {
            return "~*";
        }
        List<String> rules = new ArrayList<>();
        keys.forEach(k -> rules.add(k.rule()));
        return String.join(" ", rules);
    }

    /** ACL GETUSER's channels: {@code &*} for allchannels, else the patterns. */
    public String channelRules() {
        if (allChannels) {
            return "&*";
        }
        List<String> rules = new ArrayList<>();
        channels.forEach(c -> rules.add("&" + c));
        return String.join(" ", rules);
    }

    /**
     * The user as rules that recreate it, in Redis's order (flags, password hashes, keys,
     * channels, commands): ACL LIST's line after {@code user NAME}, and the ACL file's.
     */
    public String rules() {
        List<String> parts = new ArrayList<>(flags());
        passwords.forEach(p -> parts.add("#" + p));
        String k = keyRules();
        if (!k.isEmpty()) {
            parts.add(k);
        }
        // No strip(): a glob may end in white space, which is part of it.
        parts.add(allChannels ? "&*" : channels.isEmpty() ? "resetchannels" : "resetchannels " + channelRules());
        parts.add(commandRules());
        return String.join(" ", parts);
    }

    Draft draft() {
        return new Draft(this);
    }

    /** Never the password hashes: a user may end up in a log line. */
    @Override
    public String toString() {
        return "User[" + name + "]";
    }

    /** A user being changed by rules ({@link AclRules}); {@link #build} makes the immutable one. */
    static final class Draft {
        final String name;
        boolean enabled;
        boolean nopass;
        String payloadFlag;
        final List<String> passwords = new ArrayList<>();
        boolean allCommands;
        BitSet allowed = new BitSet();
        final List<String> commandRules = new ArrayList<>();
        boolean allKeys;
        final List<KeyPattern> keys = new ArrayList<>();
        boolean allChannels;
        final List<String> channels = new ArrayList<>();

        Draft(String name) {
            this.name = name;
        }

        private Draft(User u) {
            name = u.name;
            enabled = u.enabled;
            nopass = u.nopass;
            payloadFlag = u.payloadFlag;
            passwords.addAll(u.passwords);
            allCommands = u.allCommands;
            allowed = (BitSet) u.allowed.clone();
            commandRules.addAll(u.commandRules);
            allKeys = u.allKeys;
            keys.addAll(u.keys);
            allChannels = u.allChannels;
            channels.addAll(u.channels);
        }

        /** {@code +@all}: every command, now and in the description. */
        void allowAllCommands(int commands) {
            allCommands = true;
            allowed = new BitSet();
            allowed.set(0, commands);
            commandRules.clear();
        }

        /** {@code -@all}. */
        void allowNoCommands() {
            allCommands = false;
            allowed = new BitSet();
            commandRules.clear();
        }

        User build() {
            return new User(this);
        }
    }
}
