package dev.switchboard.cli.logs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.logs.LogQuery;
import dev.switchboard.protocol.LogsTail;
import dev.switchboard.protocol.Methods;

/** Where {@code switchboard logs} reads: the running gateway ({@code logs.tail}) or the files themselves. */
interface LogSource extends AutoCloseable {
    LogsTail read(LogQuery query);

    @Override
    void close();

    /** {@code logs.tail} on a connected session; the session is closed with the source. */
    static LogSource gateway(GatewaySession session) {
        return new LogSource() {
            @Override
            public LogsTail read(LogQuery query) {
                ObjectNode params = GatewaySession.params().put("limit", query.limit());
                query.cursor().ifPresent(cursor -> params.put("cursor", cursor.toString()));
                query.level().ifPresent(level -> params.put("level", level));
                query.since().ifPresent(since -> params.put("since", since.toString()));
                return session.call(Methods.LOGS_TAIL, params, LogsTail.class);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /** The log directory read directly, with the same reader the gateway uses. */
    static LogSource files(LogDirectory logs) {
        return new LogSource() {
            @Override
            public LogsTail read(LogQuery query) {
                return logs.read(query);
            }

            @Override
            public void close() {}
        };
    }
}
