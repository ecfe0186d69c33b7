package io.strata.server.script;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * luaj's texts of the errors on a value of the wrong type, as Lua 5.1 (Redis's Lua) words them:
 * {@code attempt to call nil} as {@code attempt to call a nil value}, an arithmetic, concatenation
 * or comparison error naming the operand Lua 5.1 names. Lua 5.1 also names the variable where it
 * knows one ({@code local 'x'}, {@code field 'f'}); luaj does not, so those stay unnamed.
 */
final class LuaTypeErrors {
    private LuaTypeErrors() {}

    private static final String TYPE = "(nil|boolean|number|string|table|function|thread|userdata)";

    /** An operation on one value: luaj's {@code <op> <type>} or {@code index ? (a <type> value)}. */
    private static final Pattern ONE = Pattern.compile(
            "attempt to (call|get length of|perform arithmetic on|index) (?:\\? \\(a )?" + TYPE + "(?: value\\))?$");

    /** Arithmetic on two values ({@code __add on number and table}): Lua 5.1 names the first that is no number. */
    private static final Pattern ARITHMETIC =
            Pattern.compile("attempt to perform arithmetic '?__\\w+'? on " + TYPE + " and " + TYPE + "$");

    /** Concatenation: Lua 5.1 names the first that is neither a string nor a number. */
    private static final Pattern CONCAT = Pattern.compile("attempt to concatenate " + TYPE + " and " + TYPE + "$");

    /** A comparison through metatables ({@code __lt on table and table}). */
    private static final Pattern COMPARE =
            Pattern.compile("attempt to compare __\\w+ on " + TYPE + " and " + TYPE + "$");

    /** A string compared with a number: luaj names them from the other side, and adds its type check's words. */
    private static final Pattern MIXED =
            Pattern.compile("attempt to compare " + TYPE + " with " + TYPE + " expected, got " + TYPE + "$");

    static String reword(String text) {
        Matcher m = ONE.matcher(text);
        if (m.find()) {
            return replace(text, m, "attempt to " + m.group(1) + " a " + m.group(2) + " value");
        }
        m = ARITHMETIC.matcher(text);
        if (m.find()) {
            String bad = m.group(1).equals("number") ? m.group(2) : m.group(1);
            return replace(text, m, "attempt to perform arithmetic on a " + bad + " value");
        }
        m = CONCAT.matcher(text);
        if (m.find()) {
            String bad = List.of("string", "number").contains(m.group(1)) ? m.group(2) : m.group(1);
            return replace(text, m, "attempt to concatenate a " + bad + " value");
        }
        m = COMPARE.matcher(text);
        if (m.find()) {
            return replace(
                    text,
                    m,
                    m.group(1).equals(m.group(2))
                            ? "attempt to compare two " + m.group(1) + " values"
                            : "attempt to compare " + m.group(1) + " with " + m.group(2));
        }
        m = MIXED.matcher(text);
        if (m.find()) {
            return replace(text, m, "attempt to compare " + m.group(2) + " with " + m.group(1));
        }
        return text;
    }

    private static String replace(String text, Matcher m, String words) {
        return text.substring(0, m.start()) + words;
    }
}
