package dev.switchboard.protocol;

/**
 * Counters that grow whenever the presence list or the health snapshot changes, carried on events
 * so a client can tell its copy is out of date.
 */
public record StateVersion(long presence, long health) {}
