package dev.switchboard.core.http.openai.internal;

import dev.switchboard.core.routing.internal.ProtocolRuns;

/** How a request hears its run: told the run's id (its reply's id) before the run is queued. */
interface HttpAnswer extends ProtocolRuns.Listener {
    void bind(String runId);
}
