// The control protocol's client side for the browser (docs/protocol.md): the handshake, requests
// answered by id, events in order, the tick watchdog, and reconnecting with backoff.

const PROTOCOL = 1;
const SCOPES = ['operator.read', 'operator.write']; // the UI never needs operator.admin
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 30000;

/** A random id; crypto.randomUUID needs a secure context, which a gateway over plain http is not. */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** An error answer of the gateway: its code and one-line message. */
export class GatewayError extends Error {
  constructor(error) {
    super(error.message || error.code || 'request failed');
    this.code = error.code || 'INTERNAL';
  }
}

/**
 * One logical connection to the gateway that serves this page. Listeners:
 * onState(state, detail): 'connecting' | 'connected' | 'waiting' (reconnect pending) | 'refused';
 * onHello(helloOk); onEvent(frame) for every event but connect.challenge; onGap() when seq skipped.
 */
export class GatewayConnection {
  constructor(credential, listeners) {
    this.credential = credential; // {kind: 'token'|'password', secret}
    this.listeners = listeners;
    this.socket = null;
    this.pending = new Map();
    this.nextId = 1;
    this.prefix = 'ui-' + randomId().slice(0, 8) + '-';
    this.backoffMs = BACKOFF_FIRST_MS;
    this.lastSeq = 0;
    this.stopped = false;
    this.reconnectTimer = null;
    this.watchdog = null;
    this.tickIntervalMs = 15000;
    this.lastFrameAt = 0;
  }

  url() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/';
  }

  open() {
    this.stopped = false;
    this.listeners.onState('connecting');
    const socket = new WebSocket(this.url());
    this.socket = socket;
    this.hello = false;
    this.lastSeq = 0;
    socket.onmessage = (message) => this.receive(socket, message.data);
    socket.onclose = (close) => this.closed(socket, close.code, close.reason);
  }

  /** Stops for good: no reconnect (the user forgot the token). */
  stop() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.watchdog);
    if (this.socket) {
      this.socket.close(1000, 'bye');
    }
  }

  /** Sends a request; resolves with the payload, rejects with a GatewayError or a closed socket. */
  call(method, params) {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || !this.hello) {
      return Promise.reject(new GatewayError({code: 'NOT_CONNECTED', message: 'not connected to the gateway'}));
    }
    return this.send(socket, method, params);
  }

  send(socket, method, params) {
    const id = this.prefix + this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject, method});
      socket.send(JSON.stringify({type: 'req', id, method, params: params || {}}));
    });
  }

  receive(socket, data) {
    if (socket !== this.socket) {
      return;
    }
    this.lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return; // the gateway sends JSON only; ignore what cannot be read
    }
    if (frame.type === 'event' && frame.event === 'connect.challenge') {
      this.connect(socket);
    } else if (frame.type === 'res') {
      this.answered(frame);
    } else if (frame.type === 'event') {
      if (this.lastSeq !== 0 && frame.seq !== this.lastSeq + 1) {
        this.listeners.onGap();
      }
      this.lastSeq = frame.seq;
      this.listeners.onEvent(frame);
    }
  }

  answered(frame) {
    const waiter = this.pending.get(frame.id);
    if (!waiter) {
      return;
    }
    const payload = frame.payload || {};
    this.pending.delete(frame.id); // the UI calls no two-stage method (agent): one answer per id
    if (frame.ok) {
      waiter.resolve(payload);
    } else {
      waiter.reject(new GatewayError(frame.error || {}));
    }
  }

  connect(socket) {
    const auth = {};
    auth[this.credential.kind] = this.credential.secret;
    const params = {
      minProtocol: PROTOCOL,
      maxProtocol: PROTOCOL,
      client: {id: 'control-ui', version: '1', platform: navigator.platform || 'browser', mode: 'ui'},
      role: 'operator',
      scopes: SCOPES,
      auth,
    };
    this.send(socket, 'connect', params).then(
      (hello) => {
        this.hello = true;
        this.backoffMs = BACKOFF_FIRST_MS;
        this.tickIntervalMs = (hello.policy && hello.policy.tickIntervalMs) || this.tickIntervalMs;
        this.startWatchdog(socket);
        this.listeners.onState('connected');
        this.listeners.onHello(hello);
      },
      (error) => {
        // a refused connect is final: retrying the same secret would only count against the limit
        this.stopped = error.code !== 'UNAVAILABLE';
        this.listeners.onState(this.stopped ? 'refused' : 'waiting', error.message);
      });
  }

  /** No frame for two tick intervals: the connection is dead even if TCP has not noticed. */
  startWatchdog(socket) {
    clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (socket === this.socket && Date.now() - this.lastFrameAt > 2 * this.tickIntervalMs) {
        socket.close(4000, 'tick timeout');
      }
    }, 1000);
  }

  closed(socket, code, reason) {
    if (socket !== this.socket) {
      return;
    }
    clearInterval(this.watchdog);
    for (const waiter of this.pending.values()) {
      waiter.reject(new GatewayError({code: 'CLOSED', message: 'the connection closed (' + code + ')'}));
    }
    this.pending.clear();
    if (this.stopped) {
      return;
    }
    if (!this.hello && code === 1008 && reason) {
      // refused before hello-ok without an error answer: the Origin check, or the handshake timeout
      this.stopped = true;
      this.listeners.onState('refused', reason);
      return;
    }
    const wait = Math.min(this.backoffMs, BACKOFF_MAX_MS);
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    const delay = Math.round(wait * (0.8 + Math.random() * 0.4));
    const why = code === 1012 ? 'the gateway is restarting' : 'connection closed (' + code + (reason ? ' ' + reason : '') + ')';
    this.listeners.onState('waiting', why + '; reconnecting in ' + Math.ceil(delay / 1000) + ' s');
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }
}
