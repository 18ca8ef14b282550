package dev.switchboard.spi;

/**
 * Answers the requests a platform posts to an account's webhook route. Called on a worker thread,
 * never an I/O thread, so it may block on {@link InboundSink#accept}: answer the platform only after
 * the message is durable, exactly as a polling adapter acknowledges only after the accept.
 */
@FunctionalInterface
public interface WebhookHandler {
    /**
     * Handles one request. An exception becomes a 500 answer (the platform delivers the request
     * again) and is logged without the body.
     *
     * @param request the request the platform posted
     * @return the answer for the platform
     * @throws Exception any failure: the gateway answers 500
     */
    WebhookResponse handle(WebhookRequest request) throws Exception;
}
