// The official openai npm client against a Switchboard gateway (OpenAiNpmClientIT starts the gateways).
// usage: node client.mjs <baseURL> <token> <baseURL of a gateway with the APIs disabled>
// Prints one "<check>: <result>" line per check; the JUnit test asserts on them.
import OpenAI from 'openai';

const [baseURL, apiKey, disabledBaseURL] = process.argv.slice(2);
if (!baseURL || !apiKey || !disabledBaseURL) {
  console.error('usage: node client.mjs <baseURL> <token> <disabled baseURL>');
  process.exit(2);
}
const client = new OpenAI({ baseURL, apiKey });
const model = 'switchboard-echo';
const say = (check, result) => console.log(`${check}: ${result}`);
const failure = (e) => `${e.constructor.name} ${e.status ?? '-'} ${e.message}`;

async function check(name, run) {
  try {
    say(name, await run());
  } catch (e) {
    say(name, `threw ${failure(e)}`);
  }
}

await check('models', async () => (await client.models.list()).data.map((m) => m.id).join(','));

await check('chat', async () => {
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hello from npm' }],
  });
  return completion.choices[0].message.content;
});

await check('chat-stream', async () => {
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'one two three four five six' }],
    stream: true,
  });
  let text = '';
  let pieces = 0;
  let finish = null;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta?.content ?? '';
    if (delta) pieces++;
    text += delta;
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return `${text} | pieces>1=${pieces > 1} finish=${finish}`;
});

await check('chat-stream-failure', async () => {
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'fail midway' }],
    stream: true,
  });
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  } catch (e) {
    return `after "${text}" ${failure(e)}`;
  }
  return `no error after "${text}"`;
});

await check('chat-failure', async () => {
  await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'fail at once' }] });
  return 'no error';
});

await check('responses', async () => {
  const response = await client.responses.create({ model, input: 'hello responses' });
  return `${response.output_text} | status=${response.status}`;
});

await check('responses-messages', async () => {
  const response = await client.responses.create({
    model,
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'as parts' }] }],
  });
  return response.output_text;
});

await check('responses-stream', async () => {
  const stream = await client.responses.create({ model, input: 'alpha beta gamma delta', stream: true });
  let text = '';
  let last = null;
  let ordered = true;
  let sequence = -1;
  for await (const event of stream) {
    if (event.sequence_number !== sequence + 1) ordered = false;
    sequence = event.sequence_number;
    if (event.type === 'response.output_text.delta') text += event.delta;
    last = event.type;
  }
  return `${text} | last=${last} ordered=${ordered}`;
});

await check('responses-stream-helper', async () => {
  const stream = client.responses.stream({ model, input: 'via the stream helper' });
  const response = await stream.finalResponse();
  // the helper's final response has no output_text (the SDK adds it to non-streamed responses only)
  return `${response.output[0].content[0].text} | status=${response.status}`;
});

await check('responses-stream-failure', async () => {
  const stream = await client.responses.create({ model, input: 'fail midway', stream: true });
  let text = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.failed') return `after "${text}" response.failed ${event.response.error.message}`;
  }
  return `no response.failed after "${text}"`;
});

await check('bad-request', async () => {
  await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], n: 2 });
  return 'no error';
});

await check('bad-token', async () => {
  const wrong = new OpenAI({ baseURL, apiKey: 'not-the-token' });
  await wrong.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
  return 'no error';
});

await check('disabled', async () => {
  const disabled = new OpenAI({ baseURL: disabledBaseURL, apiKey });
  await disabled.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
  return 'no error';
});

await check('disabled-responses', async () => {
  const disabled = new OpenAI({ baseURL: disabledBaseURL, apiKey });
  await disabled.responses.create({ model, input: 'x' });
  return 'no error';
});
