package io.strata.server.acl;

/**
 * A user as connections see it: ACL SETUSER and ACL LOAD swap in the new definition, and every
 * connection logged in as the user runs its next command under it. A deleted user's handle
 * allows nothing more (its connections are being closed).
 *
 * <p>Thread-safe: {@link Acl} writes the user under its lock; command threads read it.
 */
public final class UserHandle {
    private volatile User user;

    UserHandle(User user) {
        this.user = user;
    }

    public User user() {
        return user;
    }

    public String name() {
        return user.name();
    }

    void set(User u) {
        this.user = u;
    }

    /** A handle not in any {@link Acl}: the unrestricted user a cluster's leader runs another node's command as. */
    public static UserHandle unrestricted(String name, int commands) {
        return new UserHandle(User.unrestricted(name, commands));
    }
}
