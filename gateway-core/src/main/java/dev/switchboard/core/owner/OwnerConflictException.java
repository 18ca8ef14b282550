package dev.switchboard.core.owner;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.owner.internal.OwnerUrls;
import java.util.Optional;

/**
 * The state directory is already owned by a live gateway (its lock is held). A configuration refusal:
 * the launcher exits 78 and a supervisor must not restart.
 */
public final class OwnerConflictException extends SwitchboardException {
    private final transient Optional<OwnerRecord> owner;

    public OwnerConflictException(Optional<OwnerRecord> owner) {
        super(Kind.CONFIG, message(owner));
        this.owner = owner;
    }

    /** The running owner's record, when its owner.json was readable. */
    public Optional<OwnerRecord> owner() {
        return owner;
    }

    static String message(Optional<OwnerRecord> owner) {
        StringBuilder s = new StringBuilder("gateway already running (");
        if (owner.isPresent()) {
            OwnerRecord r = owner.get();
            s.append("pid ")
                    .append(r.pid())
                    .append(", session ")
                    .append(r.session().orElse("-"));
            OwnerUrls.wsUrl(r).ifPresent(url -> s.append(", ").append(url));
        } else {
            s.append("pid unknown, session -");
        }
        return s.append("); stop it with: switchboard gateway stop").toString();
    }
}
