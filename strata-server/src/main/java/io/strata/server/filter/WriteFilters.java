package io.strata.server.filter;

import io.strata.server.store.ValueCodec;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** The configured chain of {@link WriteFilter}s, in order; {@link #NONE} when none is configured. */
public final class WriteFilters {
    public static final WriteFilters NONE = new WriteFilters(List.of());

    /** Never changed after the constructor; read by every command thread. */
    private final WriteFilter[] chain;

    private WriteFilters(List<WriteFilter> filters) {
        this.chain = filters.toArray(new WriteFilter[0]);
    }

    /**
     * Loads and configures the named filters: each name is a filter's {@link WriteFilter#name()}
     * among those {@link ServiceLoader} finds, or else the name of a class with a public
     * no-argument constructor. Throws IllegalArgumentException for an unknown name, a setting for
     * a filter that is not named, or settings a filter refuses.
     */
    public static WriteFilters load(
            List<String> names, Map<String, Map<String, List<String>>> settings, ClassLoader loader) {
        if (names.isEmpty() && settings.isEmpty()) {
            return NONE;
        }
        for (String configured : settings.keySet()) {
            if (!names.contains(configured)) {
                throw new IllegalArgumentException("options given for write filter '" + configured
                        + "', which is not enabled (--write-filter " + configured + ")");
            }
        }
        List<WriteFilter> chain = new ArrayList<>();
        for (String name : names) {
            WriteFilter f = find(name, loader);
            f.configure(settings.getOrDefault(name, Map.of()));
            chain.add(f);
        }
        return new WriteFilters(chain);
    }

    private static WriteFilter find(String name, ClassLoader loader) {
        TreeSet<String> known = new TreeSet<>();
        for (WriteFilter f : ServiceLoader.load(WriteFilter.class, loader)) {
            if (f.name().equals(name)) {
                return f;
            }
            known.add(f.name());
        }
        if (name.contains(".")) {
            try {
                Class<?> c = Class.forName(name, true, loader);
                if (!WriteFilter.class.isAssignableFrom(c)) {
                    throw new IllegalArgumentException("class " + name + " is not a " + WriteFilter.class.getName());
                }
                return (WriteFilter) c.getConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                // fall through to the error below
            } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
                throw new IllegalArgumentException("cannot create write filter " + name + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(
                        "cannot create write filter " + name + ": " + e.getCause(), e.getCause());
            }
        }
        throw new IllegalArgumentException("unknown write filter '" + name + "'; available: " + String.join(", ", known)
                + " (or the name of a class implementing " + WriteFilter.class.getName() + ")");
    }

    public boolean isEmpty() {
        return chain.length == 0;
    }

    /** The filters' names, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (WriteFilter f : chain) {
            names.add(f.name());
        }
        return names;
    }

    /**
     * Runs the chain over one write: returns the value to store (the same array when every
     * filter accepted it), or throws {@link WriteRejectedException}.
     */
    public byte[] apply(byte[] key, byte[] value) {
        byte[] v = value;
        for (WriteFilter f : chain) {
            WriteFilter.Decision d = f.filter(key, v);
            if (d == null) {
                throw new IllegalStateException("write filter '" + f.name() + "' returned no decision");
            }
            if (d.rejected()) {
                throw new WriteRejectedException(f.name(), d.reason());
            }
            if (d.rewritten() != null) {
                v = d.rewritten();
                if (v.length > ValueCodec.MAX_PAYLOAD) {
                    throw new WriteRejectedException(f.name(), "rewritten value exceeds the maximum size");
                }
            }
        }
        return v;
    }

    /** Settings of all filters from {@code name.key=value} strings (as {@code --write-filter-option} takes them). */
    public static Map<String, Map<String, List<String>>> parseOptions(List<String> options) {
        Map<String, Map<String, List<String>>> m = new LinkedHashMap<>();
        for (String o : options) {
            int eq = o.indexOf('=');
            int dot = eq < 0 ? -1 : o.lastIndexOf('.', eq); // filter names may be class names, with dots
            if (eq < 0 || dot <= 0 || dot > eq - 2) {
                throw new IllegalArgumentException("write filter option must be filter.key=value, got '" + o + "'");
            }
            m.computeIfAbsent(o.substring(0, dot), k -> new LinkedHashMap<>())
                    .computeIfAbsent(o.substring(dot + 1, eq), k -> new ArrayList<>())
                    .add(o.substring(eq + 1));
        }
        return m;
    }
}
