package io.strata.server.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in filter {@code json}: under the configured key prefixes, a value must be one
 * valid JSON document (anything else is rejected), and the configured top-level fields of a JSON
 * object are redacted (their values replaced by {@code "[REDACTED]"}).
 *
 * <p>Options ({@code --write-filter-option json.key=value}, each may be repeated):
 * <ul>
 * <li>{@code prefix}: a key prefix the filter applies to; without one it applies to every key.</li>
 * <li>{@code redact}: a top-level field name to redact.</li>
 * </ul>
 * A value with nothing to redact is stored byte for byte as sent; one with a redacted field is
 * stored as compact JSON.
 */
public final class JsonWriteFilter implements WriteFilter {
    public static final String NAME = "json";
    static final String REDACTED = "[REDACTED]";

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Limits.MAX_VALUE_SIZE)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(
                    DeserializationFeature
                            .USE_BIG_DECIMAL_FOR_FLOATS) // numbers written back with their value and scale
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    // Set by configure, before the server starts (its threads start after: they see the values),
    // then only read.
    private List<byte[]> prefixes = List.of();
    private List<String> redact = List.of();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(Map<String, List<String>> settings) {
        List<byte[]> p = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : settings.entrySet()) {
            switch (e.getKey()) {
                case "prefix" -> e.getValue().forEach(v -> p.add(v.getBytes(StandardCharsets.UTF_8)));
                case "redact" -> redact = List.copyOf(e.getValue());
                default ->
                    throw new IllegalArgumentException(
                            "write filter 'json' has no option '" + e.getKey() + "' (options: prefix, redact)");
            }
        }
        prefixes = List.copyOf(p);
    }

    private boolean applies(byte[] key) {
        if (prefixes.isEmpty()) {
            return true;
        }
        for (byte[] p : prefixes) {
            if (key.length >= p.length && java.util.Arrays.equals(key, 0, p.length, p, 0, p.length)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Decision filter(byte[] key, byte[] value) {
        if (!applies(key)) {
            return Decision.accept();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (IOException | RuntimeException e) {
            return Decision.reject("value is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            return Decision.reject("value is not valid JSON (empty)");
        }
        if (redact.isEmpty() || !(root instanceof ObjectNode obj)) {
            return Decision.accept();
        }
        boolean changed = false;
        for (String field : redact) {
            JsonNode v = obj.get(field);
            if (v != null && !(v.isTextual() && v.textValue().equals(REDACTED))) {
                obj.put(field, REDACTED);
                changed = true;
            }
        }
        if (!changed) {
            return Decision.accept();
        }
        try {
            return Decision.rewrite(MAPPER.writeValueAsBytes(obj));
        } catch (IOException e) {
            return Decision.reject("value cannot be written back as JSON: " + e.getMessage());
        }
    }
}
