package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

/**
 * The platform refused the app's credentials (the token or endpoint call): a wrong app id or secret, or the
 * wrong domain. Retrying does not help until the configuration changes.
 */
public final class CredentialsRejectedException extends Exception {
    public CredentialsRejectedException(String message) {
        super(requireNonNull(message, "message is null"));
    }

    /** Never null: the constructor requires a message. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }
}
