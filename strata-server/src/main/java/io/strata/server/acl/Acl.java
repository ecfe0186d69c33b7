package io.strata.server.acl;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * A server's ACL users, by name, with its rule parser, ACL LOG and ACL file. The {@code default}
 * user always exists: every new connection starts as it, logged in if it is on and needs no
 * password; without an ACL file (or one that does not define it) it allows everything and has
 * requirepass's password, or none.
 *
 * <p>Thread-safe: the users are guarded by this object's lock; each user's current definition
 * is published through its {@link UserHandle}, so permission checks take no lock.
 */
public final class Acl {
    private final CommandCatalog catalog;
    private final AclRules rules;
    private final AclLog log;
    /** Null without an ACL file. */
    private final Path file;

    @GuardedBy("this")
    private final Map<String, UserHandle> users = new TreeMap<>();
    /** The default user's handle: never replaced, never removed. */
    private final UserHandle defaultUser;

    /** Requirepass's password, or null: the default user's when an ACL file does not define it. */
    @GuardedBy("this")
    private String requirePass;

    /**
     * acl-pubsub-default: whether a user ACL SETUSER creates starts with every channel (allchannels)
     * or none (resetchannels, Redis 7's default). Users read from an ACL file start with none.
     */
    private volatile boolean newUsersGetAllChannels;

    public Acl(CommandCatalog catalog, String requirePass, Path file, LongSupplier clock) {
        this.catalog = catalog;
        this.rules = new AclRules(catalog);
        this.log = new AclLog(clock);
        this.file = file;
        this.requirePass = requirePass;
        this.defaultUser = new UserHandle(User.defaultUser(catalog, requirePass));
        synchronized (this) {
            users.put("default", defaultUser);
        }
    }

    /**
     * Reads an ACL file as {@link #load} would, changing nothing: a usage check before the start.
     *
     * @throws IllegalArgumentException naming the file and line of every error
     */
    public static void checkFile(Path file, CommandCatalog catalog) {
        AclFile.read(file, new AclRules(catalog));
    }

    public boolean newUsersGetAllChannels() {
        return newUsersGetAllChannels;
    }

    public void newUsersGetAllChannels(boolean all) {
        newUsersGetAllChannels = all;
    }

    public CommandCatalog catalog() {
        return catalog;
    }

    public AclLog log() {
        return log;
    }

    /** Null without an ACL file. */
    public Path file() {
        return file;
    }

    public UserHandle defaultUser() {
        return defaultUser;
    }

    /** True if a connection that has not authenticated may run commands as the default user. */
    public boolean defaultUserOpen() {
        User d = defaultUser.user();
        return d.enabled() && d.nopass();
    }

    /** True if some user that is on takes any password (protected mode then refuses remote peers). */
    public synchronized boolean someUserWithoutPassword() {
        for (UserHandle h : users.values()) {
            User u = h.user();
            if (u.enabled() && u.nopass()) {
                return true;
            }
        }
        return false;
    }

    /** The user's handle if AUTH {@code name password} logs in as it, else null. */
    public UserHandle authenticate(String name, byte[] password) {
        UserHandle h;
        synchronized (this) {
            h = users.get(name);
        }
        return h != null && h.user().accepts(password) ? h : null;
    }

    /** The user of this name, or null. */
    public synchronized User user(String name) {
        UserHandle h = users.get(name);
        return h == null ? null : h.user();
    }

    /** The names, sorted (ACL USERS). */
    public synchronized List<String> names() {
        return new ArrayList<>(users.keySet());
    }

    /** Every user, by name (ACL LIST). */
    public synchronized List<User> all() {
        List<User> out = new ArrayList<>();
        for (UserHandle h : users.values()) {
            out.add(h.user());
        }
        return out;
    }

    /**
     * ACL SETUSER: creates the user if it does not exist, then applies the rules; if one fails,
     * nothing changes.
     */
    public synchronized void setUser(String name, List<String> userRules) throws AclRuleException {
        UserHandle h = users.get(name);
        User updated = rules.apply(h != null ? h.user() : User.created(name, newUsersGetAllChannels), userRules);
        if (h != null) {
            h.set(updated);
        } else {
            users.put(name, new UserHandle(updated));
        }
    }

    /**
     * ACL DELUSER: removes the users that exist (never {@code default}, which callers refuse) and
     * returns their handles, whose connections the caller closes; each then allows nothing.
     */
    public synchronized List<UserHandle> delete(List<String> names) {
        List<UserHandle> removed = new ArrayList<>();
        for (String name : names) {
            if (name.equals("default")) {
                throw new IllegalArgumentException("The 'default' user cannot be removed");
            }
            UserHandle h = users.remove(name);
            if (h != null) {
                h.set(User.created(name));
                removed.add(h);
            }
        }
        return removed;
    }

    /** CONFIG SET requirepass: the default user's only password becomes this one (nopass if empty). */
    public synchronized void requirePass(String password) {
        requirePass = password;
        try {
            defaultUser.set(rules.apply(
                    defaultUser.user(),
                    password == null || password.isEmpty() ? List.of("nopass") : List.of("resetpass", ">" + password)));
        } catch (AclRuleException e) {
            throw new IllegalStateException("password rules cannot fail", e);
        }
    }

    /**
     * ACL LOAD (and the start): replaces the users with the file's. A user that stays keeps its
     * handle, so its connections stay logged in under the new rules; the default user, if the file
     * does not define it, is the one requirepass makes. Returns the handles of users the file
     * dropped, whose connections the caller closes. If the file has any error nothing changes.
     *
     * @throws IllegalArgumentException naming the file and line of every error
     */
    public synchronized List<UserHandle> load() {
        if (file == null) {
            throw new IllegalStateException("no ACL file");
        }
        Map<String, User> loaded = new TreeMap<>(AclFile.read(file, rules));
        loaded.putIfAbsent("default", User.defaultUser(catalog, requirePass));
        List<UserHandle> dropped = new ArrayList<>();
        for (Map.Entry<String, UserHandle> e : users.entrySet()) {
            if (!loaded.containsKey(e.getKey())) {
                e.getValue().set(User.created(e.getKey()));
                dropped.add(e.getValue());
            }
        }
        users.keySet().retainAll(loaded.keySet());
        for (Map.Entry<String, User> e : loaded.entrySet()) {
            UserHandle h = users.get(e.getKey());
            if (h != null) {
                h.set(e.getValue());
            } else {
                users.put(e.getKey(), new UserHandle(e.getValue()));
            }
        }
        return dropped;
    }

    /** ACL SAVE: writes every user to the ACL file. */
    public synchronized void save() throws IOException {
        if (file == null) {
            throw new IllegalStateException("no ACL file");
        }
        AclFile.write(file, all());
    }
}
