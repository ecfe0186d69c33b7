package io.strata.server;

/** CLIENT REPLY: whether the connection's replies are sent. */
enum ReplyMode {
    ON,
    /** No reply is sent until CLIENT REPLY ON. */
    OFF,
    /** The next command's reply is not sent. */
    SKIP
}
