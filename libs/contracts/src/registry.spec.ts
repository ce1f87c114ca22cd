import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvelopeSchema, allMessages, findMessage } from './index';

const fixturesDir = join(__dirname, 'fixtures');
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

describe('message contracts', () => {
  it.each(fixtures)('recorded fixture %s still parses as its registered type and version', (file) => {
    const envelope = EnvelopeSchema.parse(JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')));
    const def = findMessage(envelope.type, envelope.version);
    expect(def).toBeDefined();
    expect(`${envelope.type}.v${envelope.version}.json`).toBe(file);
    def!.payload.parse(envelope.payload);
  });

  it('has a recorded fixture for every registered message version', () => {
    const missing = allMessages()
      .map((m) => `${m.type}.v${m.version}.json`)
      .filter((name) => !fixtures.includes(name));
    expect(missing).toEqual([]);
  });

  it('rejects an envelope without a messageId', () => {
    const raw = JSON.parse(readFileSync(join(fixturesDir, fixtures[0]), 'utf8'));
    delete raw.messageId;
    expect(EnvelopeSchema.safeParse(raw).success).toBe(false);
  });
});
