package io.strata.server.acl;

/**
 * A rule that cannot be applied. The message is Redis's description of why; {@link #rule} is
 * the rule, once known.
 */
public final class AclRuleException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String rule;

    AclRuleException(String reason) {
        this(reason, null);
    }

    private AclRuleException(String reason, String rule) {
        super(reason);
        this.rule = rule;
    }

    /** The rule that failed (null while not yet known). */
    public String rule() {
        return rule;
    }

    /** The rule for a log or the console: a password given in clear ({@code >pw}, {@code <pw}) is hidden. */
    public String shownRule() {
        return rule != null && (rule.startsWith(">") || rule.startsWith("<")) ? rule.charAt(0) + "(password)" : rule;
    }

    AclRuleException at(String failedRule) {
        return new AclRuleException(getMessage(), failedRule);
    }
}
