package io.strata.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The WHERE clause of STRATA.RANGE: {@code field op value} over a value that is a JSON object.
 *
 * <p>The value must parse as JSON (whole, nothing after it) and be an object holding the
 * top-level {@code field} (names match exactly; no paths). Numbers are compared as numbers
 * (exactly, {@code 1.0 = 1}) when both the field's value is a JSON number and the argument is
 * a number in JSON's syntax; otherwise both sides are compared as strings, by their UTF-8 bytes
 * (unsigned, like keys): a JSON string by its text, {@code true}/{@code false}/{@code null} by
 * those words, a number by its decimal text, an object or array by its compact JSON. A value
 * that is not JSON, not an object, or lacks the field never matches, not even for {@code !=}.
 */
final class JsonWhere {
    enum Op {
        EQ("="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        final String text;

        Op(String text) {
            this.text = text;
        }

        static Op parse(String s) {
            for (Op op : values()) {
                if (op.text.equals(s)) {
                    return op;
                }
            }
            return null;
        }

        boolean test(int cmp) {
            return switch (this) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
            };
        }
    }

    /** JSON's number syntax. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /** Values are at most 64 MiB: let a string field be as long as that. */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(io.strata.Limits.MAX_VALUE_SIZE)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String field;
    private final Op op;
    private final byte[] text;
    private final BigDecimal number;

    JsonWhere(String field, Op op, String value) {
        this.field = field;
        this.op = op;
        this.text = value.getBytes(StandardCharsets.UTF_8);
        this.number = JSON_NUMBER.matcher(value).matches() ? parseNumber(value) : null;
    }

    private static BigDecimal parseNumber(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException | ArithmeticException e) {
            return null; // an exponent beyond BigDecimal's range: compared as text
        }
    }

    /** Whether the value {@code data[offset, offset + length)} matches. */
    boolean matches(byte[] data, int offset, int length) {
        JsonNode root;
        try {
            root = MAPPER.readTree(data, offset, length);
        } catch (IOException | RuntimeException e) {
            return false; // not JSON (or beyond the parser's limits): no match
        }
        if (root == null || !root.isObject()) {
            return false;
        }
        JsonNode v = root.get(field);
        if (v == null || v.isMissingNode()) {
            return false;
        }
        int cmp;
        if (number != null && v.isNumber()) {
            cmp = v.decimalValue().compareTo(number);
        } else {
            cmp = Arrays.compareUnsigned(asText(v), text);
        }
        return op.test(cmp);
    }

    private static byte[] asText(JsonNode v) {
        String s;
        if (v.isTextual()) {
            s = v.textValue();
        } else if (v.isValueNode()) {
            s = v.asText(); // numbers as written, true, false, null
        } else {
            s = v.toString(); // compact JSON of an object or array
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
