package io.strata.server.filter;

/** A filter not listed for ServiceLoader: enabled by its class name. Rejects every value of "x". */
public final class NotServiceLoadedFilter implements WriteFilter {
    @Override
    public String name() {
        return "by-class";
    }

    @Override
    public Decision filter(byte[] key, byte[] value) {
        return value.length == 1 && value[0] == 'x' ? Decision.reject("no x") : Decision.accept();
    }
}
