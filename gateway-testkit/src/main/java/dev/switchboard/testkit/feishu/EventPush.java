package dev.switchboard.testkit.feishu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/** One event on its way to the client: its frames, how often it was pushed, its ack timer. */
final class EventPush {
    final String pushId;
    final String eventId;
    final String traceId = Ids.hex(8);
    final byte[] payload;
    final int parts;
    final FragmentOrder order;
    int deliveries;

    @Nullable
    Future<?> timer;

    EventPush(String pushId, String eventId, byte[] payload, int parts, FragmentOrder order) {
        this.pushId = pushId;
        this.eventId = eventId;
        this.payload = payload;
        this.parts = Math.max(1, Math.min(parts, payload.length));
        this.order = order;
    }

    List<Pbbp2Frame> frames(int serviceId, FakeFeishu server) {
        List<Pbbp2Frame> frames = new ArrayList<>();
        int size = (payload.length + parts - 1) / parts;
        String timestamp = Long.toString(server.now().toEpochMilli());
        for (int seq = 0; seq < parts; seq++) {
            int from = Math.min(payload.length, seq * size);
            int to = Math.min(payload.length, from + size);
            byte[] chunk = Arrays.copyOfRange(payload, from, to);
            List<Pbbp2Frame.Header> headers = List.of(
                    new Pbbp2Frame.Header("type", "event"),
                    new Pbbp2Frame.Header("message_id", pushId),
                    new Pbbp2Frame.Header("sum", Integer.toString(parts)),
                    new Pbbp2Frame.Header("seq", Integer.toString(seq)),
                    new Pbbp2Frame.Header("trace_id", traceId),
                    new Pbbp2Frame.Header("timestamp", timestamp));
            frames.add(new Pbbp2Frame(
                    server.nextSeqId(),
                    Ids.positiveLong(),
                    serviceId,
                    Pbbp2Frame.DATA,
                    headers,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(chunk),
                    Optional.of(Ids.logId())));
        }
        if (order == FragmentOrder.REVERSED) {
            Collections.reverse(frames);
        }
        return frames;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
