// A by-hand faithfulness check, not part of the Maven build (it needs `npm install @wecom/aibot-node-sdk`, a
// download the build must not make): the official AI-bot SDK against the fake. See docs/channels/fake-wecom.md.
//
//   (cd /tmp/sdk && npm init -y && npm install @wecom/aibot-node-sdk)
//   bin/fake-wecom --port 18083      # then type: say alice hello / group g1 bob hi / voice carol x / enter dave / takeover
//   NODE_PATH=/tmp/sdk/node_modules node gateway-testkit/src/test/node/wecom-sdk-check.js ws://127.0.0.1:18083 20000
const AiBot = require('@wecom/aibot-node-sdk');
const { generateReqId } = AiBot;
const url = process.argv[2];
const quiet = { debug() {}, info() {}, warn: (...a) => console.log('WARN', ...a), error: (...a) => console.log('ERROR', ...a) };
function client(secret) {
  return new AiBot.WSClient({ botId: 'aibot-fake-wecom-alerts', secret, wsUrl: url, logger: quiet,
    heartbeatInterval: 300, maxReconnectAttempts: 0, maxAuthFailureAttempts: 0 });
}
const log = (...a) => console.log('SDK', ...a);
const bad = client('wrong');
bad.on('error', e => log('bad secret error:', e.message));
bad.connect();
const c = client('FakeWeComSecretForLocalSwitchboardTests');
c.on('authenticated', () => log('authenticated'));
c.on('message.text', async frame => {
  log('text', frame.body.chattype, frame.body.chatid || '-', frame.body.from.userid, frame.body.text.content);
  const sid = generateReqId('stream');
  try {
    await c.replyStream(frame, sid, 'thinking', false);
    await c.replyStream(frame, sid, 'echo: ' + frame.body.text.content, true);
    log('stream acked');
    await c.sendMessage(frame.body.chatid || frame.body.from.userid, { msgtype: 'markdown', markdown: { content: '**proactive**' } });
    log('send acked');
    await c.replyStream(frame, sid, 'after finish', true).catch(e => log('after finish rejected errcode', e.errcode, e.errmsg && e.errmsg.split(',')[0]));
  } catch (e) { log('reply failed', JSON.stringify(e)); }
});
c.on('message.voice', frame => log('voice', frame.body.voice.content));
c.on('event.enter_chat', async frame => {
  log('enter_chat', frame.body.from.userid);
  await c.replyWelcome(frame, { msgtype: 'text', text: { content: 'welcome!' } });
  log('welcome acked');
});
c.on('disconnected', r => log('disconnected:', r));
c.connect();
setTimeout(() => { c.disconnect(); process.exit(0); }, Number(process.argv[3] || 8000));
