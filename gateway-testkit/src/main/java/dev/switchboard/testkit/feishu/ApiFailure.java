package dev.switchboard.testkit.feishu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/** An error answer in the open platform's shape, thrown by the message handlers. */
final class ApiFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final int code;
    final String msg;
    final @Nullable String field;

    private ApiFailure(int status, int code, String msg, @Nullable String field) {
        super(code + " " + msg, null, false, false);
        this.status = status;
        this.code = code;
        this.msg = msg;
        this.field = field;
    }

    static ApiFailure of(int status, int code, String msg) {
        return new ApiFailure(status, code, msg, null);
    }

    /** {@code 99992402 field validation failed} naming the field. */
    static ApiFailure field(String field, String description) {
        return new ApiFailure(400, 99992402, description, field);
    }

    void answer(HttpCall call) {
        ObjectNode answer = HttpCall.JSON.createObjectNode();
        answer.put("code", code);
        ObjectNode error = HttpCall.JSON.createObjectNode();
        error.put("log_id", Ids.logId());
        if (field != null) {
            answer.put("msg", "field validation failed");
            ObjectNode violation = error.putArray("field_violations").addObject();
            violation.put("field", field);
            violation.put("description", msg);
        } else {
            answer.put("msg", msg);
        }
        answer.set("error", error);
        call.json(status, answer);
    }
}
