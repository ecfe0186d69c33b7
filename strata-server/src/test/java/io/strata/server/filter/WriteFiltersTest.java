package io.strata.server.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteFiltersTest {
    private static final ClassLoader LOADER = WriteFiltersTest.class.getClassLoader();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void jsonFilterValidatesUnderItsPrefixesAndRedacts() {
        WriteFilters f = WriteFilters.load(
                List.of("json"),
                WriteFilters.parseOptions(
                        List.of("json.prefix=doc:", "json.prefix=cfg:", "json.redact=password", "json.redact=ssn")),
                LOADER);
        assertThat(f.names()).containsExactly("json");
        byte[] ok = b("{\"a\":1}");
        assertThat(f.apply(b("doc:1"), ok)).isSameAs(ok); // accepted as sent
        assertThat(f.apply(b("cfg:1"), b("[1, 2]"))).isEqualTo(b("[1, 2]"));
        assertThat(f.apply(b("cfg:1"), b(" 42 "))).isEqualTo(b(" 42 "));
        byte[] junk = b("not json");
        assertThat(f.apply(b("other"), junk)).isSameAs(junk); // no prefix of the filter
        for (String bad : new String[] {"not json", "{\"a\":1", "{\"a\":1} {}", "", "   ", "{'a':1}"}) {
            assertThatThrownBy(() -> f.apply(b("doc:1"), b(bad)))
                    .as(bad)
                    .isInstanceOf(WriteRejectedException.class)
                    .hasMessageStartingWith("ERR write rejected by filter 'json': value is not valid JSON");
        }
        assertThat(s(f.apply(
                        b("doc:u"), b("{\"name\":\"ada\",\"password\":\"hunter2\",\"n\":1.50,\"ssn\":{\"x\":1}}"))))
                .isEqualTo("{\"name\":\"ada\",\"password\":\"[REDACTED]\",\"n\":1.50,\"ssn\":\"[REDACTED]\"}");
        byte[] nothingToRedact = b("{ \"name\" : \"ada\" }");
        assertThat(f.apply(b("doc:u"), nothingToRedact)).isSameAs(nothingToRedact);
    }

    @Test
    void jsonFilterWithoutPrefixAppliesToEveryKey() {
        WriteFilters f = WriteFilters.load(List.of("json"), Map.of(), LOADER);
        assertThatThrownBy(() -> f.apply(b("any"), b("x"))).isInstanceOf(WriteRejectedException.class);
    }

    @Test
    void chainRunsInOrderAndEachSeesThePreviousValue() {
        WriteFilters f =
                WriteFilters.load(List.of("tag", "json"), WriteFilters.parseOptions(List.of("tag.suffix=0")), LOADER);
        assertThat(s(f.apply(b("tag:1"), b("4")))).isEqualTo("40"); // "4" + "0", then valid JSON
        assertThatThrownBy(() -> f.apply(b("tag:1"), b("forbidden")))
                .isInstanceOf(WriteRejectedException.class)
                .hasMessage("ERR write rejected by filter 'tag': the value contains a forbidden word")
                .extracting(e -> ((WriteRejectedException) e).filter())
                .isEqualTo("tag");
        WriteFilters reversed = WriteFilters.load(List.of("json", "tag"), Map.of(), LOADER);
        assertThat(s(reversed.apply(b("tag:1"), b("4")))).isEqualTo("4!"); // JSON checked before the suffix
    }

    @Test
    void filtersByClassName() {
        WriteFilters f = WriteFilters.load(List.of(NotServiceLoadedFilter.class.getName()), Map.of(), LOADER);
        assertThat(f.names()).containsExactly("by-class");
        assertThatThrownBy(() -> f.apply(b("k"), b("x"))).hasMessage("ERR write rejected by filter 'by-class': no x");
    }

    @Test
    void configurationErrors() {
        assertThatThrownBy(() -> WriteFilters.load(List.of("nosuch"), Map.of(), LOADER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown write filter 'nosuch'; available: json, tag");
        assertThatThrownBy(() -> WriteFilters.load(List.of("java.lang.String"), Map.of(), LOADER))
                .hasMessageContaining("is not a io.strata.server.filter.WriteFilter");
        assertThatThrownBy(() -> WriteFilters.load(
                        List.of("json"), WriteFilters.parseOptions(List.of("json.prefixes=a")), LOADER))
                .hasMessageContaining("has no option 'prefixes'");
        assertThatThrownBy(
                        () -> WriteFilters.load(List.of(), WriteFilters.parseOptions(List.of("json.prefix=a")), LOADER))
                .hasMessageContaining("which is not enabled");
        assertThatThrownBy(() -> WriteFilters.load(
                        List.of(NotServiceLoadedFilter.class.getName()),
                        WriteFilters.parseOptions(List.of(NotServiceLoadedFilter.class.getName() + ".x=1")),
                        LOADER))
                .hasMessageContaining("takes no options");
        assertThatThrownBy(() -> WriteFilters.parseOptions(List.of("json")))
                .hasMessageContaining("must be filter.key=value");
        assertThatThrownBy(() -> WriteFilters.parseOptions(List.of("json.=x")))
                .hasMessageContaining("must be filter.key=value");
        assertThat(WriteFilters.parseOptions(List.of("json.prefix=a=b")))
                .containsEntry("json", Map.of("prefix", List.of("a=b")));
        assertThat(WriteFilters.load(List.of(), Map.of(), LOADER)).isSameAs(WriteFilters.NONE);
    }
}
