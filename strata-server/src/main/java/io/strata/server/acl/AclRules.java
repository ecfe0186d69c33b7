package io.strata.server.acl;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Applies ACL rules, Redis 7's ACL SETUSER language, to a user being changed: {@code on}/{@code off};
 * passwords ({@code >pw}, {@code <pw}, {@code #hash}, {@code !hash}, {@code nopass}, {@code resetpass});
 * commands ({@code +cmd}, {@code -cmd}, {@code +cmd|sub}, {@code +@category}, {@code allcommands},
 * {@code nocommands}); keys ({@code ~glob}, {@code %R~glob}, {@code %W~glob}, {@code allkeys},
 * {@code resetkeys}); Pub/Sub channels ({@code &glob}, {@code allchannels}, {@code resetchannels});
 * {@code reset}. Keywords, command and category names are case-insensitive; globs and passwords
 * are not. Selectors ({@code (...)}) are not supported.
 *
 * <p>The error texts are Redis's, so that scripts which match them keep working.
 */
public final class AclRules {
    static final String UNKNOWN = "Unknown command or category name in ACL";
    static final String SYNTAX = "Syntax error";

    private final CommandCatalog catalog;

    public AclRules(CommandCatalog catalog) {
        this.catalog = catalog;
    }

    /** The user after the rules, in order; {@code base} is left as it was, also when a rule fails. */
    public User apply(User base, List<String> rules) throws AclRuleException {
        User.Draft d = base.draft();
        for (String rule : rules) {
            try {
                apply(d, rule);
            } catch (AclRuleException e) {
                throw e.at(rule);
            }
        }
        return d.build();
    }

    /** Applies one rule; on failure the draft may be half-changed (callers drop it). */
    void apply(User.Draft d, String rule) throws AclRuleException {
        switch (rule.toLowerCase(Locale.ROOT)) {
            case "on" -> d.enabled = true;
            case "off" -> d.enabled = false;
            case "nopass" -> {
                d.nopass = true;
                d.passwords.clear();
            }
            case "resetpass" -> {
                d.nopass = false;
                d.passwords.clear();
            }
            case "sanitize-payload", "skip-sanitize-payload" -> d.payloadFlag = rule.toLowerCase(Locale.ROOT);
            case "allkeys" -> allKeys(d);
            case "resetkeys" -> {
                d.allKeys = false;
                d.keys.clear();
            }
            case "allchannels" -> allChannels(d);
            case "resetchannels" -> {
                d.allChannels = false;
                d.channels.clear();
            }
            case "allcommands", "+@all" -> d.allowAllCommands(catalog.size());
            case "nocommands", "-@all" -> d.allowNoCommands();
            case "clearselectors" -> {} // there are none: Strata has no selectors
            case "reset" -> {
                for (String r :
                        List.of("resetpass", "resetkeys", "resetchannels", "off", "sanitize-payload", "-@all")) {
                    apply(d, r);
                }
            }
            default -> applyWithOperand(d, rule);
        }
    }

    private void applyWithOperand(User.Draft d, String rule) throws AclRuleException {
        if (rule.isEmpty()) {
            throw new AclRuleException(SYNTAX);
        }
        String operand = rule.substring(1);
        switch (rule.charAt(0)) {
            case '>' -> addPassword(d, Passwords.hash(operand));
            case '#' -> addPassword(d, checkedHash(operand));
            case '<' -> removePassword(d, Passwords.hash(operand));
            case '!' -> removePassword(d, checkedHash(operand));
            case '~' -> addKeyPattern(d, operand, true, true);
            case '%' -> permissionKeyPattern(d, operand);
            case '&' -> addChannel(d, operand);
            case '+', '-' -> commandRule(d, rule.charAt(0) == '+', operand);
            case '(' -> throw new AclRuleException("Selectors are not supported by Strata");
            default -> throw new AclRuleException(SYNTAX);
        }
    }

    private static String checkedHash(String hash) throws AclRuleException {
        if (!Passwords.isHash(hash)) {
            throw new AclRuleException("The password hash must be exactly 64 characters and contain only lowercase "
                    + "hexadecimal characters");
        }
        return hash;
    }

    private static void addPassword(User.Draft d, String hash) {
        d.nopass = false;
        if (!d.passwords.contains(hash)) {
            d.passwords.add(hash);
        }
    }

    private static void removePassword(User.Draft d, String hash) throws AclRuleException {
        if (!d.passwords.remove(hash)) {
            throw new AclRuleException("The password you are trying to remove from the user does not exist");
        }
    }

    private static void allKeys(User.Draft d) {
        d.allKeys = true;
        d.keys.clear();
    }

    /** {@code %R~glob}, {@code %W~glob}, {@code %RW~glob} (the letters in any order and case). */
    private static void permissionKeyPattern(User.Draft d, String operand) throws AclRuleException {
        int tilde = operand.indexOf('~');
        if (tilde <= 0) {
            throw new AclRuleException(SYNTAX);
        }
        boolean read = false;
        boolean write = false;
        for (int i = 0; i < tilde; i++) {
            switch (Character.toUpperCase(operand.charAt(i))) {
                case 'R' -> read = true;
                case 'W' -> write = true;
                default -> throw new AclRuleException(SYNTAX);
            }
        }
        addKeyPattern(d, operand.substring(tilde + 1), read, write);
    }

    private static void addKeyPattern(User.Draft d, String glob, boolean read, boolean write) throws AclRuleException {
        if (d.allKeys) {
            throw new AclRuleException("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid "
                    + "and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        if (glob.equals("*") && read && write) {
            allKeys(d);
            return;
        }
        KeyPattern p = new KeyPattern(glob, read, write);
        if (!d.keys.contains(p)) {
            d.keys.add(p);
        }
    }

    private static void allChannels(User.Draft d) {
        d.allChannels = true;
        d.channels.clear();
    }

    private static void addChannel(User.Draft d, String glob) throws AclRuleException {
        if (d.allChannels) {
            throw new AclRuleException("Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
                    + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of "
                    + "channels");
        }
        if (glob.equals("*")) {
            allChannels(d);
        } else if (!d.channels.contains(glob)) {
            d.channels.add(glob);
        }
    }

    /** {@code +name} / {@code -name}: a category ({@code @read}), a command, or a container's subcommand. */
    private void commandRule(User.Draft d, boolean allow, String name) throws AclRuleException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("@")) {
            AclCategory category = AclCategory.byName(lower.substring(1));
            if (category == null) {
                throw new AclRuleException(UNKNOWN);
            }
            for (CommandAcl c : catalog.all()) {
                if (c.categories().contains(category)) {
                    d.allowed.set(c.id(), allow);
                }
            }
        } else {
            CommandAcl c = command(lower);
            d.allowed.set(c.id(), allow);
            for (CommandAcl sub : catalog.subcommands(c)) {
                d.allowed.set(sub.id(), allow);
            }
        }
        recordRule(d, (allow ? "+" : "-") + lower);
    }

    private CommandAcl command(String name) throws AclRuleException {
        int bar = name.indexOf('|');
        if (bar >= 0 && name.indexOf('|', bar + 1) >= 0) {
            throw new AclRuleException("Allowing first-arg of a subcommand is not supported");
        }
        CommandAcl c = catalog.byName(name);
        if (c != null) {
            return c;
        }
        CommandAcl container = bar > 0 ? catalog.byName(name.substring(0, bar)) : null;
        if (container != null && catalog.subcommands(container).isEmpty()) {
            throw new AclRuleException("Strata does not support first-arg rules (+command|arg): '" + container.name()
                    + "' has no subcommands");
        }
        throw new AclRuleException(UNKNOWN);
    }

    /**
     * Appends the rule to the description, first dropping the earlier rules it overrides: those
     * about the same name and, for a command, its subcommands ({@code +config} replaces
     * {@code -config|set}), as Redis 7.2 does.
     */
    private static void recordRule(User.Draft d, String rule) {
        String name = rule.substring(1);
        d.commandRules.removeIf(
                r -> r.substring(1).equals(name) || r.substring(1).startsWith(name + "|"));
        d.commandRules.add(rule);
    }

    /** Usernames may not contain spaces or NUL characters (Redis's rule). */
    public static boolean validUsername(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        for (byte c : b) {
            if (c == ' ' || c == 0) {
                return false;
            }
        }
        return true;
    }
}
