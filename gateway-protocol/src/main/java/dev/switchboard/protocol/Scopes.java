package dev.switchboard.protocol;

import java.util.List;

/** Operator scopes. A token or password grants all three. */
public final class Scopes {
    public static final String READ = "operator.read";
    public static final String WRITE = "operator.write";
    public static final String ADMIN = "operator.admin";
    public static final List<String> ALL = List.of(READ, WRITE, ADMIN);

    private Scopes() {}
}
