package io.strata.server.filter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A test filter found through ServiceLoader (test resources list it): under keys starting with
 * {@code tag:} it rejects values containing "forbidden" and appends its {@code suffix} option
 * (default "!") to the rest.
 */
public final class TagFilter implements WriteFilter {
    private String suffix = "!";

    @Override
    public String name() {
        return "tag";
    }

    @Override
    public void configure(Map<String, List<String>> settings) {
        settings.forEach((k, v) -> {
            if (!k.equals("suffix")) {
                throw new IllegalArgumentException("tag: unknown option " + k);
            }
            suffix = v.get(v.size() - 1);
        });
    }

    @Override
    public Decision filter(byte[] key, byte[] value) {
        String k = new String(key, StandardCharsets.UTF_8);
        if (!k.startsWith("tag:")) {
            return Decision.accept();
        }
        String v = new String(value, StandardCharsets.UTF_8);
        if (v.contains("forbidden")) {
            return Decision.reject("the value contains a forbidden word");
        }
        return Decision.rewrite((v + suffix).getBytes(StandardCharsets.UTF_8));
    }
}
